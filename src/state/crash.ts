/**
 * Fault injection for crash-safety tests: with REORG_GUARD_CRASH_AT=<step>, the process kills
 * itself with SIGKILL when it reaches that named step, as a power cut or `kill -9` would.
 * REORG_GUARD_CRASH_STEPS=<file> appends every step reached to that file, so a test can
 * enumerate the steps of a command and then crash at each one.
 */
import { appendFileSync } from 'node:fs';

export function crashPoint(step: string): void {
  const log = process.env.REORG_GUARD_CRASH_STEPS;
  if (log) appendFileSync(log, `${step}\n`);
  if (process.env.REORG_GUARD_CRASH_AT === step) process.kill(process.pid, 'SIGKILL');
}
