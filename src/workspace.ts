/** The repository a command acts on, with its config: what almost every command starts with. */
import { loadConfig, type Config } from './config.js';
import { checkBackupDir } from './git/backup-dir.js';
import { openRepo, type Repo } from './git/repo.js';

export interface Workspace {
  repo: Repo;
  config: Config;
}

export async function openWorkspace(cwd: string): Promise<Workspace> {
  const repo = await openRepo(cwd);
  const config = loadConfig(repo.top);
  await checkBackupDir(repo, config);
  return { repo, config };
}
