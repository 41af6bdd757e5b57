/** The repository a command acts on, with its config: what almost every command starts with. */
import { loadConfig, type Config } from './config.js';
import { checkBackupDir } from './git/backup-dir.js';
import { openRepo, openRepoAtHead, type HeadNow, type Repo } from './git/repo.js';
import type { Door } from './git/types.js';

export interface Workspace {
  repo: Repo;
  config: Config;
  /** HEAD, its tree and the branch, read with the repository when asked for (null commit: none yet). */
  head?: HeadNow;
}

/**
 * The commands whose git is started with node's spawn, as the hooks' is, rather than through
 * simple-git: they make some 15 to 30 git calls, on trees of any size, and simple-git's loading
 * and work per call add up (bench:rollback, bench:verify-migration). The one place that chooses.
 */
const SPAWNED = new Set(['rollback full', 'undo', 'verify migration', 'archive']);

/** The git door for a command (`rollback full`, `undo`...): spawn for those above, simple-git for the rest. */
export const doorFor = (command: string | undefined): Door | undefined => (command && SPAWNED.has(command) ? 'spawn' : undefined);

export interface OpenOptions {
  /** The command as typed after `reorg-guard` (e.g. `rollback full`): chooses the git door. */
  command?: string;
  /** Read HEAD, its tree and the branch in the same git call that finds the repository. */
  head?: boolean;
}

export async function openWorkspace(cwd: string, opts: OpenOptions = {}): Promise<Workspace> {
  const door = doorFor(opts.command);
  let repo: Repo;
  let head: HeadNow | undefined;
  if (opts.head) {
    const at = await openRepoAtHead(cwd, door);
    repo = at.repo;
    // a repository without commits: left to whoever needs HEAD (it reads the unborn branch)
    if (at.head) head = { commit: at.head.commit, tree: at.head.tree, branch: at.head.branch };
  } else repo = await openRepo(cwd, door);
  const config = loadConfig(repo.top);
  await checkBackupDir(repo, config);
  return { repo, config, ...(head ? { head } : {}) };
}

