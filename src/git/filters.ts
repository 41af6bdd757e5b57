/**
 * Bytes are bytes: git converts a file's content on its way into the object store (clean
 * filters, CRLF to LF for `text`/`eol`, `ident`, `working-tree-encoding`, `core.autocrlf`) and
 * on its way out (smudge, LF to CRLF...). A snapshot must hold the work tree's exact bytes and a
 * restore must write them back, so for the files git would convert both go around it: blobs
 * hashed with `--no-filters`, files written from the blob's bytes. Where nothing can convert
 * (no attributes file, no autocrlf: most repositories), none of this costs more than the check.
 */
import { closeSync, existsSync, lstatSync, openSync, readSync } from 'node:fs';
import { chmod, mkdir, rename, rmdir, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gitOut, splitZ } from './exec.js';
import type { Repo } from './repo.js';
import { readConfig } from './config.js';
import { readBlobs } from './objects.js';
import { partition } from '../util/group.js';

const ATTRS = ['text', 'eol', 'crlf', 'ident', 'filter', 'working-tree-encoding'];

export interface Conversion {
  /** core.autocrlf is on: any file not marked -text may be converted. */
  autocrlf: boolean;
}

/**
 * Whether git may convert any file here, or null: core.autocrlf, or an attributes file (a
 * tracked or top-level .gitattributes, info/attributes, core.attributesFile, the user's global one).
 */
export async function conversionInPlay(repo: Repo, env: Record<string, string> = {}): Promise<Conversion | null> {
  const [config, tracked] = await Promise.all([
    // read once for the command (hasRemote reads the same `git config`)
    readConfig(repo),
    // the index's own bytes say it when it holds no .gitattributes (most repositories): no ls-files
    indexWithout(env.GIT_INDEX_FILE ? path.resolve(repo.top, env.GIT_INDEX_FILE) : repo.indexFile, '.gitattributes') ? '' : gitOut(repo, ['ls-files', '-z', '--cached', '--', ':(glob)**/.gitattributes'], { env }),
  ]);
  const autocrlf = config.autocrlf !== undefined && /^(true|input|yes|on|1)$/i.test(config.autocrlf.trim());
  const attributesFile = config.attributesFile !== undefined ? config.attributesFile.trim().replace(/^~(?=\/)/, os.homedir()) : null;
  const xdg = path.join(process.env.XDG_CONFIG_HOME || path.join(os.homedir(), '.config'), 'git', 'attributes');
  const files =
    tracked.length > 0 ||
    existsSync(path.join(repo.top, '.gitattributes')) ||
    existsSync(path.join(repo.commonDir, 'info', 'attributes')) ||
    (attributesFile !== null ? existsSync(path.resolve(repo.top, attributesFile)) : existsSync(xdg));
  return autocrlf || files ? { autocrlf } : null;
}

/**
 * True when the index file at `file` surely holds no path containing `name`: a version 2 or 3
 * index (each path written whole; version 4 shortens a path by the one before it) whose bytes
 * lack `name`, and lack the signatures of a split index (`link`: most entries in a shared index)
 * and of a sparse one (`sdir`: a folder's entries folded into one). A path that holds those four
 * letters makes it unsure too: false whenever unsure (the caller asks git), and when there is no
 * index. Three searches of the bytes, no walk of the entries.
 */
export function indexWithout(file: string, name: string): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return false;
  }
  try {
    // read in pieces into one small buffer: reading a large index whole cost more in fresh
    // memory (page faults) than the searches do
    const buf = Buffer.allocUnsafe(INDEX_PIECE);
    let end = readSync(fd, buf, 0, buf.length, null);
    if (end < 12 || buf.toString('latin1', 0, 4) !== 'DIRC') return false;
    const version = buf.readUInt32BE(4);
    if (version !== 2 && version !== 3) return false;
    const needles = [Buffer.from(name, 'utf8'), Buffer.from('link', 'latin1'), Buffer.from('sdir', 'latin1')];
    const keep = Math.max(...needles.map((n) => n.length)) - 1;
    for (let start = 12; ; start = 0) {
      const piece = buf.subarray(0, end);
      if (needles.some((n) => piece.indexOf(n, start) >= 0)) return false;
      // the end of this piece is kept before the next: a name may lie across two reads
      const from = Math.max(start, end - keep);
      buf.copy(buf, 0, from, end);
      const n = readSync(fd, buf, end - from, buf.length - (end - from), null);
      if (n <= 0) return true;
      end = end - from + n;
    }
  } finally {
    closeSync(fd);
  }
}

const INDEX_PIECE = 1 << 16;

/** Of `paths`, those whose content git would convert (an over-estimate is harmless: they are handled as bytes). */
export async function convertedPaths(repo: Repo, conv: Conversion, paths: string[], env: Record<string, string> = {}): Promise<Set<string>> {
  const out = new Set<string>();
  if (paths.length === 0) return out;
  const rec = splitZ(await gitOut(repo, ['check-attr', '-z', '--stdin', ...ATTRS], { env, input: paths.map((p) => `${p}\0`).join('') }));
  const attrs = new Map<string, Record<string, string>>();
  for (let i = 0; i + 2 < rec.length; i += 3) {
    const a = attrs.get(rec[i]) ?? {};
    a[rec[i + 1]] = rec[i + 2];
    attrs.set(rec[i], a);
  }
  const given = (v: string | undefined) => v !== undefined && v !== 'unspecified' && v !== 'unset';
  for (const [p, a] of attrs) {
    const textual = a.text !== 'unset' && a.crlf !== 'unset';
    if (given(a.filter) || a.ident === 'set' || given(a['working-tree-encoding']) || (textual && (given(a.text) || given(a.eol) || given(a.crlf) || conv.autocrlf))) {
      out.add(p);
    }
  }
  return out;
}

/** A path as git's C-style quoting writes it, which `--stdin-paths` reads back exactly. */
export function cQuote(p: string): string {
  const esc: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };
  return `"${p.replace(/["\\\n\r\t]|[\x00-\x1f\x7f]/g, (c) => esc[c] ?? `\\${c.charCodeAt(0).toString(8).padStart(3, '0')}`)}"`;
}

/** Blob ids of work tree files as they are (no conversion), stored in the object store unless `write` is false: path → blob. */
export async function storeRaw(repo: Repo, paths: string[], write = true): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (paths.length === 0) return out;
  const args = ['hash-object', ...(write ? ['-w'] : []), '--no-filters', '--stdin-paths'];
  // every path C-quoted: --stdin-paths reads one a line, unquotes a line that starts with '"' and drops a trailing CR
  const ids = (await gitOut(repo, args, { input: paths.map((p) => `${cQuote(p)}\n`).join('') })).split('\n');
  paths.forEach((p, i) => out.set(p, ids[i]));
  return out;
}

/**
 * Of `paths`, those where the work tree has what `tree` has: a file that, as git sees it (its
 * filters and line endings applied, as `git add` stores it), is the blob `tree` holds there, or
 * nothing where `tree` has nothing. Two git processes, side by side.
 */
export async function sameAsTree(repo: Repo, tree: string, paths: string[]): Promise<Set<string>> {
  if (paths.length === 0) return new Set();
  const [there, gone] = partition(paths, (p) => existsSync(path.join(repo.top, p)));
  const [listed, asGit] = await Promise.all([
    gitOut(repo, ['ls-tree', '-r', '-z', '--full-tree', tree, '--', ...paths.map((p) => `:(literal)${p}`)]),
    // C-quoted as in storeRaw; without --no-filters: the blob git would store
    there.length ? gitOut(repo, ['hash-object', '--stdin-paths'], { input: there.map((p) => `${cQuote(p)}\n`).join('') }) : '',
  ]);
  // "<mode> SP <type> SP <object> TAB <path>"
  const inTree = new Map(splitZ(listed).map((r) => [r.slice(r.indexOf('\t') + 1), r.split(' ')[2].split('\t')[0]]));
  const ids = asGit.split('\n');
  const same = new Set(gone.filter((p) => !inTree.has(p)));
  for (const [i, p] of there.entries()) if (inTree.get(p) === ids[i]) same.add(p);
  return same;
}

/**
 * Index lines (`update-index --index-info`) that put the exact bytes of `paths` into an index:
 * files as they are, and the ones that are gone removed (mode 0). Symlinks are never converted.
 */
export async function rawIndexInfo(repo: Repo, paths: string[]): Promise<string> {
  const files: Array<{ p: string; mode: string }> = [];
  const gone: string[] = [];
  for (const p of paths) {
    const st = lstatSync(path.join(repo.top, p), { throwIfNoEntry: false });
    if (!st) gone.push(p);
    else if (st.isFile()) files.push({ p, mode: st.mode & 0o111 ? '100755' : '100644' });
  }
  const blobs = await storeRaw(repo, files.map((f) => f.p));
  return [
    ...files.map((f) => `${f.mode} ${blobs.get(f.p)}\t${f.p}\0`),
    ...gone.map((p) => `0 ${'0'.repeat(40)}\t${p}\0`),
  ].join('');
}


/** Writes blobs into the work tree as bytes, with their modes, each through a temporary name. */
export async function writeRaw(repo: Repo, entries: Array<{ path: string; mode: string; blob: string }>): Promise<void> {
  const blobs = await readBlobs(repo, entries.map((e) => e.blob));
  for (const e of entries) {
    const file = path.join(repo.top, e.path);
    await mkdir(path.dirname(file), { recursive: true });
    const st = lstatSync(file, { throwIfNoEntry: false });
    if (st?.isDirectory()) await rmdir(file); // an empty folder in the way (a full one is an error)
    const tmp = `${file}.reorg-guard-${process.pid}`;
    if (e.mode === '120000') await symlink(blobs.get(e.blob)!, tmp);
    else {
      await writeFile(tmp, blobs.get(e.blob)!);
      await chmod(tmp, e.mode === '100755' ? 0o777 & ~process.umask() : 0o666 & ~process.umask());
    }
    await rename(tmp, file);
  }
}

export const isAttributesFile = (p: string) => p === '.gitattributes' || p.endsWith('/.gitattributes');

/**
 * Of entries to write, the paths to write as bytes: those that hold bytes (`raw`, from a
 * snapshot) and that git would convert. When the write brings an attributes file, which could
 * change what converts, every such entry.
 */
export async function pathsToWriteRaw(repo: Repo, entries: Array<{ path: string; mode: string; raw?: boolean }>): Promise<Set<string>> {
  const raw = entries.filter((e) => e.raw && e.mode !== '160000');
  if (raw.length === 0) return new Set();
  // first: the attributes file written may be the only one, so none may be in play yet
  if (raw.some((e) => isAttributesFile(e.path))) return new Set(raw.map((e) => e.path));
  const conv = await conversionInPlay(repo);
  if (!conv) return new Set();
  return convertedPaths(repo, conv, raw.map((e) => e.path));
}
