/**
 * Bringing the repository to a whole state: a tree for the work tree, a tree for the index, a
 * commit for HEAD and the branch that points to it. Undo uses it with a safety snapshot,
 * `rollback full` with a backup. Any journaled operation can be undone this way.
 */
import type { Repo } from '../git/repo.js';
import { currentBranch, headCommit } from '../git/repo.js';
import { commitInfo, listTree, readCommits } from '../git/tree.js';
import { parseIntentToAdd } from '../git/snapshot.js';
import { diffWorkTree, refreshIndex } from '../git/worktree.js';
import { applyPlan, type Plan } from './plan.js';

export interface TargetState {
  /** What the work tree must hold, byte for byte (ignored files are never touched). */
  tree: string;
  /** What the index must hold, or null to leave the index as it is. */
  indexTree: string | null;
  /** Commit for HEAD (null: a repository without commits). */
  head: string | null;
  /** Branch to check out (refs/heads/x), or null for a detached HEAD. */
  branch: string | null;
  /** Index entries that were only an intent to add (`git add -N`), marked again after the index. */
  intentToAdd?: string[];
  /** Where the content comes from, for the plan. */
  from: string;
}

/** The state a snapshot commit (takeSnapshot) holds. */
export async function snapshotState(repo: Repo, commit: string, head: string | null, branch: string | null, from: string): Promise<TargetState> {
  // the snapshot, its parents and HEAD, in one git call
  const [info, ...others] = await readCommits(repo, [commit, `${commit}^@`, ...(head ? [head] : [])]);
  const byId = new Map(others.map((c) => [c.id, c]));
  // parents: HEAD (when there was one), then the index commit (absent when the index was unmerged)
  const indexCommit = head ? info.parents[1] : info.parents[0];
  const index = indexCommit ? byId.get(indexCommit)! : null;
  const indexTree = index ? index.tree : head ? (byId.get(head) ?? (await commitInfo(repo, head))).tree : null;
  return { tree: info.tree, indexTree, head, branch, from, intentToAdd: index ? parseIntentToAdd(index.message) : [] };
}

/**
 * Makes the part of the work tree that `inScope` selects equal to `tree`: files that differ or
 * are missing are written, files the tree lacks are deleted.
 */
export async function planMatchTree(repo: Repo, tree: string, from: string, inScope: (p: string) => boolean = () => true): Promise<Pick<Plan, 'write' | 'delete'>> {
  const [diff, entries] = await Promise.all([diffWorkTree(repo, tree), listTree(repo, tree)]);
  const byPath = new Map(entries.map((e) => [e.path, e]));
  const write = [...diff.changed, ...diff.missing]
    .filter(inScope)
    .sort()
    .map((p) => ({ ...byPath.get(p)!, from }));
  return { write, delete: diff.extra.filter(inScope).sort() };
}

/** The plan that brings the whole repository to `target`. */
export async function planRestore(repo: Repo, target: TargetState): Promise<Plan> {
  // once here, not in each of the temporary indexes the plan and the safety snapshot copy from it
  await refreshIndex(repo);
  const files = await planMatchTree(repo, target.tree, target.from);
  const [head, branch] = await Promise.all([headCommit(repo), currentBranch(repo)]);
  const plan: Plan = { ...files, notes: [] };
  if (head !== target.head || branch !== target.branch) plan.head = { branch: target.branch, from: head, to: target.head };
  if (target.indexTree) plan.index = target.indexTree;
  if (target.indexTree && target.intentToAdd?.length) plan.intentToAdd = target.intentToAdd;
  return plan;
}

/**
 * Plans and applies a whole-state restore in one call, for commands that journal themselves
 * (call it inside `journaled(...)`, after the safety snapshot). Returns what it did.
 */
export async function restoreState(repo: Repo, op: string, target: TargetState): Promise<Plan> {
  const plan = await planRestore(repo, target);
  await applyPlan(repo, op, plan);
  return plan;
}
