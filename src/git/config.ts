/** The repository's own git config (.git/config), for what init and uninstall change there. */
import { git } from './exec.js';
import type { Repo } from './repo.js';

/** Removes `key` from the repository's own config; false when it was not set there. */
export async function unsetLocalConfig(repo: Repo, key: string): Promise<boolean> {
  const { exitCode } = await git(repo, ['config', '--local', '--unset-all', key], { okExitCodes: [5] });
  return exitCode === 0;
}
