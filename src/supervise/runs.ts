/**
 * Records of supervised runs (`reorg-guard run`): one JSON file per run under
 * <git common dir>/reorg-guard/runs/, written atomically when the command starts and removed
 * when it ends. A record left behind means the supervisor itself died.
 */
import { mkdirSync } from 'node:fs';
import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Repo } from '../git/repo.js';
import { writeAtomic } from '../state/atomic.js';
import { stateDir } from '../state/paths.js';
import { carriesMarker, groupExists, isSameProcess, processTable, startTime } from '../util/proc.js';

export interface RunRecord {
  id: string;
  /** The command's pid; it leads its own process group (pgid === pid). */
  pid: number;
  pgid: number;
  /** Start time of `pid` from /proc: tells the recorded process from a later one with the same pid. */
  startTime: string;
  argv: string[];
  reason: string | null;
  cwd: string;
  startedAt: string;
  /** The backup branch taken before the command started. */
  backup: string;
  /** The `reorg-guard run` process watching the command. */
  supervisor: { pid: number; startTime: string | null };
  /** In the environment of everything the command started (proc.ts RUN_MARKER_ENV); absent in older records. */
  marker?: string;
}

/** running: the recorded process, or its group, is alive. gone: it ended (or its pid now belongs to another process). */
export type RunState = 'running' | 'gone';

export function runsDir(repo: Repo): string {
  const dir = path.join(stateDir(repo), 'runs');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

const recordFile = (repo: Repo, id: string) => path.join(runsDir(repo), `${id}.json`);

export async function saveRun(repo: Repo, record: RunRecord): Promise<void> {
  await writeAtomic(recordFile(repo, record.id), JSON.stringify(record, null, 2) + '\n');
}

export async function removeRun(repo: Repo, id: string): Promise<void> {
  await rm(recordFile(repo, id), { force: true });
}

/** Every recorded run, oldest first. Unreadable records (a crash mid-rename cannot make one) are skipped. */
export async function listRuns(repo: Repo): Promise<RunRecord[]> {
  const dir = runsDir(repo);
  const runs: RunRecord[] = [];
  for (const name of (await readdir(dir)).filter((n) => n.endsWith('.json')).sort()) {
    try {
      const run = JSON.parse(await readFile(path.join(dir, name), 'utf8')) as RunRecord;
      if (wellFormed(run)) runs.push(run);
    } catch {
      // a foreign or damaged file: not ours to judge
    }
  }
  return runs;
}

/**
 * A record we may act on: a real pid leading its own group. A pgid of 0 or 1 would make
 * kill(-pgid) hit our own group or every process, so a damaged record is never trusted.
 */
function wellFormed(run: RunRecord): boolean {
  return Number.isInteger(run.pid) && run.pid > 1 && run.pgid === run.pid && typeof run.startTime === 'string' && run.startTime !== ''
    && Array.isArray(run.argv) && typeof run.id === 'string';
}

/**
 * Running while its recorded process lives, or while members of its group live on after it
 * ended (the group is still the run's while no process has its pid: the kernel gives no
 * process a pid that is a live group's id), or while a process carries its mark (it left the
 * group and its parent ended). emergency-stop stops all of those.
 */
export function runState(run: RunRecord): RunState {
  if (isSameProcess(run.pid, run.startTime)) return 'running';
  if (startTime(run.pid) === null && groupExists(run.pgid)) return 'running';
  // a process that left the group and lost its parent still carries the run's mark
  const marker = run.marker;
  if (marker && [...processTable().values()].some((p) => p.pid !== process.pid && Number(p.start) >= Number(run.startTime) && carriesMarker(p.pid, marker))) {
    return 'running';
  }
  return 'gone';
}

/** Whether the pid of a gone run now belongs to another process (which must never be signalled). */
export function pidReused(run: RunRecord): boolean {
  const now = startTime(run.pid);
  return now !== null && now !== run.startTime;
}

/** A recorded command line for people: one line, long arguments cut. */
export function showCommand(argv: string[], max = 100): string {
  const line = argv
    .map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : JSON.stringify(a.length > 40 ? `${a.slice(0, 40)}…` : a)))
    .join(' ');
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
