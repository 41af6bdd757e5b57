/** Processes for the run / emergency-stop tests: long sleepers, waiting, liveness. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { CLI, testEnv } from './repo.js';

/** A node program that sleeps a minute; `marker` makes its command line recognisable. */
export const SLEEPER = 'setInterval(() => {}, 1000); setTimeout(() => process.exit(0), 60000)';

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

export async function waitFor(what: string, cond: () => boolean, ms = 15000): Promise<void> {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export function runsDir(dir: string): string {
  return path.join(dir, '.git', 'reorg-guard', 'runs');
}

export function runRecords(dir: string): Array<{ id: string; pid: number; pgid: number; startTime: string; argv: string[] }> {
  const d = runsDir(dir);
  if (!existsSync(d)) return [];
  return readdirSync(d).filter((n) => n.endsWith('.json')).map((n) => JSON.parse(readFileSync(path.join(d, n), 'utf8')));
}

export interface Started {
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string }>;
}

/** `reorg-guard <args>` in the background (e.g. a supervised run). */
export function startCli(cwd: string, args: string[], env: Record<string, string> = {}): Started {
  const child = spawn(process.execPath, [CLI, ...args], { cwd, env: testEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stdout += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string }>((resolve) =>
    // 'exit', not 'close': a command's children may hold the pipes open long after it ended
    child.once('exit', (code, signal) => resolve({ code, signal, stdout })),
  );
  return { child, exited };
}

/**
 * A process nobody recorded, with the same command line (`argv`) as a supervised one, in a
 * group of its own so that `stopDecoy` can end it and whatever it started.
 */
export function startDecoy(argv: string[]): ChildProcess {
  return spawn(argv[0], argv.slice(1), { stdio: 'ignore', env: testEnv(), detached: true });
}

export function stopDecoy(decoy: ChildProcess): void {
  try {
    process.kill(-decoy.pid!, 'SIGKILL');
  } catch {
    // gone already
  }
}

/** `reorg-guard run -- node -e SLEEPER` in the background, once its record is written. */
export async function startSleeperRun(dir: string): Promise<Started & { record: ReturnType<typeof runRecords>[number] }> {
  const run = startCli(dir, ['run', '--', 'node', '-e', SLEEPER]);
  await waitFor('the run record', () => runRecords(dir).length === 1);
  return { ...run, record: runRecords(dir)[0] };
}
