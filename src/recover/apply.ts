/**
 * Applying a fix: the fix's own command, run as a child process of this CLI, so it brings
 * its own safety (safety snapshot, journal, confirmation) exactly as when a user types it.
 */
import { spawn } from 'node:child_process';
import { CLI_FILE as CLI } from '../paths.js';
import type { Fix } from './findings/finding.js';

export interface ApplyOptions {
  cwd: string;
  /** Pass --yes: the person (or --auto --yes) has already agreed to a destructive fix. */
  yes: boolean;
  /** Let the child use the terminal (it then asks for its own confirmation). */
  terminal: boolean;
  /** Send the child's stdout to stderr (keeps --json output clean). */
  stdoutToStderr?: boolean;
}

/** Runs `reorg-guard <fix>` and resolves to its exit code. */
export function applyFix(f: Fix, opts: ApplyOptions): Promise<number> {
  const argv = [...f.argv, ...(f.destructive && opts.yes ? ['--yes'] : [])];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...argv], {
      cwd: opts.cwd,
      // a backup made as a fix is recorded as taken by recover
      env: { ...process.env, REORG_GUARD_TRIGGER: 'recover' },
      stdio: [opts.terminal ? 'inherit' : 'ignore', opts.stdoutToStderr ? 2 : 'inherit', 'inherit'],
    });
    child.once('error', () => resolve(1));
    child.once('exit', (code) => resolve(code ?? 1));
  });
}
