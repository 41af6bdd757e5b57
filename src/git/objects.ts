/** Are objects there? Batched: one cat-file for many ids, one rev-list for many trees. */
import { git, gitBytes } from './exec.js';
import type { Repo } from './repo.js';
import { rememberCommit } from './tree.js';

/** The type of each object ('commit', 'tree', 'blob', 'tag'), or null when it is missing. One cat-file. */
export async function objectTypes(repo: Repo, ids: string[]): Promise<Map<string, string | null>> {
  const out = new Map<string, string | null>();
  if (ids.length === 0) return out;
  const unique = [...new Set(ids)];
  const { stdout } = await git(repo, ['cat-file', '--batch-check=%(objectname) %(objecttype)'], { input: unique.join('\n') + '\n' });
  const lines = stdout.split('\n');
  unique.forEach((id, i) => {
    const [, type] = (lines[i] ?? '').split(' ');
    out.set(id, type && type !== 'missing' ? type : null);
  });
  return out;
}

/**
 * objectTypes of `specs`, with the id of each found and the content of those that are blobs, and in the same process
 * (`cat-file --batch`) the commits that the revisions `commits` name (`<ref>^{commit}`,
 * `<id>^2`; missing ones are passed over), remembered for readCommits' callers (tree.ts
 * rememberCommit): one git process where a type check, a read and a `git log` were three.
 * Meant for small objects (commits, trees, config files).
 */
export async function objectTypesAndCommits(
  repo: Repo, specs: string[], commits: string[],
): Promise<{ types: Map<string, string | null>; ids: Map<string, string>; blobs: Map<string, Buffer> }> {
  const types = new Map<string, string | null>();
  const ids = new Map<string, string>();
  const blobs = new Map<string, Buffer>();
  const unique = [...new Set(specs)];
  const revs = [...new Set(commits)];
  if (unique.length + revs.length === 0) return { types, ids, blobs };
  const asked = [...unique, ...revs];
  const buf = await gitBytes(repo, ['cat-file', '--batch'], { input: asked.join('\n') + '\n' });
  // each object: "<id> <type> <size>\n<content>\n", or "<what was asked> missing\n" (or ambiguous)
  let at = 0;
  for (const [i, spec] of asked.entries()) {
    const eol = buf.indexOf(10, at);
    if (eol < 0) break;
    const header = buf.toString('utf8', at, eol);
    at = eol + 1;
    const fields = header.split(' ');
    const size = Number(fields[fields.length - 1]);
    if (fields.length !== 3 || !Number.isInteger(size) || header.endsWith(' missing') || header.endsWith(' ambiguous')) {
      if (i < unique.length) types.set(spec, null);
      continue;
    }
    const [id, type] = fields;
    const content = buf.subarray(at, at + size);
    if (i < unique.length) {
      types.set(spec, type);
      ids.set(spec, id);
      if (type === 'blob') blobs.set(spec, content);
    } else if (type === 'commit') rememberCommit(spec, id, content);
    at += size + 1;
  }
  return { types, ids, blobs };
}

/** The parents of each commit (which must exist), in one rev-list. */
export async function commitParents(repo: Repo, commits: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (commits.length === 0) return out;
  const { stdout } = await git(repo, ['rev-list', '--no-walk=unsorted', '--parents', '--stdin'], { input: commits.join('\n') + '\n' });
  for (const line of stdout.split('\n')) {
    const [c, ...parents] = line.split(' ').filter(Boolean);
    if (c) out.set(c, parents);
  }
  return out;
}

/**
 * Objects of the given commits' trees (every tree and blob, not the history) that are missing
 * from the object store. The commits themselves must exist. One rev-list.
 */
export async function missingObjects(repo: Repo, commits: string[]): Promise<string[]> {
  if (commits.length === 0) return [];
  const { stdout } = await git(repo, ['rev-list', '--objects', '--missing=print', '--no-walk=unsorted', '--stdin'], {
    input: commits.join('\n') + '\n',
  });
  return stdout.split('\n').filter((l) => l.startsWith('?')).map((l) => l.slice(1).trim());
}

/**
 * Ref name → object id for refs under the prefixes, in one for-each-ref that does not read the
 * objects (listRefs reads them for the commit date, and fails when one is missing).
 */
export async function refTargets(repo: Repo, prefixes: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (prefixes.length === 0) return out;
  const patterns = prefixes.map((p) => (p.endsWith('/') ? p : `${p}*`));
  const { stdout } = await git(repo, ['for-each-ref', '--format=%(objectname) %(refname)', ...patterns]);
  for (const line of stdout.split('\n')) {
    const i = line.indexOf(' ');
    if (i > 0) out.set(line.slice(i + 1), line.slice(0, i));
  }
  return out;
}

/**
 * The content of each blob, read in one `cat-file --batch` (not one process per file). A
 * missing object is left out of the map.
 */
export async function readBlobs(repo: Repo, ids: string[]): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  const unique = [...new Set(ids)];
  if (unique.length === 0) return out;
  const buf = await gitBytes(repo, ['cat-file', '--batch'], { input: unique.join('\n') + '\n' });
  // each object: "<id> <type> <size>\n<content>\n", or "<id> missing\n"
  let at = 0;
  while (at < buf.length) {
    const eol = buf.indexOf(10, at);
    if (eol < 0) break;
    const [id, type, size] = buf.toString('latin1', at, eol).split(' ');
    at = eol + 1;
    if (type === 'missing' || size === undefined) continue;
    const end = at + Number(size);
    out.set(id, buf.subarray(at, end));
    at = end + 1;
  }
  return out;
}

/**
 * Each blob as git checks it out at its path (smudge filters, line endings, ident applied), in
 * one `cat-file --batch --filters`; keyed by path. A missing object is left out of the map.
 */
export async function readCheckedOut(repo: Repo, entries: Array<{ path: string; blob: string }>): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  if (entries.length === 0) return out;
  // each line "<id> <path>" (the path runs to the end of the line); answers come in that order
  const buf = await gitBytes(repo, ['cat-file', '--batch', '--filters'], { input: entries.map((e) => `${e.blob} ${e.path}\n`).join('') });
  let at = 0;
  for (const e of entries) {
    const eol = buf.indexOf(10, at);
    if (eol < 0) break;
    const [, type, size] = buf.toString('latin1', at, eol).split(' ');
    at = eol + 1;
    if (type === 'missing' || size === undefined) continue;
    const end = at + Number(size);
    out.set(e.path, buf.subarray(at, end));
    at = end + 1;
  }
  return out;
}
