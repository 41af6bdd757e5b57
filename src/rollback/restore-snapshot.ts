/**
 * Bringing the repository to a whole state: a tree for the work tree, a tree for the index, a
 * commit for HEAD and the branch that points to it. Undo uses it with a safety snapshot,
 * `rollback full` with a backup. Any journaled operation can be undone this way.
 */
import { existsSync, lstatSync } from 'node:fs';
import path from 'node:path';
import type { Repo } from '../git/repo.js';
import { headState, type HeadNow } from '../git/repo.js';
import { commitInfo, commitWithParents, diffTrees, listTree } from '../git/tree.js';
import { holdsBytes, parseIntentToAdd, parseModes, scanWork, type WorkState } from '../git/snapshot.js';
import { conversionInPlay, convertedPaths, isAttributesFile, storeRaw } from '../git/filters.js';
import type { TreeEntry } from '../git/tree.js';
import type { WorkDiff } from '../git/worktree.js';
import { diffWorkTree, refreshIndex } from '../git/worktree.js';
import { submodulesAway } from '../git/submodules.js';
import { msg } from '../messages.js';
import { applyByReset, type Plan } from './plan.js';

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
  /** `tree` holds the work tree's exact bytes (a snapshot): compared and written without git's conversion. */
  bytes?: boolean;
  /** Permission bits of files git would write otherwise (the snapshot kept them): path -> bits. */
  modes?: Map<string, number>;
}

/** The state a snapshot commit (takeSnapshot) holds. */
export async function snapshotState(repo: Repo, commit: string, head: string | null, branch: string | null, from: string): Promise<TargetState> {
  // the snapshot, its parents and HEAD, in one git call
  const [info, ...others] = await commitWithParents(repo, commit, head ? [head] : []);
  const byId = new Map(others.map((c) => [c.id, c]));
  // parents: HEAD (when there was one), then the index commit (absent when the index was unmerged)
  const indexCommit = head ? info.parents[1] : info.parents[0];
  const index = indexCommit ? byId.get(indexCommit)! : null;
  const indexTree = index ? index.tree : head ? (byId.get(head) ?? (await commitInfo(repo, head))).tree : null;
  return { tree: info.tree, indexTree, head, branch, from, intentToAdd: index ? parseIntentToAdd(index.message) : [], bytes: holdsBytes(info.message), modes: parseModes(info.message) };
}

/**
 * Makes the part of the work tree that `inScope` selects equal to `tree`: files that differ or
 * are missing are written, files the tree lacks are deleted. `bytes`: the tree holds exact
 * bytes (a snapshot), so files git converts are compared, and written, as bytes.
 */
export async function planMatchTree(
  repo: Repo, tree: string, from: string, inScope: (p: string) => boolean = () => true, bytes = false,
): Promise<Pick<Plan, 'write' | 'delete'>> {
  const [gitDiff, entries] = await Promise.all([diffWorkTree(repo, tree), listTree(repo, tree)]);
  const byPath = new Map(entries.map((e) => [e.path, e]));
  const diff = bytes ? await asBytes(repo, gitDiff, byPath) : gitDiff;
  const write = [...diff.changed, ...diff.missing]
    .filter((p) => inScope(p) && byPath.has(p)) // not a file: a gitlink, restored through the index
    .sort()
    .map((p) => ({ ...byPath.get(p)!, from, ...(bytes ? { raw: true } : {}) }));
  return { write, delete: diff.extra.filter(inScope).sort() };
}

/**
 * The diff corrected for files git converts: diff-files compares them as git would store them
 * (a CRLF file equals its LF blob under eol=crlf), a snapshot holds their bytes.
 */
async function asBytes(repo: Repo, diff: WorkDiff, byPath: Map<string, TreeEntry>): Promise<WorkDiff> {
  const conv = await conversionInPlay(repo);
  if (!conv) return diff;
  const missing = new Set(diff.missing);
  const present = [...byPath.values()].filter((e) => e.mode !== '120000' && !missing.has(e.path)).map((e) => e.path);
  const converted = [...(await convertedPaths(repo, conv, present))];
  const now = await storeRaw(repo, converted, false);
  const changed = new Set(diff.changed);
  for (const p of converted) {
    const st = lstatSync(path.join(repo.top, p), { throwIfNoEntry: false });
    if (!st?.isFile()) continue;
    const sameMode = (st.mode & 0o111 ? '100755' : '100644') === byPath.get(p)!.mode;
    if (now.get(p) === byPath.get(p)!.blob && sameMode) changed.delete(p);
    else changed.add(p);
  }
  return { ...diff, changed: [...changed] };
}

/**
 * The work tree as read for a plan, kept for the safety snapshot taken right after it when
 * nothing is asked in between (runPlanned): the work tree is then read once, not twice.
 */
const scans = new WeakMap<Plan, WorkState>();

/** The reading of the work tree `plan` was made from, if any. */
export const scanOf = (plan: Plan): WorkState | undefined => scans.get(plan);

/** Of a plan made from a scan, the paths it writes that the scanned work tree holds already (changed files). */
const inScan = new WeakMap<Plan, Set<string>>();

/**
 * The paths `plan` writes where something the scan did not read may be in the way (an ignored
 * file, or one in a folder there), for the safety snapshot made from the same scan: a changed
 * file the scan read is in the snapshot already, so only the paths new to the work tree are
 * looked at. Undefined for a plan made without a scan: every path is.
 */
export function writesToCheck(plan: Plan): string[] | undefined {
  const there = inScan.get(plan);
  return there && plan.write.filter((w) => !there.has(w.path)).map((w) => w.path);
}

/**
 * The work tree's files against `tree`, from the work tree read as a tree (scanWork): one
 * diff-tree of two trees. Gitlinks are left out: the index brings a submodule's commit back.
 */
async function planFromScan(
  repo: Repo, work: WorkState, tree: string, from: string, bytes = false,
): Promise<Pick<Plan, 'write' | 'delete'> & { gitlinks: boolean; changed: Set<string> }> {
  const write: Plan['write'] = [];
  const del: string[] = [];
  /** Written paths the work tree's tree holds (a file changed, or its type). */
  const changed = new Set<string>();
  let gitlinks = false;
  for (const c of await diffTrees(repo, work.tree, tree)) {
    if (c.fromMode === GITLINK || c.toMode === GITLINK) gitlinks = true;
    if (c.status === 'D') {
      if (c.fromMode !== GITLINK) del.push(c.path);
    } else if (c.toMode !== GITLINK) {
      write.push({ path: c.path, mode: c.toMode, blob: c.blob, from, ...(bytes ? { raw: true } : {}) });
      if (c.status !== 'A' && c.fromMode !== GITLINK) changed.add(c.path);
    }
  }
  // as planMatchTree sorts them
  return { write: write.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)), delete: del.sort(), gitlinks, changed };
}

const GITLINK = '160000';

/** A sparse checkout: git's own reset would leave the files outside it unwritten. */
const sparseCheckout = (repo: Repo) =>
  existsSync(path.join(repo.gitDir, 'info', 'sparse-checkout')) || existsSync(path.join(repo.commonDir, 'info', 'sparse-checkout'));

/**
 * The plan that brings the whole repository to `target`. `now`: HEAD, its tree and the branch as
 * just read (openWorkspace's `head`), else read here.
 */
export async function planRestore(repo: Repo, target: TargetState, now?: HeadNow): Promise<Plan> {
  const [{ commit: head, tree: headTree, branch }, away] = await Promise.all([now ?? headState(repo), submodulesAway(repo, target.tree)]);
  const work = await scanWork(repo, head, branch, headTree);
  let files: Pick<Plan, 'write' | 'delete'> & { gitlinks?: boolean; changed?: Set<string> };
  if (work) files = await planFromScan(repo, work, target.tree, target.from, target.bytes);
  else {
    // once here, not in each of the temporary indexes the plan and the safety snapshot copy from it
    await refreshIndex(repo);
    files = await planMatchTree(repo, target.tree, target.from, undefined, target.bytes);
  }
  const plan: Plan = { write: files.write, delete: files.delete, notes: away.map((s) => msg.submoduleAway(s.path, s.commit, s.now)) };
  if (work) scans.set(plan, work);
  if (files.changed) inScan.set(plan, files.changed);
  // git may write it all itself (applyPlan): the scan found nothing git converts, and no write
  // brings an attributes file (that would change what converts) or touches a submodule
  if (work && target.indexTree && !files.gitlinks && !plan.write.some((w) => isAttributesFile(w.path)) && !sparseCheckout(repo)) {
    const untracked = new Set([...work.untracked, ...work.intentToAdd]);
    applyByReset(plan, target.tree, new Set(plan.delete.filter((p) => untracked.has(p))));
  }
  if (head !== target.head || branch !== target.branch) plan.head = { branch: target.branch, from: head, to: target.head };
  if (target.indexTree) plan.index = target.indexTree;
  if (target.indexTree && target.intentToAdd?.length) plan.intentToAdd = target.intentToAdd;
  const modes = target.modes?.size ? plan.write.filter((w) => target.modes!.has(w.path)).map((w): [string, number] => [w.path, target.modes!.get(w.path)!]) : [];
  if (modes.length) plan.modes = modes;
  return plan;
}

