/**
 * The files in the work tree that make git run hooks: what `init` created there (`.husky/<hook>`)
 * and whatever lies in the hooks directory git uses when core.hooksPath points into the work
 * tree (`.githooks/`). A rollback that removed them would leave git running no hook, so that
 * every commit after it went without a backup, silently.
 */
import path from 'node:path';
import type { Repo } from '../../git/repo.js';
import { hooksDir } from '../env-file.js';
import { readRecord } from './record.js';

/** Tells whether a path of the work tree (relative, `/`-separated) is one of those files. */
export async function hookFilesInTree(repo: Repo): Promise<(p: string) => boolean> {
  const created = new Set(readRecord(repo).createdFiles.filter((f) => !path.isAbsolute(f)));
  const dir = path.relative(repo.top, hooksDir(repo)).split(path.sep).join('/');
  const inTree = dir !== '' && dir !== '..' && !dir.startsWith('../') && !path.isAbsolute(dir);
  return (p) => created.has(p) || (inTree && p.startsWith(`${dir}/`));
}
