/**
 * The config check that needs git: archives in a backupDir inside the work tree would be
 * untracked files there, which `rollback full` deletes, unless git ignores that folder (or it
 * lies in .git). Outside the work tree (the default ~/backups) it costs no git process.
 */
import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { CONFIG_FILE, type Config } from '../config.js';
import { UsageError } from '../errors.js';
import { inside } from '../util/inside.js';
import { msg } from '../messages.js';
import { git } from './exec.js';
import type { Repo } from './repo.js';

/** `dir` with symbolic links resolved, also when it (or its parents) does not exist yet. */
function realPath(dir: string): string {
  const rest: string[] = [];
  let at = path.resolve(dir);
  while (!existsSync(at) && path.dirname(at) !== at) {
    rest.unshift(path.basename(at));
    at = path.dirname(at);
  }
  return path.join(realpathSync(at), ...rest);
}

/** Where `dir` lies in the work tree (`.` for its top), when it does and git does not ignore it; else null. */
export async function unignoredInWorkTree(repo: Repo, dir: string): Promise<string | null> {
  const posix = inside(realPath(repo.top), realPath(dir));
  if (posix === null || posix.split('/')[0] === '.git') return null;
  if (posix) {
    const { exitCode } = await git(repo, ['check-ignore', '-q', '--', `${posix}/`], { okExitCodes: [1] });
    if (exitCode === 0) return null;
  }
  return posix || '.';
}

/** Throws a UsageError naming the key and the file when backupDir lies in the work tree, unignored. */
export async function checkBackupDir(repo: Repo, config: Config & { source?: string | null }): Promise<void> {
  const inTree = await unignoredInWorkTree(repo, config.backupDir);
  if (inTree !== null) throw new UsageError(msg.configRefused('backupDir', config.backupDir, config.source ?? CONFIG_FILE, msg.configBackupDirInWorkTree(inTree)));
}
