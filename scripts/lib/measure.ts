/**
 * Timing for the benchmarks: wall time and CPU time (user + system, children included, by GNU
 * time) of one command, medians, and the machine's load to print beside them. The machine may
 * be shared: runs of a tool and of its baseline are interleaved, and CPU time says what the
 * work cost when the wall clock also counts waiting for other people's processes.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface Sample {
  wall: number;
  cpu: number;
}

const TIME = '/usr/bin/time';

export function needGnuTime(bench: string): void {
  if (!existsSync(TIME)) {
    console.error(`${bench} needs GNU time (/usr/bin/time): apt-get install time`);
    process.exit(1);
  }
}

/** Runs a command and measures it (seconds); throws with its stderr when it fails. */
export function measure(cwd: string, env: NodeJS.ProcessEnv, cmd: string, args: string[]): Sample {
  const out = path.join(os.tmpdir(), `rg-measure-${process.pid}`);
  const t0 = process.hrtime.bigint();
  const r = spawnSync(TIME, ['-f', '%U %S', '-o', out, cmd, ...args], { cwd, env, encoding: 'utf8', maxBuffer: 1 << 30 });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const [user, sys] = readFileSync(out, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
  rmSync(out, { force: true });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return { wall, cpu: user + sys };
}

/** A shell command line, measured. */
export const measureSh = (cwd: string, env: NodeJS.ProcessEnv, line: string) => measure(cwd, env, 'sh', ['-c', line]);

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** Medians of wall and CPU time. */
export const medianOf = (samples: Sample[]): Sample => ({ wall: median(samples.map((s) => s.wall)), cpu: median(samples.map((s) => s.cpu)) });

/** The 1-minute load average, for the line beside the figures. */
export const load = () => os.loadavg()[0].toFixed(1);

/** `git` in `cwd`, output returned. */
export const gitIn = (cwd: string, env: NodeJS.ProcessEnv, ...args: string[]) =>
  execFileSync('git', args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

/**
 * Lets the index's stat data become trustworthy before a timed run: files written in the same
 * second as the index are read again by every git command until a later write of the index.
 */
export function settleIndex(cwd: string, env: NodeJS.ProcessEnv): void {
  const until = Date.now() + 1100;
  while (Date.now() < until) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
  spawnSync('git', ['update-index', '-q', '--refresh'], { cwd, env, stdio: 'ignore' });
}

/** `a` beside `b`: "2.31 s (1.20x)" style. */
export const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}x`;

/** One row of figures: label, ours, baseline, ratios of wall and CPU time. */
export function row(label: string, ours: Sample, base: Sample, baseLabel: string): string {
  return (
    `${label.padEnd(24)} ${ours.wall.toFixed(2).padStart(7)} s  ${baseLabel.padEnd(34)} ${base.wall.toFixed(2).padStart(7)} s  ` +
    `wall ${ratio(ours.wall, base.wall).padStart(6)}  cpu ${ratio(ours.cpu, base.cpu).padStart(6)}`
  );
}
