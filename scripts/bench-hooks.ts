/**
 * `npm run bench:hooks`: what the hooks add to `git commit` in a repository of 10,000 files
 * (and, with `--large`, of 100,000 files too).
 *
 * One repository shaped like the gcommon monorepo (scripts/lib/gcommon-layout.ts, padded to
 * the size) is cloned six times: no hooks; a post-commit hook that does nothing (git's own
 * cost of running one); husky alone (its runner, no hooks of its own:
 * what husky itself costs); reorg-guard through husky (what `init` sets up in a repository
 * with package.json); reorg-guard as plain git hooks (no package.json);
 * husky + lint-staged doing the same job (lint-staged runs `reorg-guard backup` for guarded
 * files). Each clone makes the same commits, in turns, so that the machine's noise falls on all
 * of them alike: one touching no guarded path (a .go file), one touching a guarded path (a
 * .proto in pkg/<domain>/proto/). Reported: medians, what each setup adds over no hooks, and
 * that as a ratio.
 *
 *   npm run bench:hooks                   # 10,000 files, 15 commits of each kind per setup
 *   npm run bench:hooks -- --runs 31
 *   npm run bench:hooks -- --large        # also 100,000 files (several minutes more)
 *   npm run bench:hooks -- --sizes 100000 --runs 11
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateLayout, writeLayout } from './lib/gcommon-layout.js';
import { linkPackages } from './lib/link-packages.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLI = path.join(ROOT, 'dist/cli.js');
const argv = process.argv.slice(2);
const RUNS = argv.includes('--runs') ? Math.max(1, Number(argv[argv.indexOf('--runs') + 1]) || 15) : 15;
const SIZES = argv.includes('--sizes')
  ? argv[argv.indexOf('--sizes') + 1].split(',').map((n) => Math.max(1000, Number(n.replace(/_/g, '')) || 10_000))
  : argv.includes('--large')
    ? [10_000, 100_000]
    : [10_000];

const base = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'reorg-guard-bench-')));
const home = path.join(base, 'home');
mkdirSync(home);
// no automatic gc: past 6,700 loose objects git packs in the background, which broke a clone made
// meanwhile ("failed to copy file") and would fall on some timed commits and not others
writeFileSync(path.join(home, '.gitconfig'), '[init]\n\tdefaultBranch = main\n[advice]\n\tdetachedHead = false\n[gc]\n\tauto = 0\n');
const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: path.join(home, '.gitconfig'),
  GIT_AUTHOR_NAME: 'Bench', GIT_AUTHOR_EMAIL: 'bench@example.com', GIT_COMMITTER_NAME: 'Bench', GIT_COMMITTER_EMAIL: 'bench@example.com', NO_COLOR: '1' };
for (const k of ['HUSKY', 'REORG_GUARD', 'NODE_OPTIONS']) delete env[k];

function sh(cwd: string, cmd: string, ...args: string[]): string {
  return execFileSync(cmd, args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 30 }).trim();
}

/** The repository every setup starts from: the gcommon layout padded to `files` files. */
function makeOrigin(root: string, files: number): string {
  const dir = path.join(root, 'origin');
  mkdirSync(dir, { recursive: true });
  const layout = generateLayout({ scale: 1, python: true });
  for (let i = 0; layout.files.size < files; i++) {
    layout.files.set(`internal/gen/part${Math.floor(i / 500)}/file_${i}.go`, `package part\n\n// filler ${i}\nconst N${i} = ${i}\n`);
  }
  writeLayout(dir, layout);
  writeFileSync(path.join(dir, '.gitignore'), 'node_modules/\n');
  sh(dir, 'git', 'init', '-q');
  sh(dir, 'git', 'add', '-A');
  sh(dir, 'git', 'commit', '-q', '-m', `gcommon, ${files} files`);
  return dir;
}

interface Setup {
  name: string;
  dir: string;
}

function setup(origin: string, name: string, prepare: (dir: string) => void): Setup {
  const dir = path.join(path.dirname(origin), name.replace(/\W+/g, '-'));
  sh(base, 'git', 'clone', '-q', origin, dir);
  writeFileSync(path.join(dir, 'reorg-guard.config.json'), JSON.stringify({ push: false }) + '\n');
  prepare(dir);
  sh(dir, 'git', 'add', '-A');
  sh(dir, 'git', 'commit', '-q', '--no-verify', '-m', `setup: ${name}`);
  return { name, dir };
}

const reorgGuard = (dir: string, ...args: string[]) => sh(dir, process.execPath, CLI, ...args);

function makeSetups(origin: string): Setup[] {
  return [
    setup(origin, 'no hooks', () => {}),
    // git's own cost of any post-commit hook: start a process, wait for it.
    setup(origin, 'post-commit: exit 0', (dir) => {
      writeFileSync(path.join(dir, '.git/hooks/post-commit'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
    }),
    setup(origin, 'husky alone (empty hooks)', (dir) => {
      linkPackages(dir);
      sh(dir, 'node_modules/.bin/husky');
    }),
    setup(origin, 'reorg-guard (husky)', (dir) => {
      linkPackages(dir);
      sh(dir, 'node_modules/.bin/husky');
      reorgGuard(dir, 'init');
    }),
    setup(origin, 'reorg-guard (git hooks)', (dir) => {
      rmSync(path.join(dir, 'package.json'));
      reorgGuard(dir, 'init');
    }),
    setup(origin, 'husky + lint-staged', (dir) => {
      linkPackages(dir);
      sh(dir, 'node_modules/.bin/husky');
      writeFileSync(path.join(dir, '.husky/pre-commit'), 'lint-staged\n');
      const pkgFile = path.join(dir, 'package.json');
      const pkg = JSON.parse(readFileSync(pkgFile, 'utf8'));
      pkg['lint-staged'] = { '**/{proto,buf.yaml,buf.gen.yaml}{,/**}': 'reorg-guard backup --no-push --reason lint-staged' };
      writeFileSync(pkgFile, JSON.stringify(pkg, null, 2) + '\n');
    }),
  ];
}

/**
 * Changes one file, stages it, and times `git commit` (hooks included): wall time, and CPU time
 * (user + system of git and everything it started, from bash's `times`), in ms. CPU time is the
 * steadier figure on a loaded machine, where the wall time also holds the waits for other work.
 */
function timedCommit(s: Setup, file: string, n: number): { wall: number; cpu: number } {
  writeFileSync(path.join(s.dir, file), `// edit ${n}\n`, { flag: 'a' });
  sh(s.dir, 'git', 'add', '--', file);
  const t = process.hrtime.bigint();
  const r = spawnSync('bash', ['-c', 'git commit -q -m "$1" && times', 'bench', `edit ${n}`], { cwd: s.dir, env, encoding: 'utf8' });
  const wall = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 0) throw new Error(`${s.name}: git commit failed: ${r.stderr}`);
  // `times`: the shell's own user and system time, then its children's: "0m0.012s 0m0.004s".
  const children = r.stdout.trim().split('\n').pop() ?? '';
  const cpu = [...children.matchAll(/(\d+)m([\d.]+)s/g)].reduce((sum, [, m, sec]) => sum + (Number(m) * 60 + Number(sec)) * 1000, 0);
  return { wall, cpu };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function nodeStart(nodeEnv: NodeJS.ProcessEnv = process.env): number {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = process.hrtime.bigint();
    spawnSync(process.execPath, ['-e', '0'], { env: nodeEnv });
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return median(times);
}

interface Round {
  files: number;
  setups: Setup[];
  times: Map<string, number[]>;
  backups: number[];
}

const KINDS = ['not guarded', 'guarded'] as const;

/** One size: the origin, its six clones, RUNS commits of each kind in each, in turns. */
function round(files: number): Round {
  const root = path.join(base, String(files));
  const origin = makeOrigin(root, files);
  const setups = makeSetups(origin);
  const kinds = { 'not guarded': 'pkg/queue/queue_0.go', guarded: sh(origin, 'git', 'ls-files', 'pkg/queue/proto/*.proto').split('\n')[0] };
  const times = new Map<string, number[]>();
  for (let n = 0; n < RUNS + 1; n++) {
    for (const [kind, file] of Object.entries(kinds)) {
      for (const s of setups) {
        const { wall, cpu } = timedCommit(s, file, n);
        if (n === 0) continue; // run 0 warms up
        for (const [metric, ms] of [['wall', wall], ['cpu', cpu]] as const) {
          const key = `${metric}|${s.name}|${kind}`;
          times.set(key, [...(times.get(key) ?? []), ms]);
        }
      }
    }
  }
  const backups = setups.map((s) => sh(s.dir, 'git', 'for-each-ref', '--format=x', 'refs/heads/proto-reorg-backup-*').split('\n').filter(Boolean).length);
  const result = { files: sh(origin, 'git', 'ls-files').split('\n').length, setups, times, backups };
  report(result);
  rmSync(root, { recursive: true, force: true });
  return result;
}

function report({ files, setups, times, backups }: Round): void {
  console.log(`\nRepository: ${files} files; ${RUNS} commits of each kind per setup, medians (ms); ratio: to the same commit without hooks`);
  for (const metric of ['wall', 'cpu'] as const) {
    console.log(metric === 'wall' ? 'Wall time:' : 'CPU time (user + system of git commit and everything it started):');
    const med = (name: string, kind: string) => median(times.get(`${metric}|${name}|${kind}`)!);
    const none = (kind: string) => med('no hooks', kind);
    const rows = [['setup', 'commit, not guarded', 'added', 'ratio', 'commit, guarded', 'added', 'ratio', 'backups made']];
    setups.forEach((s, i) => {
      const row = [s.name];
      for (const kind of KINDS) {
        const m = med(s.name, kind);
        row.push(m.toFixed(0), i === 0 ? '' : `${m >= none(kind) ? '+' : ''}${(m - none(kind)).toFixed(0)}`, `${(m / none(kind)).toFixed(2)}x`);
      }
      row.push(String(backups[i]));
      rows.push(row);
    });
    const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
    for (const r of rows) console.log('  ' + r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  '));

    const added = (name: string, kind: string) => med(name, kind) - none(kind);
    const ours = 'reorg-guard (git hooks)';
    const lint = 'husky + lint-staged';
    const husky = (kind: string) => added('reorg-guard (husky)', kind) - added('husky alone (empty hooks)', kind);
    const line = (kind: string, goal: number) =>
      `  ${kind === 'guarded' ? 'Guarded' : 'Not guarded'}: reorg-guard adds ${added(ours, kind).toFixed(0)} ms as git hooks, ` +
      `${husky(kind).toFixed(0)} ms on top of husky's own cost (goal <= ${goal}); husky + lint-staged adds ${added(lint, kind).toFixed(0)} ms.`;
    console.log(line('not guarded', 10));
    console.log(line('guarded', 250));
  }
}

function main(): void {
  const t0 = Date.now();
  const git = sh(base, 'git', '--version').replace('git version ', '');
  console.log(`Machine: ${os.cpus().length} cores, Node ${process.version.slice(1)}, git ${git}, ${os.platform()}, load average ${os.loadavg()[0].toFixed(1)}`);
  // node reads NODE_EXTRA_CA_CERTS as it starts; the hooks start node without it (hooks/reorg-guard.sh).
  const withoutCa = process.env.NODE_EXTRA_CA_CERTS
    ? `; ${nodeStart({ ...process.env, NODE_EXTRA_CA_CERTS: '' }).toFixed(0)} ms without NODE_EXTRA_CA_CERTS, which is set here`
    : '';
  console.log(`A node start alone (node -e 0): ${nodeStart().toFixed(0)} ms${withoutCa}`);
  for (const files of SIZES) round(files);
  console.log(`(${((Date.now() - t0) / 1000).toFixed(0)} s)`);
}

try {
  main();
} finally {
  rmSync(base, { recursive: true, force: true });
}
