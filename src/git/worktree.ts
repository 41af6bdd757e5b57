/** The work tree as git sees it: uncommitted paths, clearing it (after a snapshot), worktrees. */
import { git, splitZ } from './exec.js';
import type { Repo } from './repo.js';

/** Uncommitted paths (staged, unstaged, untracked but not ignored), as `git status` names them. */
export async function uncommittedPaths(repo: Repo): Promise<string[]> {
  const { stdout } = await git(repo.top, ['status', '--porcelain=v1', '-z', '--untracked-files=all']);
  const records = splitZ(stdout);
  const paths: string[] = [];
  for (let i = 0; i < records.length; i++) {
    paths.push(records[i].slice(3));
    if (/[RC]/.test(records[i].slice(0, 2))) i++; // a rename or copy: the next record is its source
  }
  return paths;
}

/**
 * Puts index and tracked files back to HEAD and removes untracked files that are not ignored.
 * Destroys uncommitted work: call only after it was saved in a snapshot (beginOperation).
 */
export async function clearUncommitted(repo: Repo): Promise<void> {
  await git(repo.top, ['reset', '-q', '--hard', 'HEAD']);
  await git(repo.top, ['clean', '-q', '-d', '-f', '--', ':/']);
}

/** Paths of files in `rev` under `prefix` (a folder, e.g. `pkg/`), in one ls-tree. */
export async function filesAt(repo: Repo, rev: string, prefix: string): Promise<string[]> {
  const { stdout } = await git(repo.top, ['ls-tree', '-r', '-z', '--name-only', '--full-tree', rev, '--', prefix]);
  return splitZ(stdout);
}

/** For each object name (`<commit>`, `<commit>^{tree}`), whether the repository has it: one cat-file. */
export async function objectsPresent(repo: Repo, names: string[]): Promise<boolean[]> {
  if (names.length === 0) return [];
  const { stdout } = await git(repo.top, ['cat-file', '--batch-check'], { input: names.join('\n') + '\n' });
  return stdout.split('\n').slice(0, names.length).map((l) => !/ missing$/.test(l));
}

/** The tree a revision names, or null. */
export async function treeOf(repo: Repo, rev: string): Promise<string | null> {
  const { stdout, exitCode } = await git(repo.top, ['rev-parse', '-q', '--verify', '--end-of-options', `${rev}^{tree}`], { okExitCodes: [1, 128] });
  return exitCode === 0 ? stdout.trim() : null;
}

/** Which of `paths` differ between `rev` and the work tree (deleted ones included), in one diff. */
export async function changedSince(repo: Repo, rev: string, paths: string[]): Promise<string[]> {
  if (paths.length === 0) return [];
  const { stdout } = await git(repo.top, ['diff', '--no-ext-diff', '--no-renames', '--name-only', '-z', rev, '--', ...paths.map((p) => `:(literal)${p}`)]);
  return splitZ(stdout);
}

/** Full names (refs/heads/x) of the branches checked out in this or any linked worktree. */
export async function checkedOutBranches(repo: Repo): Promise<Set<string>> {
  const { stdout } = await git(repo.top, ['worktree', 'list', '--porcelain', '-z']);
  const out = new Set<string>();
  for (const field of stdout.split('\0')) if (field.startsWith('branch ')) out.add(field.slice('branch '.length));
  return out;
}
