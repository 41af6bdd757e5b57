/**
 * `npm run bench:verify-migration`: `reorg-guard verify migration` (the whole command: node
 * start, protobufjs, both sides parsed and compared) in the middle of the migration, when the
 * tree holds both layouts (about 1,600 protos each) and the backup the old one, beside
 * `git grep` for the declarations over the same two trees in the same run. Two trees: the
 * sandbox (scripts/lib/gcommon-layout.ts, small protos) and a real-shaped one
 * (scripts/lib/real-shaped-protos.ts: about 850 bytes a file, imports, editions, services).
 * Three cases, each the median of five runs: warm (nothing changed since the last run: both
 * sides' schemas read back whole), cold (no cache, as a CI job on a fresh clone: every file
 * parsed) and one file of the tree changed since (that file parsed again, its set resolved
 * again); and one run of the run after a cold one (every record read back, the sets resolved
 * and written: a cold run does not write them). Wall and CPU time (user + sys, git's included) beside git grep's. Goal: under 1 s on
 * a 2-core machine.
 *
 *   npm run bench:verify-migration            # full size
 *   npm run bench:verify-migration -- 0.25    # a quarter
 *   BENCH_PROFILE=1 npm run bench:verify-migration   # also writes a --cpu-prof profile of one cold run
 *   BENCH_KEEP=1 npm run bench:verify-migration      # keeps the trees (and says where) to profile by hand
 *   BENCH_BASE=/path/to/other/dist/cli.js npm run bench:verify-migration
 *       # also another build (main's), run by turns with this one on a copy of each tree (its own
 *       # cache), each figure beside this build's: a comparison in the same minutes, same load
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CLI, benchEnv, timedMs } from './lib/bench.js';
import { generateLayout, writeLayout } from './lib/gcommon-layout.js';
import { simulateReorganization } from './lib/simulate-reorg.js';
import { moveRealShaped, realShapedProtos } from './lib/real-shaped-protos.js';

const scale = Number(process.argv[2] ?? 1);
/** Another build's CLI, measured by turns with this one. */
const BASE = process.env.BENCH_BASE ? path.resolve(process.env.BENCH_BASE) : null;
const RUNS = 5;
const GOAL_MS = 1000;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function main(): void {
  const base = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'rg-bench-verify-migration-')));
  const env = benchEnv(base);
  const git = (dir: string, ...args: string[]) => execFileSync('git', args, { cwd: dir, env, encoding: 'utf8', maxBuffer: 256 << 20 });
  try {
    const trees: Array<{ name: string; dir: string; protos: [number, number] }> = [];

    // the sandbox: the demo's tree at full size, reorganized by the simulation (copied, not cleaned)
    const sandbox = path.join(base, 'sandbox');
    mkdirSync(sandbox);
    const layout = generateLayout({ scale });
    writeLayout(sandbox, layout);
    trees.push({ name: 'sandbox', dir: sandbox, protos: [0, 0] });

    // real-shaped protos, moved cleanly (packages renamed, references and imports following)
    const real = path.join(base, 'real-shaped');
    const old = realShapedProtos(scale);
    const files = new Map<string, string>([...old].map(([p, f]) => [p, f.content]));
    writeLayout(real, { files, protos: [] });
    trees.push({ name: 'real-shaped', dir: real, protos: [0, 0] });

    for (const t of trees) {
      writeFileSync(path.join(t.dir, 'reorg-guard.config.json'), JSON.stringify({ backupDir: path.join(base, `${t.name}-backups`) }) + '\n');
      git(t.dir, 'init', '-q', '-b', 'main');
      git(t.dir, 'add', '-A');
      git(t.dir, 'commit', '-q', '-m', 'before');
      const b = spawnSync(process.execPath, [CLI, 'backup', '--reason', 'bench'], { cwd: t.dir, env, encoding: 'utf8' });
      if (b.status !== 0) throw new Error(`backup failed: ${b.stderr}`);
      if (t.name === 'sandbox') simulateReorganization(t.dir, layout);
      else writeLayout(t.dir, { files: moveRealShaped(old), protos: [] });
      git(t.dir, 'add', '-A');
      git(t.dir, 'commit', '-q', '-m', 'copy to the new layout');
      const count = (rev: string, root: string) => git(t.dir, 'ls-tree', '-r', '--name-only', rev, '--', root).split('\n').filter((p) => p.endsWith('.proto')).length;
      t.protos = [count('HEAD~1', 'pkg'), count('HEAD', 'proto')];
    }

    console.log(`verify migration mid-migration (tree: both layouts; backup: the old one), scale ${scale}; load average at start ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} cores`);
    console.log(`each figure: the median of ${RUNS} runs (wall; CPU = user + sys of the process tree, git's included), ratio to git grep's in the same run\n`);
    for (const t of trees) {
      // the other build works on a copy of the tree: the same repository, a cache of its own
      const copy = `${t.dir}-base`;
      if (BASE) {
        cpSync(t.dir, copy, { recursive: true });
        // a copied file's stat data is not the index's: without this, git (diff-files) takes every
        // file of the copy for changed, and the other build read and hashed them all on every run
        git(copy, 'update-index', '-q', '--refresh');
      }
      const builds = [{ cli: CLI, dir: t.dir }, ...(BASE ? [{ cli: BASE, dir: copy }] : [])];
      const cacheOf = (dir: string) => path.join(dir, '.git/reorg-guard/schema-cache');
      const cache = cacheOf(t.dir);
      // wall and CPU seconds (GNU time) of one run: CPU says more than wall on a machine others load too
      const timed = (args: string[], dir = t.dir): { wall: number; cpu: number; stdout: string } => {
        let r: ReturnType<typeof spawnSync> | undefined;
        const wall = timedMs(() => {
          r = spawnSync('/usr/bin/time', ['-f', 'CPU %U %S', ...args], { cwd: dir, env, encoding: 'utf8', maxBuffer: 256 << 20 });
        });
        const m = /CPU ([\d.]+) ([\d.]+)\s*$/.exec(String(r!.stderr ?? ''));
        if (args[0] === process.execPath && r!.status !== 0 && r!.status !== 1) throw new Error(`verify migration: ${String(r!.stderr)}`);
        return { wall, cpu: m ? (Number(m[1]) + Number(m[2])) * 1000 : NaN, stdout: String(r!.stdout) };
      };
      const verifyWith = (b: { cli: string; dir: string }) => timed([process.execPath, b.cli, 'verify', 'migration', '--json'], b.dir);
      const verify = () => verifyWith(builds[0]);
      // the baseline: the declarations of both trees found by git grep, as a hand-made check would
      const grep = () => {
        const runs = ['HEAD~1', 'HEAD'].map((rev) => timed(['git', 'grep', '-n', '-E', '^\\s*(message|enum|service|rpc)\\s', rev, '--', '*.proto']));
        return { wall: runs[0].wall + runs[1].wall, cpu: runs[0].cpu + runs[1].cpu, stdout: '' };
      };
      type Figure = { wall: number; cpu: number };
      const med = (runs: Figure[]) => ({ wall: median(runs.map((r) => r.wall)), cpu: median(runs.map((r) => r.cpu)) });
      /** Each build's median of RUNS runs, the builds by turns (`before` each run, in the build's tree). */
      const repeat = (before: (dir: string) => void): Figure[] => {
        const runs = builds.map(() => [] as Figure[]);
        for (let i = 0; i < RUNS; i++) builds.forEach((b, k) => (before(b.dir), runs[k].push(verifyWith(b))));
        return runs.map(med);
      };

      // cold: no cache (a fresh clone, a CI job): every file parsed
      const cold = repeat((dir) => rmSync(cacheOf(dir), { recursive: true, force: true }));
      // the run after a cold one: its records read back, each set resolved again and written (a
      // set parsed whole is written the second time it is resolved); one run of each build
      const seconds = builds.map((b) => (rmSync(cacheOf(b.dir), { recursive: true, force: true }), verifyWith(b), verifyWith(b)));
      const first = seconds[0];
      const findings = JSON.parse(first.stdout) as { findings: Array<{ severity: string }> };
      const errors = findings.findings.filter((f) => f.severity === 'error').length;
      // warm (nothing changed since the last run) and git grep, by turns
      const v = builds.map(() => [] as Figure[]);
      const g: Figure[] = [];
      for (let i = 0; i < RUNS; i++) {
        g.push(grep());
        builds.forEach((b, k) => v[k].push(verifyWith(b)));
      }
      const warm = v.map(med);
      const base = med(g);
      // one file of the tree changed since the last run (not staged; new content each time): that file parsed again
      const changedPath = git(t.dir, 'ls-files', '--', 'proto').split('\n').find((p) => p.endsWith('.proto'))!;
      let edits = 0;
      const changed = repeat((dir) => {
        const file = path.join(dir, changedPath);
        writeFileSync(file, `${readFileSync(file, 'utf8')}// edit ${++edits}\n`);
      });
      for (const b of builds) git(b.dir, 'checkout', '--', '.');

      const row = (name: string, r: Figure) =>
        `  ${name.padEnd(34)} wall ${r.wall.toFixed(0).padStart(5)} ms  ${(r.wall / base.wall).toFixed(1).padStart(5)}x   CPU ${r.cpu.toFixed(0).padStart(5)} ms  ${(r.cpu / base.cpu).toFixed(1).padStart(5)}x   ${r.wall < GOAL_MS ? 'under' : 'OVER'} the ${GOAL_MS} ms goal`;
      const other = (name: string, r: Figure, mine: Figure) =>
        `  ${`  other build (${name})`.padEnd(34)} wall ${r.wall.toFixed(0).padStart(5)} ms  ${(r.wall / base.wall).toFixed(1).padStart(5)}x   CPU ${r.cpu.toFixed(0).padStart(5)} ms  ${(r.cpu / base.cpu).toFixed(1).padStart(5)}x   this build: ${(mine.wall / r.wall).toFixed(2)}x its wall, ${(mine.cpu / r.cpu).toFixed(2)}x its CPU`;
      console.log(`${t.name}: ${t.protos[0]} + ${t.protos[1]} protos, ${errors} error finding(s); git grep (baseline): wall ${base.wall.toFixed(0)} ms, CPU ${base.cpu.toFixed(0)} ms`);
      for (const [name, figures] of [['warm (nothing changed since)', warm], ['cold (no cache: every file parsed)', cold], ['after a cold run (one run)', seconds], ['one file changed since', changed]] as const) {
        console.log(row(name, figures[0]));
        if (figures[1]) console.log(other(name.split(' ')[0], figures[1], figures[0]));
      }
      console.log(`  load average now ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}\n`);
      if (BASE) rmSync(copy, { recursive: true, force: true });
      if (process.env.BENCH_PROFILE) {
        const prof = path.join(process.cwd(), `verify-migration-${t.name}.cpuprofile.d`);
        rmSync(prof, { recursive: true, force: true });
        rmSync(cache, { recursive: true, force: true });
        spawnSync(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${prof}`, CLI, 'verify', 'migration', '--json'], { cwd: t.dir, env, encoding: 'utf8', maxBuffer: 256 << 20 });
        console.log(`  profile of a cold run (one file a thread): ${prof}`);
      }
    }
  } finally {
    if (process.env.BENCH_KEEP) console.log(`kept: ${base}`);
    else rmSync(base, { recursive: true, force: true });
  }
}

main();
