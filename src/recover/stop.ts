/**
 * The emergency stop: stops exactly the recorded process groups (never a process found by
 * its name), then takes a safety snapshot of what they left, and with `stash` moves the
 * uncommitted work out of the tree (it stays in the snapshot, `undo` brings it back).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Repo } from '../git/repo.js';
import { journaled } from '../state/journal.js';
import { OperationLockedError } from '../state/lock.js';
import { clearUncommitted } from '../git/worktree.js';
import { gitOperationInProgress } from '../git/repo.js';
import { groupExists, isSameProcess, signalGroup } from './proc.js';
import { listRuns, pidReused, removeRun, type RunRecord } from './runs.js';

export type StopOutcome =
  /** It was running and its group is gone now. */
  | 'stopped'
  /** Still there after SIGKILL (e.g. stuck in the kernel). */
  | 'survived'
  /** It had ended before: its record was left behind. */
  | 'gone'
  /** Its pid belongs to another process now: that one was left alone. */
  | 'pid-reused';

export interface StoppedRun {
  id: string;
  pid: number;
  argv: string[];
  outcome: StopOutcome;
  /** True when SIGTERM was not enough. */
  killed: boolean;
}

export interface StopResult {
  runs: StoppedRun[];
  /** The journaled operation and its safety snapshot; null when another operation held the lock. */
  operation: string | null;
  safetyRef: string | null;
  /** Why no safety snapshot was taken (another reorg-guard operation was changing the repository), or null. */
  snapshotSkipped: string | null;
  /** Uncommitted work was moved out of the tree (into the safety snapshot). */
  stashed: boolean;
  /** Why --stash left the work in place (a merge or rebase in progress), or null. */
  stashSkipped: string | null;
  /** Submodules with work of their own, which the snapshot does not hold (and --stash leaves in place). */
  dirtySubmodules?: string[];
}

export interface StopOptions {
  /** How long SIGTERM gets before SIGKILL. */
  graceMs: number;
  stash: boolean;
}

const POLL_MS = 25;

async function waitGone(pgids: number[], ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (pgids.some(groupExists) && Date.now() < until) await sleep(POLL_MS);
}

/** SIGTERM to every live recorded group, SIGKILL to those left after the grace period. */
export async function stopRuns(runs: RunRecord[], graceMs: number): Promise<StoppedRun[]> {
  const live = runs.filter((r) => isSameProcess(r.pid, r.startTime));
  for (const r of live) signalGroup(r.pgid, 'SIGTERM');
  await waitGone(live.map((r) => r.pgid), graceMs);
  const killed = new Set<string>();
  for (const r of live) {
    // The leader still being the recorded process, or the group still existing (its id cannot be
    // reused while a member lives), both mean the group is still ours.
    if (groupExists(r.pgid)) {
      signalGroup(r.pgid, 'SIGKILL');
      killed.add(r.id);
    }
  }
  if (killed.size) await waitGone(live.filter((r) => killed.has(r.id)).map((r) => r.pgid), 2000);
  return runs.map((r) => ({
    id: r.id,
    pid: r.pid,
    argv: r.argv,
    killed: killed.has(r.id),
    outcome: live.includes(r) ? (groupExists(r.pgid) ? 'survived' : 'stopped') : pidReused(r) ? 'pid-reused' : 'gone',
  }));
}

export async function emergencyStop(repo: Repo, opts: StopOptions): Promise<StopResult> {
  const runs = await stopRuns(await listRuns(repo), opts.graceMs);
  try {
    return await journaled(repo, 'emergency-stop', { stash: opts.stash }, { runs, stash: opts.stash }, async (begun) => {
      // Mid-merge (or rebase...), clearing the tree would drop git's own state, which no
      // snapshot holds: the work stays where it is, and the command says why.
      const busy = opts.stash ? gitOperationInProgress(repo) : null;
      if (opts.stash && !busy) await clearUncommitted(repo);
      for (const r of runs) if (r.outcome !== 'survived') await removeRun(repo, r.id);
      return {
        runs, operation: begun.id, safetyRef: begun.safetyRef, snapshotSkipped: null,
        stashed: opts.stash && !busy, stashSkipped: busy ? busy.what : null, dirtySubmodules: begun.snapshot.dirtySubmodules,
      };
    });
  } catch (err) {
    // The runs are stopped all the same; the snapshot waits for the operation holding the lock.
    if (!(err instanceof OperationLockedError)) throw err;
    return { runs, operation: null, safetyRef: null, snapshotSkipped: err.why, stashed: false, stashSkipped: null };
  }
}
