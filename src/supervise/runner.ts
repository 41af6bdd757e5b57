/**
 * `reorg-guard run`: a migration step under supervision. The user's command (not git) is
 * started here, without a shell, in a process group of its own, so that an emergency stop
 * can reach it and everything it started, and nothing else.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { constants } from 'node:os';
import type { Config } from '../config.js';
import type { Repo } from '../git/repo.js';
import { createBackup, type BackupResult } from '../backup/create.js';
import { OperationError } from '../errors.js';
import { stamp } from '../util/time.js';
import { msg } from '../messages.js';
import { RUN_MARKER_ENV, startTime } from '../util/proc.js';
import { removeRun, saveRun, showCommand, type RunRecord } from './runs.js';

const FORWARDED: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

export interface RunOptions {
  reason?: string;
  cwd: string;
  /** Told once the backup is taken and the command has started. */
  onStart?: (info: { backup: BackupResult; record: RunRecord | null }) => void;
}

/** Runs `argv` supervised and resolves to its exit code (128 + signal number when killed by a signal). */
export async function runSupervised(repo: Repo, config: Config, argv: string[], opts: RunOptions): Promise<number> {
  const reason = opts.reason?.trim() || null;
  const backup = await createBackup(repo, config, { trigger: 'run', reason: `before run: ${reason ?? showCommand(argv)}` });

  // Marks everything the command starts, so that emergency-stop finds what left the tree.
  const marker = randomBytes(8).toString('hex');
  const inherited = process.env[RUN_MARKER_ENV];
  const env = { ...process.env, [RUN_MARKER_ENV]: inherited ? `${inherited} ${marker}` : marker };
  const child = spawn(argv[0], argv.slice(1), { cwd: opts.cwd, stdio: 'inherit', detached: true, env });
  const spawned = new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', reject);
  });
  const exited = new Promise<number>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? 128 + (signal ? constants.signals[signal] : 0)));
  });
  try {
    await spawned;
  } catch (err) {
    throw new OperationError(msg.runSpawnFailed(argv[0], (err as Error).message));
  }

  const pid = child.pid!;
  const start = startTime(pid);
  const record: RunRecord | null = start
    ? {
        id: `${stamp()}-${pid}`, pid, pgid: pid, startTime: start, argv, reason, cwd: opts.cwd,
        startedAt: new Date().toISOString(), backup: backup.branch,
        supervisor: { pid: process.pid, startTime: startTime(process.pid) }, marker,
      }
    : null; // already gone: nothing left to stop
  const forward = (signal: NodeJS.Signals) => {
    try {
      process.kill(-pid, signal);
    } catch {
      // the group is gone already
    }
  };
  for (const s of FORWARDED) process.on(s, forward);
  try {
    if (record) await saveRun(repo, record);
    opts.onStart?.({ backup, record });
    return await exited;
  } finally {
    for (const s of FORWARDED) process.off(s, forward);
    if (record) await removeRun(repo, record.id);
  }
}
