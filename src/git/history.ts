/** Questions about history that the hooks ask: what changed where, what nothing holds any more. */
import { git } from './exec.js';
import type { Repo } from './repo.js';

/**
 * True when `git diff <args>` finds a difference inside the pathspecs, e.g.
 * `diffTouches(repo, ['--cached'], specs)` for what is about to be committed.
 */
export async function diffTouches(repo: Repo, args: string[], pathspecs: string[]): Promise<boolean> {
  if (pathspecs.length === 0) return false;
  const { exitCode } = await git(repo.top, ['diff', '--quiet', ...args, '--', ...pathspecs], { okExitCodes: [1] });
  return exitCode === 1;
}

/** True when no branch and no tag holds `commit`: a switch away from it would orphan it. */
export async function isOrphaned(repo: Repo, commit: string): Promise<boolean> {
  const { stdout } = await git(repo.top, ['rev-list', '-1', commit, '--not', '--branches', '--tags', '--']);
  return stdout.trim() !== '';
}
