/**
 * Processes as the kernel knows them (Linux /proc): a pid is only trusted together with its
 * start time, so a pid the system has since given to another process is never signalled.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Fields 3 onwards of /proc/<pid>/stat (state, ppid, pgrp, ...), or null when there is no such process. */
function statFields(pid: number | string): string[] | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The command name (field 2) is in parentheses and may itself hold spaces and ')'.
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** A zombie has ended; it only waits for its parent to collect its exit status. */
const ended = (fields: string[]) => fields[0] === 'Z' || fields[0] === 'X';

/**
 * The start time of `pid` (clock ticks since boot, field 22 of /proc/<pid>/stat), or null
 * when no such process exists (a zombie counts as gone).
 */
export function startTime(pid: number): string | null {
  const fields = statFields(pid);
  return fields && !ended(fields) ? (fields[19] ?? null) : null;
}

/** USER_HZ: the unit of /proc start times, 100 on every Linux architecture user space sees. */
const TICKS_PER_SECOND = 100;

/** When `pid` started, in ms since the epoch (from boot time + its start time), or null. */
export function startedAtMs(pid: number): number | null {
  const ticks = startTime(pid);
  if (ticks === null) return null;
  let boot: number;
  try {
    boot = Number(/^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'))?.[1]);
  } catch {
    return null;
  }
  return Number.isFinite(boot) ? boot * 1000 + (Number(ticks) * 1000) / TICKS_PER_SECOND : null;
}

/** True when a process with this pid exists and started at `start`. */
export function isSameProcess(pid: number, start: string): boolean {
  return startTime(pid) === start;
}

/** Signal 0: whether `target` (a pid, or -pgid for a group) exists; EPERM means it does, owned by another user. */
function exists(target: number): boolean {
  try {
    process.kill(target, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** True while a process with this pid exists (whichever process that is now). */
export const pidExists = (pid: number) => exists(pid);

/**
 * Whether the process that journaled `started` at `at` (ISO time) may still be at work: its
 * pid exists and did not start later (a later start means the pid was reused by another process).
 */
export function stillAtWork(pid: number, at: string): boolean {
  if (pid === process.pid || !pidExists(pid)) return false;
  const started = startedAtMs(pid);
  return started === null || started <= Date.parse(at) + 1000;
}

/**
 * True while a process of the group is alive. Zombies do not count: where nobody reaps
 * orphans (some container inits), an ended group would otherwise never look gone.
 */
export function groupExists(pgid: number): boolean {
  if (!exists(-pgid)) return false;
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((e) => /^\d+$/.test(e));
  } catch {
    return true; // no /proc: trust the signal
  }
  return pids.some((p) => {
    const fields = statFields(p);
    return fields !== null && Number(fields[2]) === pgid && !ended(fields);
  });
}

/** Sends `signal` to every process of the group; false when the group is gone. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

/** A live process as /proc shows it. */
export interface ProcInfo {
  pid: number;
  ppid: number;
  pgid: number;
  /** Start time in clock ticks since boot, as /proc writes it. */
  start: string;
}

/** Every live process (zombies left out), read from /proc in one pass; empty without /proc. */
export function processTable(): Map<number, ProcInfo> {
  const table = new Map<number, ProcInfo>();
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((e) => /^\d+$/.test(e));
  } catch {
    return table;
  }
  for (const p of pids) {
    const fields = statFields(p);
    if (!fields || ended(fields) || fields[19] === undefined) continue;
    table.set(Number(p), { pid: Number(p), ppid: Number(fields[1]), pgid: Number(fields[2]), start: fields[19] });
  }
  return table;
}

/** A process's command line for people (arguments joined by spaces), or its name, or '?'. */
export function commandOf(pid: number): string {
  try {
    const line = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
    if (line) return line;
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() || '?';
  } catch {
    return '?';
  }
}

/** Sends `signal` to one process; false when it is gone (or not ours to signal). */
export function signalProcess(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false;
  }
}

/**
 * The variable that marks every process a supervised run started: its value lists the markers
 * of the runs around it (space-separated, a run inside a run adds its own). A process keeps it
 * through setsid and re-parenting, when no parent link leads back to the run any more.
 */
export const RUN_MARKER_ENV = 'REORG_GUARD_RUN';

/** True when `pid`'s environment carries `marker` in RUN_MARKER_ENV (false when unreadable). */
export function carriesMarker(pid: number, marker: string): boolean {
  let env: string;
  try {
    env = readFileSync(`/proc/${pid}/environ`, 'latin1');
  } catch {
    return false;
  }
  const prefix = `${RUN_MARKER_ENV}=`;
  const entry = env.split('\0').find((e) => e.startsWith(prefix));
  return entry !== undefined && entry.slice(prefix.length).split(' ').includes(marker);
}
