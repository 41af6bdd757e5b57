/**
 * `npm run bench:archive`: does archive memory stay flat as the tree grows, and what does
 * writing + verifying cost beside plain `tar -czf` of the same tree?
 *
 * Builds two trees with the same number of files, the second with 10x the bytes (sizes with
 * --mb N, default 48),
 * runs `reorg-guard archive` on each under /usr/bin/time -v for the peak RSS, and times
 * `tar -czf` on the larger tree in the same run as the baseline.
 *
 * Then the shapes that cost per file: a tree like the real one (9,134 files, 58 MB, mostly small;
 * scripts/lib/real-tree.ts), and 10,000 files of about 2 KB (bench:scale's smallest size):
 * `archive` (write, read back, verify) beside GNU tar's `tar -czf` then `tar -tzf` (write, read
 * back), same gzip level (6), in alternating rounds: medians of wall and CPU time, with the
 * machine's load, and the system calls of one run of each (strace -f -c), which load does not change.
 *
 *   npm run bench:archive                        # both cases, 5 rounds of the real-shaped one
 *   npm run bench:archive -- --real-only --runs 9
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchEnv } from './lib/bench.js';
import { load, measure, measureSh, medianOf, row, type Sample } from './lib/measure.js';
import { commitRealTree, REAL, type RealTreeOptions } from './lib/real-tree.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLI = path.join(ROOT, 'dist/cli.js');
const mbArg = process.argv.indexOf('--mb');
const SMALL_MB = mbArg > 0 ? Number(process.argv[mbArg + 1]) : 48;
const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Math.max(1, Number(process.argv[runsArg + 1]) || 5) : 5;
const REAL_ONLY = process.argv.includes('--real-only');

if (!existsSync('/usr/bin/time')) {
  console.error('bench:archive needs GNU time (/usr/bin/time): apt-get install time');
  process.exit(1);
}

/** `files` files (a tenth of them 10x larger), `mb` megabytes in all: the same count at every size. */
function makeTree(dir: string, mb: number, files = 1500): void {
  mkdirSync(dir, { recursive: true });
  execFileSync('git', ['init', '-q', '--initial-branch=main'], { cwd: dir });
  const unit = Math.floor((mb * 1024 * 1024) / (files * 1.9));
  const data = randomBytes(unit * 10 + 1024);
  for (let i = 0; i < files; i++) {
    const sub = path.join(dir, `pkg/d${i % 50}`);
    if (i < 50) mkdirSync(sub, { recursive: true });
    const size = i % 10 === 0 ? unit * 10 : unit;
    writeFileSync(path.join(sub, `f${i}.pb.go`), data.subarray(i % 1024, (i % 1024) + size));
  }
}

function measureRss(dir: string, out: string, nodeArgs: string[] = []): { seconds: number; rssMb: number } {
  const t0 = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-v', process.execPath, ...nodeArgs, CLI, 'archive', '--dir', out], { cwd: dir, encoding: 'utf8' });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(r.stderr);
  const rss = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr)?.[1] ?? NaN);
  return { seconds, rssMb: rss / 1024 };
}

const base = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'rg-bench-archive-')));

/**
 * `archive` beside `tar -czf` + `tar -tzf` on a tree of `opts` (real-tree.ts), in alternating
 * rounds: medians of wall and CPU time.
 */
function beside(name: string, opts: RealTreeOptions): void {
  const dir = path.join(base, name);
  const out = path.join(base, `out-${name}`);
  const tarFile = path.join(base, 'tar.tar.gz');
  const env = benchEnv(mkdtempSync(path.join(base, 'home-')));
  commitRealTree(dir, env, opts);
  const ours: Sample[] = [];
  const tar: Sample[] = [];
  const runTar = () => {
    tar.push(measureSh(dir, env, `tar -czf ${JSON.stringify(tarFile)} --exclude=.git . && tar -tzf ${JSON.stringify(tarFile)} >/dev/null`));
    rmSync(tarFile);
  };
  const runOurs = () => {
    ours.push(measure(dir, env, process.execPath, [CLI, 'archive', '--dir', out]));
    rmSync(out, { recursive: true, force: true });
  };
  const loadBefore = load();
  for (let i = 0; i < RUNS; i++) (i % 2 ? [runOurs, runTar] : [runTar, runOurs]).forEach((run) => run());
  console.log(`${name}: ${opts.files} files, ${opts.mb?.toFixed(0)} MB; medians of ${RUNS} rounds, load ${loadBefore} before, ${load()} after`);
  console.log(row('archive', medianOf(ours), medianOf(tar), 'tar -czf + tar -tzf'));
  syscalls(dir, env, out, tarFile);
  floor(dir, env, tarFile, medianOf(tar).cpu);
  rmSync(dir, { recursive: true, force: true });
}

/**
 * What the work archive cannot skip costs in node on this tree (scripts/lib/archive-floor.ts:
 * bare loops, no archive code), beside tar's CPU time: node's start, reaching every file (open,
 * fstat, read, close), one sha256 a file as it is packed, gzip level 6 and inflating.
 */
function floor(dir: string, env: NodeJS.ProcessEnv, tarFile: string, tarCpu: number): void {
  execFileSync('tar', ['-czf', tarFile, '--exclude=.git', '.'], { cwd: dir, env });
  const start = medianOf([0, 1, 2].map(() => measure(dir, env, process.execPath, ['-e', '0']))).cpu;
  const parts = JSON.parse(execFileSync(process.execPath, ['--import=tsx', path.join(ROOT, 'scripts/lib/archive-floor.ts'), dir, tarFile], { cwd: ROOT, env, encoding: 'utf8' })) as Record<string, number>;
  rmSync(tarFile);
  const sum = start + parts.read + parts.hash + parts.deflate + parts.inflate;
  const f = (n: number) => n.toFixed(2);
  console.log(
    `floor in node (CPU s): start ${f(start)} + open/fstat/read/close ${f(parts.read)} + sha256 ${f(parts.hash)} + gzip -6 ${f(parts.deflate)} + inflate ${f(parts.inflate)} = ${f(sum)}: ${(sum / tarCpu).toFixed(2)}x tar's CPU`,
  );
}

/** System calls of a command and its children by name (`strace -f -c`), which the machine's load does not change. */
function straceCount(dir: string, env: NodeJS.ProcessEnv, cmd: string, args: string[]): Map<string, number> {
  const file = path.join(base, 'strace.txt');
  const r = spawnSync('strace', ['-f', '-c', '-o', file, cmd, ...args], { cwd: dir, env, stdio: 'ignore' });
  if (r.status !== 0) throw new Error(`strace ${cmd} failed (${r.status})`);
  const counts = new Map<string, number>();
  // "% time  seconds  usecs/call  calls  [errors]  syscall"
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length >= 5 && /^\d+$/.test(f[3])) counts.set(f[f.length - 1], Number(f[3]));
  }
  rmSync(file, { force: true });
  return counts;
}

/**
 * The system calls of one `archive` beside one `tar -czf` + `tar -tzf` (strace -f -c, both with
 * their children): the total, the per-file ones, and the waits between threads and processes.
 */
function syscalls(dir: string, env: NodeJS.ProcessEnv, out: string, tarFile: string): void {
  if (spawnSync('strace', ['-V'], { stdio: 'ignore' }).status !== 0) return void console.log('syscalls: strace not installed (apt-get install strace)');
  const ours = straceCount(dir, env, process.execPath, [CLI, 'archive', '--dir', out]);
  rmSync(out, { recursive: true, force: true });
  const tar = straceCount(dir, env, 'sh', ['-c', `tar -czf ${JSON.stringify(tarFile)} --exclude=.git . && tar -tzf ${JSON.stringify(tarFile)} >/dev/null`]);
  rmSync(tarFile, { force: true });
  const show = (c: Map<string, number>) => {
    const n = (k: string) => c.get(k) ?? 0;
    return `${n('total')} (open ${n('openat') + n('open')}, stat ${n('statx') + n('newfstatat') + n('fstat') + n('lstat')}, read ${n('read') + n('pread64')}, write ${n('write') + n('pwrite64')}, close ${n('close')}, futex/epoll ${n('futex') + n('epoll_pwait') + n('epoll_wait')}, execve ${n('execve')})`;
  };
  console.log(`syscalls (strace -f -c): archive ${show(ours)}; tar -czf + tar -tzf ${show(tar)}: ${((ours.get('total') ?? 0) / (tar.get('total') ?? 1)).toFixed(2)}x`);
}

/** The two shapes that cost per file: the real tree's size, and 10,000 files of about 2 KB (bench:scale's smallest). */
function realShaped(): void {
  beside('real-shaped', { files: REAL.files, mb: REAL.mb });
  beside('small-files', { files: 10_000, mb: (10_000 * 2048) / (1024 * 1024) });
}

try {
  if (!REAL_ONLY) memoryCases();
  realShaped();
} finally {
  rmSync(base, { recursive: true, force: true });
}

/** Memory stays flat: the same file count at 1x and 10x the bytes, and with the JS heap capped. */
function memoryCases(): void {
  const small = path.join(base, 'small');
  const large = path.join(base, 'large');
  makeTree(small, SMALL_MB);
  makeTree(large, SMALL_MB * 10);
  const s = measureRss(small, path.join(base, 'out'));
  const l = measureRss(large, path.join(base, 'out'));
  // With the JS heap capped at 48 MB the large tree still archives: memory is bounded, and the
  // RSS difference above is garbage-collector slack, not data held.
  const capped = measureRss(large, path.join(base, 'out'), ['--max-old-space-size=48']);
  const t0 = process.hrtime.bigint();
  execFileSync('tar', ['-czf', path.join(base, 'baseline.tar.gz'), '--exclude=.git', '.'], { cwd: large });
  const tarSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
  console.log(`tree ${SMALL_MB} MB:  archive ${s.seconds.toFixed(2)} s, peak RSS ${s.rssMb.toFixed(0)} MB`);
  console.log(`tree ${SMALL_MB * 10} MB: archive ${l.seconds.toFixed(2)} s, peak RSS ${l.rssMb.toFixed(0)} MB`);
  console.log(`peak RSS ratio (10x the bytes): ${(l.rssMb / s.rssMb).toFixed(2)}x`);
  console.log(`tree ${SMALL_MB * 10} MB with the JS heap capped at 48 MB: done, peak RSS ${capped.rssMb.toFixed(0)} MB`);
  console.log(`tar -czf of the ${SMALL_MB * 10} MB tree: ${tarSeconds.toFixed(2)} s; archive (write + read back + verify) is ${(l.seconds / tarSeconds).toFixed(2)}x that`);
}
