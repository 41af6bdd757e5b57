/**
 * What an undo of an interrupted operation would throw away beyond that operation's own
 * changes: work made after it (files created, changed or deleted since, commits, staging).
 * The operation's journaled plan says what it set out to do; anything else the undo would
 * change was done by someone else afterwards. An operation whose plan lists no files (e.g.
 * emergency-stop) cannot tell its own changes apart: everything counts.
 */
import { lstatSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Repo } from '../git/repo.js';
import { currentBranch, headCommit } from '../git/repo.js';
import { hashFiles } from '../git/tree.js';
import { readBlobs } from '../git/objects.js';
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

/** Plain sentences, one per thing the undo `plan` of `op` would discard that `op` did not make. */
export async function workSince(repo: Repo, op: Operation, plan: Plan): Promise<string[]> {
  const own = hasFilePlan(op) ? op.plan : undefined;
  // (a plan cut short, or of an older version, says nothing: all of it counts as work since)
  const known = Array.isArray(own?.write) && Array.isArray(own?.delete);
  const wrote = new Map((known ? own!.write : []).map((w) => [w.path, w.blob]));
  const deleted = new Set(known ? own!.delete : []);
  const there = (p: string) => lstatSync(path.join(repo.top, p), { throwIfNoEntry: false }) !== undefined;
  const paths = [...plan.write.map((w) => w.path), ...plan.delete];
  const exists = new Set(paths.filter(there));
  // files the operation wrote as bytes (from a snapshot) are compared as bytes, the rest as git stores them
  const asBytes = new Set((known ? own!.write : []).filter((w) => w.raw).map((w) => w.path));
  const [stored, raw] = await Promise.all([
    hashFiles(repo, [...exists].filter((p) => !asBytes.has(p))),
    storeRaw(repo, [...exists].filter((p) => asBytes.has(p)), false),
  ]);
  const now = new Map([...stored, ...raw]);
  // A file the operation was writing when it was killed holds the start of its bytes (none when
  // git had only opened it): the operation's own half-written file, not work made since.
  const differs = (known && op.status === 'started' ? [...exists] : []).filter((p) => wrote.has(p) && wrote.get(p) !== now.get(p));
  const cut = await cutShort(repo, differs, wrote);
  const out: string[] = [];
  // a file the undo writes back: gone now (the operation's deletion, or one since), or changed
  for (const { path: p } of plan.write) {
    if (!exists.has(p)) {
      if (!deleted.has(p)) out.push(msg.sinceDeleted(p));
    } else if (wrote.get(p) !== now.get(p) && !cut.has(p)) out.push(msg.sinceChanged(p));
  }
  // a file the undo deletes: the operation wrote it, with these bytes, or it is new since
  for (const p of plan.delete) if (exists.has(p) && wrote.get(p) !== now.get(p) && !cut.has(p)) out.push(msg.sinceCreated(p));
  const [head, branch] = await Promise.all([headCommit(repo), currentBranch(repo)]);
  if (plan.head && !(known && own!.head && own!.head.to === head && own!.head.branch === branch)) {
    out.push(msg.sinceHead(branch ?? 'HEAD', head));
  }
  if (plan.index && op.safety) {
    const [index, before] = await Promise.all([
      indexTreeOf(repo).catch(() => null),
      snapshotState(repo, op.safety.commit, op.safety.head, op.safety.branch, ''),
    ]);
    if (index !== before.indexTree && !(known && own!.index === index)) out.push(msg.sinceIndex());
  }
  return out;
}
