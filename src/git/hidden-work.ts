/**
 * Work another tool took out of the work tree while it runs, and puts back after: lint-staged's
 * pre-commit writes the unstaged part of partly staged files to a patch
 * (`<git dir>/lint-staged_unstaged.patch`, index to work tree), checks those files out from the
 * index, runs its tasks (a backup among them) and applies the patch again. A snapshot taken by
 * such a task must hold those files as the user has them: the index's version, patched.
 */
import { copyFile } from 'node:fs/promises';
import { git, gitBytes, gitOut } from './exec.js';
import { sameAsTree } from './filters.js';
import type { Repo } from './repo.js';
import { diffTrees } from './tree.js';

/** lint-staged's own `git apply` arguments for that patch (it is written with `--unified=0`). */
const APPLY = ['apply', '--cached', '--whitespace=nowarn', '--recount', '--unidiff-zero'];

/**
 * `tree` (a snapshot's work tree) with the files the patch at `patch` hid put back as the user has
 * them: the index's version with the patch applied, for each such file whose work file is still
 * the index's version (hidden). A file that differs from the index was not hidden (a patch a run
 * that died left behind, work done since): the snapshot keeps it as it is. `converted`: files the
 * tree holds as the work tree's bytes (git converts them): a patched one is written in its work
 * tree form too. A patch that does not apply leaves `tree` as it is. `env`: a temporary index.
 */
export async function withHiddenWork(
  repo: Repo, tree: string, converted: Set<string>, env: { GIT_INDEX_FILE: string }, patch: string,
): Promise<string> {
  await copyFile(repo.indexFile, env.GIT_INDEX_FILE);
  const before = await gitOut(repo, ['write-tree'], { env });
  if ((await git(repo, [...APPLY, patch], { env, okExitCodes: [1] })).exitCode !== 0) return tree;
  const after = await gitOut(repo, ['write-tree'], { env });
  // what the patch changes, as it is after it
  const patched = await diffTrees(repo, before, after);
  // still hidden: the work file is the index's version, or both lack it
  const hidden = await sameAsTree(repo, before, patched.map((p) => p.path));
  const entries = patched.filter((p) => hidden.has(p.path));
  if (entries.length === 0) return tree;
  const info: string[] = [];
  for (const e of entries) {
    if (e.toMode === '000000') info.push(`0 ${'0'.repeat(e.blob.length)}\t${e.path}\0`);
    else info.push(`${e.toMode} ${converted.has(e.path) ? await asWorkBytes(repo, e.path, e.blob) : e.blob}\t${e.path}\0`);
  }
  await git(repo, ['read-tree', tree], { env });
  await git(repo, ['update-index', '-z', '--index-info'], { env, input: info.join('') });
  return gitOut(repo, ['write-tree'], { env });
}

/** The blob of `blob` as git writes it into the work tree at `rel` (its filters and line endings applied). */
async function asWorkBytes(repo: Repo, rel: string, blob: string): Promise<string> {
  const content = await gitBytes(repo, ['cat-file', '--filters', `--path=${rel}`, blob]);
  return gitOut(repo, ['hash-object', '-w', '--no-filters', '--stdin'], { input: content });
}
