/**
 * The emergency stop: stops exactly what the recorded runs started, their process groups and
 * every descendant (never a process found by its name); then (after the command's lifecycle took
 * a safety snapshot of what they left) with `stash` moves the uncommitted work out of the tree
 * (it stays in the snapshot, `undo` brings it back).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Repo } from '../git/repo.js';
import type { Begun } from '../state/journal.js';
import { clearUncommitted } from '../git/worktree.js';
import { gitOperationInProgress } from '../git/repo.js';
import { carriesMarker, commandOf, isSameProcess, processTable, signalGroup, signalProcess, type ProcInfo } from '../util/proc.js';
import { pidReused, removeRun, type RunRecord } from './runs.js';

export type StopOutcome =
  /** It was running (its leader, a member of its group, or a descendant) and nothing of it is left. */
  | 'stopped'
  /** Something of it outlived SIGKILL (e.g. stuck in the kernel): see `survivors`. */
  | 'survived'
  /** It had ended before: its record was left behind. */
  | 'gone'
  /** Its pid belongs to another process now: that one was left alone. */
  | 'pid-reused';

export interface Survivor {
  pid: number;
  command: string;
}

export interface StoppedRun {
  id: string;
  pid: number;
  argv: string[];
  outcome: StopOutcome;
  /** True when SIGTERM was not enough. */
  killed: boolean;
  /** How many processes of its tree were running when the stop began (or appeared during it). */
  processes: number;
  /** The processes of its tree still alive after SIGKILL, by pid and command line. */
  survivors: Survivor[];
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

const POLL_MS = 25;
/** How long SIGKILL gets to be delivered before what is left counts as a survivor. */
const KILL_WAIT_MS = 2000;

/** A process of a run's tree: a pid is only ever trusted together with its start time. */
interface Member {
  pid: number;
  start: string;
  run: string;
}

const key = (pid: number, start: string) => `${pid}:${start}`;
const ticks = (start: string) => Number(start);

/**
 * The processes a run started, as they are now: its leader (pid and start time as recorded),
 * the members of its process group, and every descendant of those through parent links (a
 * child never starts before its parent, which tells it from a later process that got a reused
 * pid). Members already known stay known after their parent died and they were re-parented.
 * Group members count only while the group is the run's: its leader is the recorded process,
 * or no process has that pid (the kernel gives no process a pid that is a live group's id).
 */
function collect(runs: RunRecord[], table: Map<number, ProcInfo>, known: Map<string, Member>): void {
  for (const r of runs) {
    const leader = table.get(r.pid);
    const groupIsOurs = leader ? leader.start === r.startTime : true;
    if (!groupIsOurs) continue;
    for (const p of table.values()) {
      if ((p.pid === r.pid || p.pgid === r.pgid) && ticks(p.start) >= ticks(r.startTime)) known.set(key(p.pid, p.start), { pid: p.pid, start: p.start, run: r.id });
    }
  }
  // what no parent link leads back to (its parent ended, it made a session of its own): the run's mark
  for (const r of runs) {
    if (!r.marker) continue;
    for (const p of table.values()) {
      if (ticks(p.start) < ticks(r.startTime) || known.has(key(p.pid, p.start)) || p.pid === process.pid) continue;
      if (carriesMarker(p.pid, r.marker)) known.set(key(p.pid, p.start), { pid: p.pid, start: p.start, run: r.id });
    }
  }
  // descendants of anything known, until no new one turns up
  const children = new Map<number, ProcInfo[]>();
  for (const p of table.values()) {
    const list = children.get(p.ppid);
    if (list) list.push(p);
    else children.set(p.ppid, [p]);
  }
  const queue = [...known.values()].filter((m) => table.get(m.pid)?.start === m.start);
  while (queue.length) {
    const parent = queue.pop()!;
    for (const c of children.get(parent.pid) ?? []) {
      const k = key(c.pid, c.start);
      if (known.has(k) || ticks(c.start) < ticks(parent.start)) continue;
      const m = { pid: c.pid, start: c.start, run: parent.run };
      known.set(k, m);
      queue.push(m);
    }
  }
}

const living = (known: Map<string, Member>, table: Map<number, ProcInfo>) => [...known.values()].filter((m) => table.get(m.pid)?.start === m.start);

/**
 * Signals every living member (each checked against its start time just before) and the
 * groups that are still the runs' own, re-reading /proc for members that appear meanwhile,
 * until none is left or `ms` has passed. Returns the members still alive.
 */
async function signalUntilGone(runs: RunRecord[], known: Map<string, Member>, signal: NodeJS.Signals, ms: number): Promise<Member[]> {
  const until = Date.now() + ms;
  const signalled = new Set<string>();
  for (;;) {
    const table = processTable();
    collect(runs, table, known);
    const alive = living(known, table);
    if (alive.length === 0) return [];
    for (const r of runs) {
      if (alive.some((m) => table.get(m.pid)?.pgid === r.pgid && m.run === r.id) && !signalled.has(`group:${r.pgid}`)) {
        signalled.add(`group:${r.pgid}`);
        signalGroup(r.pgid, signal);
      }
    }
    for (const m of alive) {
      const k = key(m.pid, m.start);
      // never this process (an emergency-stop started from inside the run stops the rest)
      if (signalled.has(k) || m.pid === process.pid || !isSameProcess(m.pid, m.start)) continue;
      signalled.add(k);
      signalProcess(m.pid, signal);
    }
    if (Date.now() >= until) return alive;
    await sleep(POLL_MS);
  }
}

/**
 * Stops the whole tree of every recorded run: the tree is taken before the first signal, then
 * SIGTERM, SIGKILL to what is left after the grace period, each round re-reading /proc until
 * nothing of it is left. A process that outlives SIGKILL is reported by pid and command.
 */
export async function stopRuns(runs: RunRecord[], graceMs: number): Promise<StoppedRun[]> {
  const known = new Map<string, Member>();
  collect(runs, processTable(), known);
  const termed = await signalUntilGone(runs, known, 'SIGTERM', graceMs);
  const killedRuns = new Set(termed.map((m) => m.run));
  const left = termed.length ? await signalUntilGone(runs, known, 'SIGKILL', KILL_WAIT_MS) : [];
  return runs.map((r) => {
    const mine = [...known.values()].filter((m) => m.run === r.id);
    const survivors = left.filter((m) => m.run === r.id).map((m) => ({ pid: m.pid, command: commandOf(m.pid) }));
    const outcome: StopOutcome = mine.length === 0 ? (pidReused(r) ? 'pid-reused' : 'gone') : survivors.length ? 'survived' : 'stopped';
    return { id: r.id, pid: r.pid, argv: r.argv, killed: killedRuns.has(r.id), outcome, processes: mine.length, survivors };
  });
}

/**
 * What the stop does after its safety snapshot (`begun`, taken by the command's lifecycle): with
 * `stash`, moves the uncommitted work out of the tree; forgets the records of runs that are over.
 */
export async function afterStop(repo: Repo, runs: StoppedRun[], stash: boolean, begun: Begun): Promise<StopResult> {
  // Mid-merge (or rebase...), clearing the tree would drop git's own state, which no
  // snapshot holds: the work stays where it is, and the command says why.
  const busy = stash ? gitOperationInProgress(repo) : null;
  if (stash && !busy) await clearUncommitted(repo);
  for (const r of runs) if (r.outcome !== 'survived') await removeRun(repo, r.id);
  return {
    runs, operation: begun.id, safetyRef: begun.safetyRef, snapshotSkipped: null,
    stashed: stash && !busy, stashSkipped: busy ? busy.what : null, dirtySubmodules: begun.snapshot.dirtySubmodules,
  };
}

/** The runs are stopped all the same when another operation holds the lock; the snapshot waits for it (`why`). */
export const stoppedWithoutSnapshot = (runs: StoppedRun[], why: string): StopResult => (
  { runs, operation: null, safetyRef: null, snapshotSkipped: why, stashed: false, stashSkipped: null }
);
