/**
 * The CLI on a pseudo-terminal, as a person's shell runs it: script(1) gives it one, and what
 * is typed (`input`) reaches it through that terminal. The terminal merges stdout and stderr:
 * everything shown is in `stdout`.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { CLI, testEnv, type RunResult, type TestRepo } from './repo.js';

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
const command = (args: string[]) => [process.execPath, CLI, ...args].map(shellQuote).join(' ');

export interface TerminalOptions {
  /** What the user types (default: nothing). */
  input?: string;
  env?: Record<string, string>;
  timeout?: number;
}

/** `reorg-guard <args>` on a pseudo-terminal, to the end. */
export function inTerminal(repo: TestRepo, args: string[], opts: TerminalOptions = {}): RunResult {
  const r = spawnSync('script', ['-qec', command(args), '/dev/null'], {
    cwd: repo.dir,
    env: testEnv(opts.env),
    encoding: 'utf8',
    input: opts.input ?? '',
    timeout: opts.timeout,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** The same in the background: type on `child.stdin`, read `child.stdout` (a prompt waiting, say). */
export function startInTerminal(repo: TestRepo, args: string[], opts: Omit<TerminalOptions, 'input' | 'timeout'> = {}): ChildProcessWithoutNullStreams {
  return spawn('script', ['-qec', command(args), '/dev/null'], { cwd: repo.dir, env: testEnv(opts.env), stdio: ['pipe', 'pipe', 'pipe'] });
}
