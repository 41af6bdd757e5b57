/**
 * The files in the work tree that make git run hooks: what `init` created there (`.husky/<hook>`),
 * the husky hook files it added its block to (a team's own `.husky/post-commit`), and whatever
 * lies in the hooks directory git uses when core.hooksPath points into the work tree
 * (`.githooks/`). A rollback that removed them, or wrote them back as they were before `init`,
 * would leave git running no hook of ours, so that every commit after it went without a backup,
 * silently.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Repo } from '../../git/repo.js';
import { readRecord } from './record.js';
import { BEGIN, huskyFolderOf } from './husky.js';
import { inside } from '../../util/inside.js';

/** Tells whether a path of the work tree (relative, `/`-separated) is one of those files. */
export function hookFilesInTree(repo: Repo): (p: string) => boolean {
  const created = new Set(readRecord(repo).createdFiles.filter((f) => !path.isAbsolute(f)));
  const dir = inside(repo.top, repo.hooksDir) || null; // null: outside the work tree (or its top)
  const husky = dir === null ? null : huskyFolderOf(dir);
  const withOurBlock = (p: string) => husky !== null && path.posix.dirname(p) === husky && hasBlock(path.join(repo.top, p));
  return (p) => created.has(p) || (dir !== null && p.startsWith(`${dir}/`)) || withOurBlock(p);
}

/** Whether the file holds the block `init` adds to a husky hook. */
function hasBlock(file: string): boolean {
  try {
    return readFileSync(file, 'utf8').includes(BEGIN);
  } catch {
    return false;
  }
}
