/** The work trees of a repository (main and linked), as `git worktree list` tells them. */
import path from 'node:path';
import { git } from './exec.js';
import { openRepo, type Repo } from './repo.js';
import { UsageError } from '../errors.js';
import { msg } from '../messages.js';

export interface WorktreeInfo {
  top: string;
  /** refs/heads/x, or null (detached, or bare). */
  branch: string | null;
}

export async function listWorktrees(repo: Repo): Promise<WorktreeInfo[]> {
  const { stdout } = await git(repo, ['worktree', 'list', '--porcelain', '-z']);
  const out: WorktreeInfo[] = [];
  for (const field of stdout.split('\0')) {
    if (field.startsWith('worktree ')) out.push({ top: field.slice('worktree '.length), branch: null });
    else if (field.startsWith('branch ') && out.length) out[out.length - 1].branch = field.slice('branch '.length);
  }
  return out;
}

/** Full names (refs/heads/x) of the branches checked out in this or any linked worktree. */
export async function checkedOutBranches(repo: Repo): Promise<Set<string>> {
  return new Set((await listWorktrees(repo)).flatMap((w) => (w.branch ? [w.branch] : [])));
}

/** The other work tree that has `branch` checked out, or null. */
export async function branchCheckedOutElsewhere(repo: Repo, branch: string): Promise<string | null> {
  const here = path.resolve(repo.top);
  const other = (await listWorktrees(repo)).find((w) => w.branch === branch && path.resolve(w.top) !== here);
  return other ? other.top : null;
}

/** The work tree at `dir` (any folder inside it), which must belong to the same repository as `repo`. */
export async function openWorktreeOf(repo: Repo, dir: string): Promise<Repo> {
  // not a repository at all, a bare one, no such folder: the same answer, about --worktree (not -C)
  const other = await openRepo(dir, repo.door).catch((err) => {
    if (err instanceof UsageError) throw new UsageError(msg.notThisRepoWorktree(dir));
    throw err;
  });
  if (path.resolve(other.commonDir) !== path.resolve(repo.commonDir)) throw new UsageError(msg.notThisRepoWorktree(dir));
  return other;
}
