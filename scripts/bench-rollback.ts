/**
 * `npm run bench:rollback`: rollback and undo on a full-size gcommon tree (about 4,000 files,
 * the simulated reorganization adds about 3,300), against what plain git needs for a comparable
 * job in the same run: `git stash -u` + `git stash pop` (save and bring back the work in progress).
 * Prints each timing and its ratio to that baseline.
 *
 * Then the case the issue measured: a tree shaped like the real one (9,134 files, 58 MB, mostly
 * small: scripts/lib/real-tree.ts) with work in progress, a backup, the move committed and more
 * work on top; `rollback full` and `undo` beside `git stash -u` + `git reset --hard <backup>`,
 * in alternating rounds (medians; wall and CPU time, with the machine's load). Then the same on
 * 10,000 small files (10 MB): the cost per file.
 *
 *   npm run bench:rollback                    # both cases, 5 rounds of the real-shaped one
 *   npm run bench:rollback -- --real-only --runs 9
 *   npm run bench:rollback -- --real-only --compare /tmp/main/dist/cli.js
 *
 * `--compare CLI`: another build's cli.js (e.g. main's, built in a copy with its node_modules
 * beside it) measured in the same rounds, right after this build's: its rows and ratios print
 * too, so that a change is judged against the build before it in the same minutes.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateLayout, writeLayout } from './lib/gcommon-layout.js';
import { simulateReorganization } from './lib/simulate-reorg.js';
import { commitRealTree, REAL, rollbackRound, rollbackScene, type RealTreeOptions, type RollbackRound } from './lib/real-tree.js';
import { userEnv } from './lib/bench.js';
import { load, measure, medianOf, needGnuTime, row, settleIndex, type Sample } from './lib/measure.js';

needGnuTime('bench:rollback');

const CLI = path.join(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..'), 'dist/cli.js');
const env = { ...userEnv(), GIT_AUTHOR_NAME: 'Bench', GIT_AUTHOR_EMAIL: 'b@example.com', GIT_COMMITTER_NAME: 'Bench', GIT_COMMITTER_EMAIL: 'b@example.com' };
const argv = process.argv.slice(2);
const flag = (name: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
const scale = Number(argv.find((a) => /^\d+(\.\d+)?$/.test(a) && !argv[argv.indexOf(a) - 1]?.startsWith('--')) ?? 1);
const RUNS = Math.max(1, Number(flag('--runs') ?? 5));
const REAL_ONLY = argv.includes('--real-only');
const COMPARE = flag('--compare') ? path.resolve(flag('--compare')!) : undefined;

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

/** A real-shaped case: rounds of baseline, rollback full and undo, alternating which goes first. */
function realShaped(name: string, opts: RealTreeOptions): void {
  const dir = path.join(base, name.replace(/\W+/g, '-'));
  const layout = commitRealTree(dir, env, opts);
  const scene = rollbackScene(dir, env, layout, (...args) => rg(dir, ...args));
  const other: RollbackRound[] = [];
  const rounds = Array.from({ length: RUNS }, (_, i) => {
    const r = rollbackRound(dir, env, scene, CLI, i % 2 ? 'reorg-guard' : 'git');
    // the other build's rollback full and undo in the same round (the baseline is shared)
    if (COMPARE) other.push({ ...r, ...ours(dir, COMPARE) });
    return r;
  });
  const b = medianOf(rounds.map((r) => r.baseline));
  console.log(`\n${name}: ${opts.files} files, ${opts.mb} MB, work in progress, the move committed; medians of ${RUNS} rounds, load ${load()}`);
  const rows = (rs: RollbackRound[], tag: string) => {
    console.log(row(`rollback full${tag}`, medianOf(rs.map((r) => r.rollbackFull)), b, 'git stash -u + reset --hard'));
    console.log(row(`undo${tag}`, medianOf(rs.map((r) => r.undo)), b, 'git stash -u + reset --hard'));
    console.log(row(`undo${tag}`, medianOf(rs.map((r) => r.undo)), medianOf(rs.map((r) => r.forth)), 'git reset --hard + stash pop'));
  };
  rows(rounds, '');
  if (COMPARE) {
    rows(other, ' (compared)');
    const cmp = (label: string, pick: (r: RollbackRound) => Sample) =>
      console.log(row(`${label}: this build`, medianOf(rounds.map(pick)), medianOf(other.map(pick)), `the compared build (${path.basename(path.dirname(path.dirname(COMPARE)))})`));
    cmp('rollback full', (r) => r.rollbackFull);
    cmp('undo', (r) => r.undo);
  }
  // git processes each starts (git's trace2 `start` events), which the machine's load does not change
  const full = gitProcesses(dir, process.execPath, [CLI, 'rollback', 'full', '--yes']);
  const undo = gitProcesses(dir, process.execPath, [CLI, 'undo', '--yes']);
  const back = gitProcesses(dir, 'sh', ['-c', `git stash push -q -u && git reset -q --hard ${scene.backup}`]);
  console.log(`git processes: rollback full ${full}, undo ${undo}; git stash -u + reset --hard ${back}`);
  if (COMPARE) {
    execFileSync('sh', ['-c', `git reset -q --hard ${scene.moved} && git stash pop -q`], { cwd: dir, env, stdio: 'ignore' });
    const otherFull = gitProcesses(dir, process.execPath, [COMPARE, 'rollback', 'full', '--yes']);
    const otherUndo = gitProcesses(dir, process.execPath, [COMPARE, 'undo', '--yes']);
    console.log(`git processes of the compared build: rollback full ${otherFull}, undo ${otherUndo}`);
    execFileSync('sh', ['-c', `git stash push -q -u && git reset -q --hard ${scene.backup}`], { cwd: dir, env, stdio: 'ignore' });
  }
  execFileSync('sh', ['-c', `git reset -q --hard ${scene.moved} && git stash pop -q`], { cwd: dir, env, stdio: 'ignore' });
  rmSync(dir, { recursive: true, force: true });
}

/** `rollback full` then `undo` of the CLI `cli`, each from a settled index (as rollbackRound's). */
function ours(dir: string, cli: string): Pick<RollbackRound, 'rollbackFull' | 'undo'> {
  settleIndex(dir, env);
  const rollbackFull = measure(dir, env, process.execPath, [cli, 'rollback', 'full', '--yes']);
  settleIndex(dir, env);
  const undo = measure(dir, env, process.execPath, [cli, 'undo', '--yes']);
  return { rollbackFull, undo };
}

/** How many git processes a command starts, from git's trace2 (one `start` event per process). */
function gitProcesses(dir: string, cmd: string, args: string[]): number {
  const trace = path.join(base, 'trace2.txt');
  const r = spawnSync(cmd, args, { cwd: dir, env: { ...env, GIT_TRACE2: trace }, stdio: 'ignore' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status})`);
  const n = readFileSync(trace, 'utf8').split('\n').filter((l) => / start /.test(l)).length;
  rmSync(trace, { force: true });
  return n;
}

/** The first case: the generated layout (scale from the command line), one run of each step. */
function layoutCase(): void {
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
}

try {
  if (!REAL_ONLY) layoutCase();
  realShaped('real-shaped tree', REAL);
  // the same shape with more, smaller files: the cost per file shows
  realShaped('10,000 small files', { files: 10_000, mb: 10 });
} finally {
  rmSync(base, { recursive: true, force: true });
}
