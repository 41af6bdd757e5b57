/**
 * A plan: exactly what a rollback or an undo will change (files written, files deleted, HEAD
 * and branch moved, index replaced). Computed before anything changes, shown by --dry-run,
 * journaled with the operation, then applied.
 */
import { chmodSync, lstatSync, rmdirSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import type { Repo } from '../git/repo.js';
import { updateRefs, type RefSession, type RefUpdate } from '../git/refs.js';
import type { FilePlan } from '../state/journal-entries.js';
import { resetToTree, setHead, setIndex, setIndexOnly, writeEntries } from '../git/worktree.js';
import { fileAt, kindOf, type Kind } from '../git/snapshot.js';
import { crashPoint } from '../state/crash.js';
import { msg } from '../messages.js';

/** The plan of a rollback or undo: its shape is what the journal records (state/journal-entries.ts). */
export type Plan = FilePlan;

export function emptyPlan(): Plan {
  return { write: [], delete: [], notes: [] };
}

export function isNoop(plan: Plan): boolean {
  return plan.write.length === 0 && plan.delete.length === 0 && !plan.head && !plan.index && !plan.refs?.length;
}

/** The plan as lines for people: every file and ref, nothing summarised away. */
export function describePlan(plan: Plan): string[] {
  const lines: string[] = plan.notes.map((n) => msg.planNote(n));
  if (plan.write.length) {
    lines.push(msg.planRestore(plan.write.length));
    for (const w of plan.write) lines.push(msg.planRestoreFile(w.path, w.from));
  }
  if (plan.delete.length) {
    lines.push(msg.planDelete(plan.delete.length));
    for (const d of plan.delete) lines.push(msg.planDeleteFile(d));
  }
  if (plan.head) lines.push(msg.planMoveHead(plan.head.branch, plan.head.from, plan.head.to));
  if (plan.index) lines.push(msg.planIndex(plan.index));
  if (plan.intentToAdd?.length) lines.push(msg.planIntentToAdd(plan.intentToAdd.length));
  if (plan.refs?.length) {
    lines.push(msg.planRefs(plan.refs.length));
    for (const r of plan.refs) lines.push(msg.planRef(r.ref, r.commit));
  }
  return lines;
}

/**
 * Plans that git may apply itself, with the tree they bring the work tree to: made from a reading
 * of the work tree (restore-snapshot.ts) where git converts nothing and no write brings an
 * attributes file or touches a submodule. Not journaled: known to the process that planned.
 */
const byReset = new WeakMap<Plan, { tree: string; ours: Set<string> }>();

/**
 * Lets `plan`, which makes the work tree `tree`, be applied by git's own reset (see applyPlan).
 * `ours`: the paths of its deletions that have no index entry (untracked files, `git add -N`
 * ones), which git's reset leaves: those are removed here, the rest git removes.
 */
export function applyByReset(plan: Plan, tree: string, ours: Set<string>): void {
  byReset.set(plan, { tree, ours });
}

/** `plan` gained writes from elsewhere than its tree: it is applied file by file. */
export function applyFileByFile(plan: Plan): void {
  byReset.delete(plan);
}

/**
 * Applies a plan: writes first, then deletions (so a crash in between never loses the source
 * of a write, e.g. `buf.yaml.backup`, and a rerun finishes the job), then HEAD, then the index.
 * Only files in the way of a write (a file where a folder must go) are deleted before it.
 * Every step is a named crash point (`<op>:<step>`); the safety snapshot taken before makes
 * any crash undoable.
 */
export async function applyPlan(repo: Repo, op: string, plan: Plan, onBranch?: string | null, refs?: RefSession): Promise<void> {
  const reset = byReset.get(plan);
  if (reset && plan.index) return applyByGitReset(repo, op, plan, reset, plan.index, onBranch, refs);
  const written = new Set(plan.write.map((w) => w.path));
  /** A file inside a folder that a write turns into a file. */
  const inTheWay = (p: string) => {
    for (let i = p.indexOf('/'); i > 0; i = p.indexOf('/', i + 1)) if (written.has(p.slice(0, i))) return true;
    return false;
  };
  const first = written.size ? plan.delete.filter(inTheWay) : [];
  removeFiles(repo.top, first);
  await writeEntries(repo, plan.write);
  setModes(repo.top, plan.modes);
  crashPoint(`${op}:written`);
  removeFiles(repo.top, first.length ? plan.delete.filter((p) => !inTheWay(p)) : plan.delete, () => crashPoint(`${op}:deleting`));
  crashPoint(`${op}:deleted`);
  await moveHead(repo, op, plan, onBranch, refs);
  if (plan.index) {
    await setIndex(repo, plan.index, plan.intentToAdd);
    crashPoint(`${op}:index`);
  }
  await restoreRefs(repo, op, plan, refs);
}

/**
 * The whole-state plan (rollback full, undo) applied as `git reset --hard` would: one
 * `read-tree -u --reset` writes the files that differ and removes the tracked ones the tree
 * lacks, recording the stat data of what it writes (no file is hashed again for the index), then
 * the untracked files the plan deletes go, then HEAD, then the index's own tree. The plan's
 * files are what this does: the plan was made from the same reading of the work tree against the
 * same tree. `onBranch`: the branch HEAD names now (read under the operation lock).
 */
async function applyByGitReset(
  repo: Repo, op: string, plan: Plan, { tree, ours }: { tree: string; ours: Set<string> }, indexTree: string, onBranch?: string | null, refs?: RefSession,
): Promise<void> {
  await resetToTree(repo, tree);
  setModes(repo.top, plan.modes);
  crashPoint(`${op}:written`);
  // what git removed is gone already (the files of index entries, and the folders they leave
  // empty): only the untracked ones are left to do, not thousands of paths looked at again
  removeFiles(repo.top, plan.delete.filter((p) => ours.has(p)), () => crashPoint(`${op}:deleting`));
  crashPoint(`${op}:deleted`);
  await moveHead(repo, op, plan, onBranch, refs);
  if (indexTree !== tree || plan.intentToAdd?.length) await setIndexOnly(repo, indexTree, plan.intentToAdd);
  crashPoint(`${op}:index`);
  await restoreRefs(repo, op, plan, refs);
}

/** Gives written files the permission bits a snapshot kept (git writes 0666 or 0777 less the umask). */
function setModes(top: string, modes: Plan['modes']): void {
  for (const [rel, bits] of modes ?? []) {
    const file = path.join(top, rel);
    if (fileAt(file)) chmodSync(file, bits);
  }
}

async function moveHead(repo: Repo, op: string, plan: Plan, onBranch?: string | null, refs?: RefSession): Promise<void> {
  if (plan.head) {
    await setHead(repo, plan.head.to, plan.head.branch, `reorg-guard ${op}`, onBranch, refs);
    crashPoint(`${op}:head`);
  }
}

async function restoreRefs(repo: Repo, op: string, plan: Plan, refs?: RefSession): Promise<void> {
  if (plan.refs?.length) {
    // `update` (no expected old value): a rerun after a crash finds them made already
    const updates = plan.refs.map((r): RefUpdate => ({ op: 'update', ref: r.ref, value: r.commit }));
    await (refs ? refs.update(updates) : updateRefs(repo, updates, `reorg-guard ${op}`));
    crashPoint(`${op}:refs`);
  }
}

/**
 * Removes files (never folders: a write may have put one where a file was), then the folders
 * left empty, deepest first. Synchronous calls: thousands of small deletions cost more in the
 * thread pool's round trips than in the file system.
 */
function removeFiles(top: string, paths: string[], afterFirst?: () => void): void {
  const parents = new Set<string>();
  const inTree = realFolders(top);
  for (const [i, rel] of paths.entries()) {
    // below a symlink (a write put one where a folder was): not the work tree's file, never removed
    if (inTree(path.posix.dirname(rel))) removeFile(path.join(top, rel));
    for (let dir = path.posix.dirname(rel); dir && dir !== '.' && !parents.has(dir); dir = path.posix.dirname(dir)) parents.add(dir);
    if (i === 0) afterFirst?.();
  }
  const depth = (d: string) => d.split('/').length;
  for (const dir of [...parents].sort((a, b) => depth(b) - depth(a))) {
    if (!inTree(dir)) continue;
    try {
      rmdirSync(path.join(top, dir));
    } catch {
      // not empty (or already gone): kept
    }
  }
}

/**
 * Whether a folder of the work tree (relative to `top`) is a real folder, and each folder above
 * it too: a path through a symlink leads out of the work tree (`pkg/auth -> /elsewhere`), and
 * unlink and rmdir follow it. Each folder is looked at once (lstat, kindOf).
 */
function realFolders(top: string): (dir: string) => boolean {
  const kinds = new Map<string, Kind>();
  const real = (dir: string): boolean => !dir || dir === '.' || (kindOf(top, dir, kinds) === 'dir' && real(path.posix.dirname(dir)));
  return real;
}

/**
 * Removes a file or symlink; a folder (or nothing) at that path is left as it is. Looked at
 * first: after git's own reset most of a plan's deletions are done already, and a failed unlink
 * costs node an exception each.
 */
function removeFile(file: string): void {
  let st;
  try {
    st = lstatSync(file, { throwIfNoEntry: false });
  } catch (err) {
    // a folder on its way is a file now (a write put it there): nothing to remove
    if ((err as NodeJS.ErrnoException).code === 'ENOTDIR') return;
    throw err;
  }
  if (!st || st.isDirectory()) return;
  unlinkSync(file);
}
