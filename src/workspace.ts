/** The repository a command acts on, with its config: what almost every command starts with. */
import { loadConfig, type Config } from './config.js';
import { openRepo, type Repo } from './git/repo.js';

export interface Workspace {
  repo: Repo;
  config: Config;
}

export async function openWorkspace(cwd: string): Promise<Workspace> {
  const repo = await openRepo(cwd);
  return { repo, config: loadConfig(repo.top) };
}
