/**
 * `npm run bench:verify-migration`: `reorg-guard verify migration` (the whole command: node
 * start, protobufjs, both sides parsed and compared) in the middle of the migration, when the
 * tree holds both layouts (about 1,600 protos each) and the backup the old one, beside
 * `git grep` for the declarations over the same two trees in the same run. Two trees: the
 * sandbox (scripts/lib/gcommon-layout.ts, small protos) and a real-shaped one
 * (scripts/lib/real-shaped-protos.ts: about 850 bytes a file, imports, editions, services).
 * Each timing is the median of five runs with the schema cache warm (nothing changed since: no
 * file is read or parsed); a cold run (no cache: both sides parsed) and a run after one file of
 * the tree changed (its set parsed again) are timed apart. Wall and CPU time (user + sys, with
 * git's) beside git grep's. Goal: under 1 s on a 2-core machine.
 *
 *   npm run bench:verify-migration            # full size
 *   npm run bench:verify-migration -- 0.25    # a quarter
 *   BENCH_PROFILE=1 npm run bench:verify-migration   # also writes a --cpu-prof profile of one run
 *   BENCH_KEEP=1 npm run bench:verify-migration      # keeps the trees (and says where) to profile by hand
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CLI, benchEnv, timedMs } from './lib/bench.js';
import { generateLayout, writeLayout } from './lib/gcommon-layout.js';
import { simulateReorganization } from './lib/simulate-reorg.js';
import { moveRealShaped, realShapedProtos } from './lib/real-shaped-protos.js';

const scale = Number(process.argv[2] ?? 1);
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

    console.log(`verify migration mid-migration (tree: both layouts; backup: the old one), median of ${RUNS} runs, scale ${scale}; load average at start ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} cores\n`);
    const rows: string[] = [];
    for (const t of trees) {
      const verify = () => {
        const r = spawnSync(process.execPath, [CLI, 'verify', 'migration', '--json'], { cwd: t.dir, env, encoding: 'utf8', maxBuffer: 256 << 20 });
        if (r.status !== 0 && r.status !== 1) throw new Error(`verify migration: ${r.stderr}`);
        return r;
      };
      // the baseline: the declarations of both trees found by git grep, as a hand-made check would
      const grep = () => {
        for (const rev of ['HEAD~1', 'HEAD']) git(t.dir, 'grep', '-n', '-E', '^\\s*(message|enum|service|rpc)\\s', rev, '--', '*.proto');
      };
      // CPU seconds (user + sys, GNU time) say more than wall time on a machine others load too
      const cpu = (args: string[]) => {
        const r = spawnSync('/usr/bin/time', ['-f', 'CPU %U %S', ...args], { cwd: t.dir, env, encoding: 'utf8', maxBuffer: 256 << 20 });
        const m = /CPU ([\d.]+) ([\d.]+)\s*$/.exec(r.stderr ?? '');
        return m ? Number(m[1]) + Number(m[2]) : NaN;
      };
      // cold: no cache, both sides parsed; later runs read both schemas from the cache
      const cache = path.join(t.dir, '.git/reorg-guard/schema-cache');
      const uncached = timedMs(() => (rmSync(cache, { recursive: true, force: true }), verify()));
      const cpuFirst = (rmSync(cache, { recursive: true, force: true }), cpu([process.execPath, CLI, 'verify', 'migration', '--json']));
      const cpuVerify = median([0, 1, 2].map(() => cpu([process.execPath, CLI, 'verify', 'migration', '--json'])));
      const cpuGrep = median([0, 1, 2].map(() => ['HEAD~1', 'HEAD'].reduce((sum, rev) => sum + cpu(['git', 'grep', '-n', '-E', '^\\s*(message|enum|service|rpc)\\s', rev, '--', '*.proto']), 0)));
      const first = verify();
      const findings = JSON.parse(first.stdout) as { passed: boolean; findings: Array<{ severity: string }> };
      const errors = findings.findings.filter((f) => f.severity === 'error').length;
      const v: number[] = [];
      const g: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        g.push(timedMs(grep));
        v.push(timedMs(verify));
      }
      const mv = median(v);
      const mg = median(g);
      rows.push(`${t.name.padEnd(12)} ${String(t.protos[0]).padStart(5)} + ${String(t.protos[1]).padStart(5)} protos  verify migration ${mv.toFixed(0).padStart(5)} ms  git grep ${mg.toFixed(0).padStart(4)} ms  ratio ${(mv / mg).toFixed(1).padStart(5)}x  ${mv < GOAL_MS ? 'under' : 'OVER'} the ${GOAL_MS} ms goal  (${errors} error finding(s))`);
      console.log(rows.at(-1));
      console.log(`${''.padEnd(12)} cold cache (both sides parsed): ${uncached.toFixed(0)} ms, ratio ${(uncached / mg).toFixed(1)}x`);
      // one file of the tree changed since the last run (not staged): its set is parsed again
      const changed = path.join(t.dir, git(t.dir, 'ls-files', '--', 'proto').split('\n').find((p) => p.endsWith('.proto'))!);
      writeFileSync(changed, `${readFileSync(changed, 'utf8')}// edited\n`);
      const cpuOneChanged = cpu([process.execPath, CLI, 'verify', 'migration', '--json']);
      writeFileSync(changed, `${readFileSync(changed, 'utf8')}// edited again\n`);
      const oneChanged = timedMs(verify);
      git(t.dir, 'checkout', '--', '.');
      console.log(`${''.padEnd(12)} one file of the tree changed since (its set parsed again): ${oneChanged.toFixed(0)} ms, ratio ${(oneChanged / mg).toFixed(1)}x; CPU ${cpuOneChanged.toFixed(2)} s`);
      if (!Number.isNaN(cpuVerify)) {
        console.log(`${''.padEnd(12)} CPU (user + sys, median of 3): verify migration ${cpuVerify.toFixed(2)} s (cold ${cpuFirst.toFixed(2)} s), git grep ${cpuGrep.toFixed(2)} s, ratio ${(cpuVerify / cpuGrep).toFixed(1)}x (${(cpuFirst / cpuGrep).toFixed(1)}x); load average now ${os.loadavg()[0].toFixed(1)}`);
      }
      if (process.env.BENCH_PROFILE) {
        const prof = path.join(process.cwd(), `verify-migration-${t.name}.cpuprofile.d`);
        rmSync(prof, { recursive: true, force: true });
        spawnSync(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${prof}`, CLI, 'verify', 'migration', '--json'], { cwd: t.dir, env, encoding: 'utf8', maxBuffer: 256 << 20 });
        console.log(`  profile: ${path.join(prof, readdirSync(prof)[0])}`);
      }
    }
  } finally {
    if (process.env.BENCH_KEEP) console.log(`kept: ${base}`);
    else rmSync(base, { recursive: true, force: true });
  }
}

main();
