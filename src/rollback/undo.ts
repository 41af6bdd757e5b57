/** `undo`: back to the safety snapshot of any journaled operation (an undo included). */
import type { Dirent } from 'node:fs';
import { readdir, readlink, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Repo } from '../git/repo.js';
import { hashFiles, listTree, storeBlob } from '../git/tree.js';
import { listRefs, resolveCommit } from '../git/refs.js';
import { objectTypes } from '../git/objects.js';
import { HEADS, unpushedRef } from '../git/ref-names.js';
import { listOperations, operationsByWorktree, type Operation } from '../state/journal.js';
import type { RefRecord } from '../state/journal-entries.js';
import { currentBranch, type HeadNow } from '../git/repo.js';
import { GitError } from '../git/exec.js';
import { branchCheckedOutElsewhere } from '../git/worktrees.js';
import { ReorgGuardError, UsageError } from '../errors.js';
import { checkName } from '../util/validate.js';
import { msg } from '../messages.js';
import { planRestore, snapshotState } from './restore-snapshot.js';
import { applyFileByFile, type Plan } from './plan.js';

/** The operation whose id is (or uniquely starts with) `id`, among `ops`. */
function matching(ops: Operation[], id: string): Operation[] {
  const exact = ops.find((o) => o.id === id);
  return exact ? [exact] : ops.filter((o) => o.id.startsWith(id));
}

/**
 * The newest operation of this work tree, or the one whose id is (or uniquely starts with)
 * `id`. One journaled in another work tree of the repository is refused, naming that work tree.
 */
export async function findOperation(repo: Repo, id?: string): Promise<Operation> {
  const ops = await listOperations(repo);
  if (id === undefined) {
    if (!ops[0]) throw new ReorgGuardError(msg.nothingToUndo());
    return ops[0];
  }
  checkName('operation', id);
  const matches = matching(ops, id);
  if (matches.length === 1) return matches[0];
  if (matches.length > 1) throw new UsageError(msg.ambiguousOperation(id));
  const here = path.resolve(repo.gitDir);
  const elsewhere = (await operationsByWorktree(repo)).find((w) => path.resolve(w.gitDir) !== here && matching(w.operations, id).length);
  throw new UsageError(elsewhere ? msg.operationOfOtherWorktree(id, elsewhere.top ?? elsewhere.gitDir) : msg.unknownOperation(id));
}

/** `now`: HEAD, its tree and the branch as just read in `repo` (openWorkspace's `head`), else read here. */
export async function planUndo(repo: Repo, op: Operation, now?: HeadNow): Promise<Plan> {
  const safety = op.safety;
  if (!safety) throw new ReorgGuardError(msg.noSafetySnapshot(op.id));
  // the snapshot and its parents in one git call, which fails when the snapshot is gone
  const state = await snapshotState(repo, safety.commit, safety.head, safety.branch, `safety snapshot of ${op.id}`).catch(async (err) => {
    if (err instanceof GitError && !(await resolveCommit(repo, safety.commit))) throw new ReorgGuardError(msg.noSafetySnapshot(op.id));
    throw err;
  });
  // git never checks one branch out in two work trees (an operation journaled in another work
  // tree, by a version that kept one journal for all, would do just that)
  if (safety.branch && safety.branch !== (now ? now.branch : await currentBranch(repo))) {
    const other = await branchCheckedOutElsewhere(repo, safety.branch);
    if (other) throw new UsageError(msg.undoBranchElsewhere(op.id, safety.branch, other));
  }
  const plan = await planRestore(repo, state, now);
  const refs = await deletedRefs(repo, op);
  plan.refs = refs.back;
  if (plan.refs.length) plan.notes.push(msg.undoRefsNote(plan.refs.length));
  if (refs.gone.length) plan.notes.push(msg.undoRefsGone(refs.gone));
  // A restore moved the files it replaced aside; ignored ones are not in the safety snapshot.
  const aside = op.op === 'restore' && op.detail && typeof op.detail === 'object' ? op.detail.movedAsideTo : null;
  if (aside) {
    const back = await movedAsideFiles(repo, aside, safety.commit);
    plan.write.push(...back);
    applyFileByFile(plan); // files that are in no tree: written one by one
    plan.notes.push(msg.undoRestoreAside(aside, back.length));
  }
  return plan;
}

/**
 * Files and symlinks a restore moved aside that the safety snapshot does not hold (ignored
 * ones), as writes from blobs stored now.
 */
async function movedAsideFiles(repo: Repo, dir: string, snapshot: string): Promise<Plan['write']> {
  const entries = (await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => [] as Dirent[]))
    .filter((d) => d.isFile() || d.isSymbolicLink())
    .map((d) => {
      const abs = path.join(d.parentPath ?? d.path, d.name);
      return { abs, path: path.relative(dir, abs).split(path.sep).join('/'), link: d.isSymbolicLink() };
    });
  const inSnapshot = new Set((await listTree(repo, snapshot)).map((e) => e.path));
  const missing = entries.filter((e) => !inSnapshot.has(e.path));
  const blobs = await hashFiles(repo, missing.filter((e) => !e.link).map((e) => e.abs), { store: true });
  const out: Plan['write'] = [];
  for (const e of missing) {
    if (e.link) {
      out.push({ path: e.path, mode: '120000', blob: await storeBlob(repo, await readlink(e.abs, { encoding: 'buffer' })), from: dir });
    } else {
      const st = await stat(e.abs);
      out.push({ path: e.path, mode: st.mode & 0o111 ? '100755' : '100644', blob: blobs.get(e.abs)!, from: dir });
    }
  }
  return out;
}

/**
 * Refs a cleanup deleted (its journal entry lists every ref with its commit), that are absent
 * now and whose commit is still in the object store; the remote's deleted branches come back
 * as unpushed records, so `reorg-guard push` sends them again.
 */
async function deletedRefs(repo: Repo, op: Operation): Promise<{ back: RefRecord[]; gone: string[] }> {
  if (op.op !== 'cleanup' || !op.plan) return { back: [], gone: [] };
  const plan = op.plan;
  const wanted: RefRecord[] = [...(plan.deleteLocal ?? [])];
  for (const r of plan.deleteRemote ?? []) {
    if (r.ref.startsWith(HEADS)) wanted.push({ ref: unpushedRef(r.ref.slice(HEADS.length)), commit: r.commit });
  }
  if (wanted.length === 0) return { back: [], gone: [] };
  // one for-each-ref for what exists now, one cat-file for which commits are still there
  const existing = new Set((await listRefs(repo, [...new Set(wanted.map((r) => r.ref.replace(/[^/]*$/, '')))])).map((r) => r.ref));
  const types = await objectTypes(repo, wanted.map((r) => r.commit));
  const out = new Map<string, RefRecord>();
  const gone = new Set<string>();
  for (const r of wanted) {
    if (existing.has(r.ref) || out.has(r.ref)) continue;
    if (types.get(r.commit) === 'commit') out.set(r.ref, r);
    else gone.add(r.ref); // its commit was pruned (git gc) since: nothing can bring it back
  }
  return { back: [...out.values()], gone: [...gone] };
}
