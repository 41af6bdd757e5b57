/** The repository a command acts on, with its config: what almost every command starts with. */
import { loadConfig, type Config } from './config.js';
import { checkBackupDir } from './git/backup-dir.js';
import { openRepo, openRepoAtHead, type Repo } from './git/repo.js';
import type { Door } from './git/types.js';

export interface Workspace {
  repo: Repo;
  config: Config;
}

/** `door`: how git is started for this repository (default simple-git; 'spawn' as hooks do). */
export async function openWorkspace(cwd: string, door?: Door): Promise<Workspace> {
  const repo = await openRepo(cwd, door);
  const config = loadConfig(repo.top);
  await checkBackupDir(repo, config);
  return { repo, config };
}

/**
 * openWorkspace and HEAD's commit (null in a repository without commits) from the same git call
 * (every git process started from node costs a fork of node: about 30 ms of CPU on a big tree).
 */
export async function openWorkspaceAtHead(cwd: string, door?: Door): Promise<Workspace & { head: string | null }> {
  const { repo, head } = await openRepoAtHead(cwd, door);
  const config = loadConfig(repo.top);
  await checkBackupDir(repo, config);
  return { repo, config, head: head?.commit ?? null };
}
