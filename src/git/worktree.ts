/** Linked worktrees: which branches are checked out anywhere (one `worktree list`). */
import { git } from './exec.js';
import type { Repo } from './repo.js';

/** Full names (refs/heads/x) of the branches checked out in this or any linked worktree. */
export async function checkedOutBranches(repo: Repo): Promise<Set<string>> {
  const { stdout } = await git(repo.top, ['worktree', 'list', '--porcelain', '-z']);
  const out = new Set<string>();
  for (const field of stdout.split('\0')) if (field.startsWith('branch ')) out.add(field.slice('branch '.length));
  return out;
}
