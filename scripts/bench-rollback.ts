/**
 * `npm run bench:rollback`: rollback and undo on a full-size gcommon tree (about 4,000 files,
 * the simulated reorganization adds about 3,300), against what plain git needs for a comparable
 * job in the same run: `git stash -u` + `git stash pop` (save and bring back the work in progress).
 * Prints each timing and its ratio to that baseline.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateLayout, writeLayout } from './lib/gcommon-layout.js';
import { simulateReorganization } from './lib/simulate-reorg.js';

const CLI = path.join(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..'), 'dist/cli.js');
const env = { ...process.env, GIT_AUTHOR_NAME: 'Bench', GIT_AUTHOR_EMAIL: 'b@example.com', GIT_COMMITTER_NAME: 'Bench', GIT_COMMITTER_EMAIL: 'b@example.com' };
const scale = Number(process.argv[2] ?? 1);

function time(label: string, run: () => void): number {
  const t = process.hrtime.bigint();
  run();
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  console.log(`${label.padEnd(34)} ${ms.toFixed(0).padStart(6)} ms`);
  return ms;
}

function rg(dir: string, ...args: string[]): void {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: dir, env, encoding: 'utf8' });
  if (r.status !== 0 && !(args[0] === 'verify' && r.status === 1)) throw new Error(`reorg-guard ${args.join(' ')}: ${r.stderr}`);
}

const git = (dir: string, ...args: string[]) => execFileSync('git', args, { cwd: dir, env, stdio: 'ignore' });

const base = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'reorg-guard-bench-')));
try {
  const dir = path.join(base, 'gcommon');
  mkdirSync(dir);
  const layout = generateLayout({ scale });
  writeLayout(dir, layout);
  git(dir, 'init', '-q', '--initial-branch=main');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'before');
  rg(dir, 'backup', '--no-push');
  const reorg = simulateReorganization(dir, layout);
  console.log(`${layout.files.size} files, reorganization wrote ${reorg.written.length}`);
  // The file system's speed drifts from minute to minute here: the baseline is the median of three.
  const baselines = [1, 2, 3].map((i) =>
    time(`baseline: git stash -u + stash pop (${i})`, () => {
      git(dir, 'stash', 'push', '-q', '-u');
      git(dir, 'stash', 'pop', '-q');
    }),
  );
  const baseline = baselines.sort((a, b) => a - b)[1];
  const rows: Array<[string, number]> = [];
  rows.push(['verify migration', time('verify migration', () => rg(dir, 'verify', 'migration'))]);
  rows.push(['rollback quick --dry-run', time('rollback quick --dry-run', () => rg(dir, 'rollback', 'quick', '--dry-run'))]);
  rows.push(['rollback quick', time('rollback quick', () => rg(dir, 'rollback', 'quick', '--yes'))]);
  rows.push(['verify rollback', time('verify rollback', () => rg(dir, 'verify', 'rollback'))]);
  rows.push(['undo', time('undo (reorganized tree back)', () => rg(dir, 'undo', '--yes'))]);
  rows.push(['rollback full', time('rollback full', () => rg(dir, 'rollback', 'full', '--yes'))]);
  console.log(`\nratio to the baseline (git stash -u + pop, median ${baseline.toFixed(0)} ms):`);
  for (const [label, ms] of rows) console.log(`  ${label.padEnd(26)} ${(ms / baseline).toFixed(1)}x`);
} finally {
  rmSync(base, { recursive: true, force: true });
}
