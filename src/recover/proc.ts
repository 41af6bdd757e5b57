/**
 * Processes as the kernel knows them (Linux /proc): a pid is only trusted together with its
 * start time, so a pid the system has since given to another process is never signalled.
 */
import { readFileSync } from 'node:fs';

/**
 * The start time of `pid` (clock ticks since boot, field 22 of /proc/<pid>/stat), or null
 * when no such process exists (a zombie counts as gone).
 */
export function startTime(pid: number): string | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The command name (field 2) is in parentheses and may itself hold spaces and ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state); field 22 is fields[19].
  if (fields[0] === 'Z' || fields[0] === 'X') return null;
  return fields[19] ?? null;
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

/** True while any process of the group exists. */
export const groupExists = (pgid: number) => exists(-pgid);

/** Sends `signal` to every process of the group; false when the group is gone. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}
