/**
 * What an undo would throw away beyond the operation's own changes: work made after it (files
 * created, changed or deleted since, commits, staging), for recover's finding of an interrupted
 * operation and undo --worktree (workSince), and for the refusal of a plain undo (lostToUndo).
 * The operation's journaled plan says what it set out to do; anything else the undo would
 * change was done by someone else afterwards. An operation whose plan lists no files (e.g.
 * emergency-stop) cannot tell its own changes apart: everything counts.
 */
import { lstatSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Repo } from '../git/repo.js';
import { currentBranch, headCommit } from '../git/repo.js';
import { commitsOnlyIn, type CommitLine } from '../git/history.js';
import { resolveCommit } from '../git/refs.js';
import { hashFiles } from '../git/tree.js';
import { readBlobs, readCheckedOut } from '../git/objects.js';
import { storeRaw } from '../git/filters.js';
import { indexTreeOf } from '../git/snapshot.js';
import type { Operation } from '../state/journal.js';
import { hasFilePlan } from '../state/journal-entries.js';
import { msg } from '../messages.js';
import type { Plan } from './plan.js';
import { snapshotState } from './restore-snapshot.js';

/** Of `paths`, those whose bytes on the disk are a shorter start of the blob the operation wrote there. */
async function cutShort(repo: Repo, paths: string[], wrote: Map<string, string>): Promise<Set<string>> {
  const sizes = new Map(paths.map((p) => [p, lstatSync(path.join(repo.top, p))] as const).filter(([, st]) => st.isFile()).map(([p, st]) => [p, st.size]));
  const files = paths.filter((p) => sizes.has(p));
  const blobs = await readBlobs(repo, files.map((p) => wrote.get(p)!));
  return new Set(files.filter((p) => {
    const blob = blobs.get(wrote.get(p)!);
    if (!blob || sizes.get(p)! >= blob.length) return false;
    const bytes = readFileSync(path.join(repo.top, p));
    return bytes.length < blob.length && blob.subarray(0, bytes.length).equals(bytes);
  }));
}

/** Of `paths`, those whose bytes on the disk are what git checks out for the blob the operation wrote there. */
async function checkedOutAsIs(repo: Repo, paths: string[], wrote: Map<string, string>): Promise<string[]> {
  const files = paths.filter((p) => lstatSync(path.join(repo.top, p)).isFile());
  const bytes = await readCheckedOut(repo, files.map((p) => ({ path: p, blob: wrote.get(p)! })));
  return files.filter((p) => bytes.get(p)?.equals(readFileSync(path.join(repo.top, p))));
}

/** What an undo would change that the operation did not: per file, HEAD, the index. */
interface Since {
  files: Array<{ path: string; how: 'created' | 'changed' | 'deleted' }>;
  /** HEAD moved since: the branch (or HEAD) and where it is now. */
  head: { branch: string; commit: string | null } | null;
  index: boolean;
}

/** The things the undo `plan` of `op` would discard that `op` did not make. */
async function changesSince(repo: Repo, op: Operation, plan: Plan): Promise<Since> {
  const own = hasFilePlan(op) ? op.plan : undefined;
  // (a plan cut short, or of an older version, says nothing: all of it counts as work since)
  const known = Array.isArray(own?.write) && Array.isArray(own?.delete);
  const wrote = new Map((known ? own!.write : []).map((w) => [w.path, w.blob]));
  const deleted = new Set(known ? own!.delete : []);
  // a file or symlink at the path (a folder there now, or a file where a folder was, holds none)
  const there = (p: string) => {
    try {
      const st = lstatSync(path.join(repo.top, p), { throwIfNoEntry: false });
      return st !== undefined && !st.isDirectory();
    } catch {
      return false; // ENOTDIR: a file where a folder of the path was
    }
  };
  const paths = [...plan.write.map((w) => w.path), ...plan.delete];
  const exists = new Set(paths.filter(there));
  // files the operation wrote as bytes (from a snapshot) are compared as bytes, the rest as git stores them
  const asBytes = new Set((known ? own!.write : []).filter((w) => w.raw).map((w) => w.path));
  const [stored, raw] = await Promise.all([
    hashFiles(repo, [...exists].filter((p) => !asBytes.has(p))),
    storeRaw(repo, [...exists].filter((p) => asBytes.has(p)), false),
  ]);
  const now = new Map([...stored, ...raw]);
  // A file the operation checked out that git would store otherwise (a filter whose clean undoes
  // no smudge): unchanged when its bytes are still what the checkout wrote.
  const restaged = [...stored.keys()].filter((p) => wrote.has(p) && wrote.get(p) !== now.get(p));
  for (const p of await checkedOutAsIs(repo, restaged, wrote)) now.set(p, wrote.get(p)!);
  // A file the operation was writing when it was killed holds the start of its bytes (none when
  // git had only opened it): the operation's own half-written file, not work made since.
  const differs = (known && op.status === 'started' ? [...exists] : []).filter((p) => wrote.has(p) && wrote.get(p) !== now.get(p));
  const cut = await cutShort(repo, differs, wrote);
  const out: Since = { files: [], head: null, index: false };
  // a file the undo writes back: gone now (the operation's deletion, or one since), or changed
  for (const { path: p } of plan.write) {
    if (!exists.has(p)) {
      if (!deleted.has(p)) out.files.push({ path: p, how: 'deleted' });
    } else if (wrote.get(p) !== now.get(p) && !cut.has(p)) out.files.push({ path: p, how: 'changed' });
  }
  // a file the undo deletes: the operation wrote it, with these bytes, or it is new since
  for (const p of plan.delete) if (exists.has(p) && wrote.get(p) !== now.get(p) && !cut.has(p)) out.files.push({ path: p, how: 'created' });
  const [head, branch] = await Promise.all([headCommit(repo), currentBranch(repo)]);
  if (plan.head && !(known && own!.head && own!.head.to === head && own!.head.branch === branch)) {
    out.head = { branch: branch ?? 'HEAD', commit: head };
  }
  if (plan.index && op.safety) {
    const [index, before] = await Promise.all([
      indexTreeOf(repo).catch(() => null),
      snapshotState(repo, op.safety.commit, op.safety.head, op.safety.branch, ''),
    ]);
    if (index !== before.indexTree && !(known && own!.index === index)) out.index = true;
  }
  return out;
}

const SINCE = { created: msg.sinceCreated, changed: msg.sinceChanged, deleted: msg.sinceDeleted };

/** Plain sentences, one per thing the undo `plan` of `op` would discard that `op` did not make. */
export async function workSince(repo: Repo, op: Operation, plan: Plan): Promise<string[]> {
  const since = await changesSince(repo, op, plan);
  return [
    ...since.files.map((f) => SINCE[f.how](f.path)),
    ...(since.head ? [msg.sinceHead(since.head.branch, since.head.commit)] : []),
    ...(since.index ? [msg.sinceIndex()] : []),
  ];
}

/** What an undo would lose for good, were its safety snapshot not kept: commits, and files' bytes. */
export interface LostToUndo {
  /** Commits made since, that the branch the undo moves (or a detached HEAD it leaves) alone holds. */
  commits: CommitLine[];
  /** Files created or changed since the operation, that the undo deletes or writes over. */
  files: string[];
}

/**
 * An operation whose own changes to the files are unknown: emergency-stop --stash (it cleared
 * the uncommitted work) and restore (it replaced the tree) journal no file plan. Every other
 * one journals its plan or changes no file (cleanup, emergency-stop without --stash).
 */
const filesUnknown = (op: Operation) => op.op === 'restore' || (op.op === 'emergency-stop' && op.args?.stash === true);

/**
 * What undoing `op` with `plan` would throw away that was made after `op`: commits on the branch
 * it moves back (none it or `op` started from), files created or changed since (deleted ones
 * come back: nothing of them is lost).
 */
export async function lostToUndo(repo: Repo, op: Operation, plan: Plan): Promise<LostToUndo> {
  const own = hasFilePlan(op) ? op.plan : undefined;
  const [since, branchNow] = await Promise.all([
    filesUnknown(op) ? null : changesSince(repo, op, plan),
    currentBranch(repo),
  ]);
  let commits: CommitLine[] = [];
  const moved = plan.head;
  if (moved) {
    const kept = [op.safety?.head, own?.head?.to, moved.to].filter((c): c is string => !!c);
    // the branch is set back: what it alone has since; a detached HEAD is left: what nothing holds
    const tip = moved.branch ? await resolveCommit(repo, moved.branch) : null;
    const [onBranch, detached] = await Promise.all([
      tip ? commitsOnlyIn(repo, [tip], kept) : [],
      !branchNow && moved.from && moved.from !== tip ? commitsOnlyIn(repo, [moved.from], kept, { unheld: true }) : [],
    ]);
    commits = [...onBranch, ...detached];
  }
  const files = (since?.files ?? []).filter((f) => f.how !== 'deleted').map((f) => f.path);
  return { commits, files };
}
