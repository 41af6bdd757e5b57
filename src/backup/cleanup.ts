/**
 * Carrying out a cleanup plan (retention.ts decided it): one push for the remote, one ref
 * transaction for the local refs, then the archive files. Runs inside the journaled lifecycle.
 */
import { lstat, unlink } from 'node:fs/promises';
import type { Repo } from '../git/repo.js';
import { updateRefs, type RefUpdate } from '../git/refs.js';
import { pruneRemoteRefs, type Stray } from '../git/prune-remote.js';
import { branchRef, HEADS, trackingPrefix } from '../git/ref-names.js';
import { crashPoint } from '../state/crash.js';
import { OperationError } from '../errors.js';
import { msg } from '../messages.js';
import { toDelete, type CleanupPlan } from './retention.js';

export interface CleanupResult {
  operation: string;
  local: number;
  remote: number;
  archives: number;
  /** Remote refs the remote refused to delete. */
  remoteFailed: string[];
  /** Remote refs deleted without being planned (a race) that could not be pushed back. */
  unrestored: Stray[];
  remoteError: string | null;
}

/** What the journal records of a cleanup before it starts: every ref and commit, every archive. */
export function cleanupJournalPlan(plan: CleanupPlan) {
  const { backups, archives } = toDelete(plan);
  return {
    remote: plan.remote,
    deleteRemote: backups.flatMap((b) => b.remote),
    deleteLocal: backups.flatMap((b) => b.local),
    deleteArchives: archives.map((a) => a.path),
  };
}

/**
 * Carries out a plan (inside the journaled lifecycle, after the safety snapshot): the remote's
 * refs in one push, the local refs in one transaction that fails whole if any of them moved
 * since planning, then the archive files. `networkTimeoutMs`: config networkTimeout.
 */
export async function applyCleanup(repo: Repo, plan: CleanupPlan, operation: string, networkTimeoutMs: number): Promise<CleanupResult> {
  const { backups, archives } = toDelete(plan);
  const journalPlan = cleanupJournalPlan(plan);
  let remoteFailed: string[] = [];
  let remoteError: string | null = null;
  let unrestored: Stray[] = [];
  const seen = new Map(plan.backups.flatMap((b) => b.remote).map((r) => [r.ref, r.commit]));
  const goneRemotely = new Set<string>();
  if (journalPlan.deleteRemote.length > 0) {
    const drop = new Set(journalPlan.deleteRemote.map((r) => r.ref));
    const res = await pruneRemoteRefs(repo, plan.remote, { namespaces: plan.namespaces, seen, drop, timeoutMs: networkTimeoutMs });
    for (const [ref, ok] of res.refs) (ok ? goneRemotely.add(ref) : remoteFailed.push(ref));
    remoteError = res.error;
    unrestored = res.unrestored;
  }
  crashPoint('cleanup:remote');
  // A remote-tracking ref: git removed it with the remote's branch; one whose branch the remote
  // no longer has is stale and goes; one whose branch the remote still has stays.
  const tracking = trackingPrefix(plan.remote);
  const trackingHandled = (ref: string) => {
    const remoteRef = branchRef(ref.slice(tracking.length));
    return goneRemotely.has(remoteRef) || plan.remoteSkipped !== null || seen.has(remoteRef);
  };
  const localUpdates: RefUpdate[] = journalPlan.deleteLocal
    .filter((r) => !r.ref.startsWith(tracking) || !trackingHandled(r.ref))
    .map((r) => (r.ref.startsWith(tracking) ? { op: 'delete', ref: r.ref } : { op: 'delete', ref: r.ref, old: r.commit }));
  if (!(await updateRefs(repo, localUpdates, 'reorg-guard cleanup'))) throw new OperationError(msg.cleanupRaced());
  crashPoint('cleanup:local');
  let removed = 0;
  for (const a of archives) {
    const st = await lstat(a.path).catch(() => null);
    if (!st || !(st.isFile() || st.isSymbolicLink())) continue;
    await unlink(a.path);
    removed++;
  }
  return {
    operation,
    local: backups.filter((b) => b.local.some((r) => r.ref.startsWith(HEADS))).length,
    remote: backups.filter((b) => b.remote.some((r) => goneRemotely.has(r.ref))).length,
    archives: removed,
    remoteFailed,
    remoteError,
    unrestored,
  };
}
