/**
 * `npm run bench:scale`: does reorg-guard grow with the tree as git and GNU tar do?
 *
 * At each size (default 10,000, 50,000 and 100,000 files: the real-shaped tree of
 * scripts/lib/real-tree.ts padded with small Go files, about 2 KB a file on average), in one
 * repository with reorg-guard's hooks installed, times in alternating rounds:
 *
 *   backup of a dirty tree        beside  git stash push -u (then popped, untimed)
 *   a guarded commit (hooks)      beside  the same commit without hooks
 *   rollback full, after the move beside  git stash -u + git reset --hard <backup>
 *   undo of that rollback         beside  the same, and beside git reset --hard <move> + stash pop
 *   archive (write, verify)       beside  tar -czf + tar -tzf
 *
 * Prints medians (wall and CPU time) and ratios; at the end the ratios by size, so that a
 * growth worse than git's shows.
 *
 *   npm run bench:scale                                # 10k, 50k, 100k files, 3 rounds
 *   npm run bench:scale -- --sizes 10000 --runs 5      # a quick run
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { benchEnv, CLI } from './lib/bench.js';
import { load, measure, measureSh, medianOf, needGnuTime, ratio, row, settleIndex, type Sample } from './lib/measure.js';
import { dirtyRealTree, rollbackRound, rollbackScene, writeRealTree } from './lib/real-tree.js';

needGnuTime('bench:scale');
const argv = process.argv.slice(2);
const flag = (name: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
const SIZES = (flag('--sizes') ?? '10000,50000,100000').split(',').map(Number).filter((n) => n > 0);
const RUNS = Math.max(1, Number(flag('--runs') ?? 3));
/** Average bytes per file (the real tree: about 6.5 KB; smaller here so 100,000 files stay quick to write). */
const BYTES_PER_FILE = 2048;

interface Result {
  size: number;
  rows: Array<{ label: string; ours: Sample; base: Sample; baseLabel: string }>;
}

/** Runs `a` and `b` RUNS times each, alternating which goes first. */
function rounds(a: () => Sample, b: () => Sample): [Sample, Sample] {
  const as: Sample[] = [];
  const bs: Sample[] = [];
  for (let i = 0; i < RUNS; i++) {
    if (i % 2) {
      bs.push(b());
      as.push(a());
    } else {
      as.push(a());
      bs.push(b());
    }
  }
  return [medianOf(as), medianOf(bs)];
}

function atSize(base: string, size: number): Result {
  const dir = path.join(base, `tree-${size}`);
  const env = benchEnv(mkdtempSync(path.join(base, 'home-')));
  env.NO_COLOR = '1';
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 30 }).trim();
  const rg = (...args: string[]) => execFileSync(process.execPath, [CLI, ...args], { cwd: dir, env, stdio: 'ignore' });

  const layout = writeRealTree(dir, { files: size, mb: (size * BYTES_PER_FILE) / (1024 * 1024) });
  // no package.json: `init` installs plain git hooks (husky is bench:hooks' business)
  rmSync(path.join(dir, 'package.json'));
  writeFileSync(path.join(dir, 'reorg-guard.config.json'), JSON.stringify({ push: false }) + '\n');
  git('init', '-q', '--initial-branch=main');
  // no automatic gc: past 6,700 loose objects (gc.auto) git starts one in the background after a
  // commit, beside the timed commands (a run at 100,000 files failed to remove its tree: something
  // still wrote into .git)
  git('config', 'gc.auto', '0');
  git('add', '-A');
  git('commit', '-q', '-m', `gcommon, ${size} files`);
  rg('init');
  git('add', '-A');
  git('-c', 'core.hooksPath=/dev/null', 'commit', '-q', '--allow-empty', '-m', 'reorg-guard init');
  const entries = Number(git('ls-files').split('\n').length);
  console.log(`\n${size} files (${entries} index entries), ${RUNS} rounds, load ${load()} at the start`);
  const result: Result = { size, rows: [] };
  const add = (label: string, [ours, base]: [Sample, Sample], baseLabel: string) => {
    result.rows.push({ label, ours, base, baseLabel });
    console.log(row(label, ours, base, baseLabel));
  };

  dirtyRealTree(dir, layout, 'wip');
  add('backup (dirty tree)', rounds(
    () => (settleIndex(dir, env), measure(dir, env, process.execPath, [CLI, 'backup', '--no-push'])),
    () => {
      settleIndex(dir, env);
      const s = measureSh(dir, env, 'git stash push -q -u');
      git('stash', 'pop', '-q');
      return s;
    },
  ), 'git stash push -u');

  // each commit changes a guarded proto, staged; the rest of the work in progress stays unstaged
  const proto = path.join(dir, layout.protos[0] ? `pkg/${layout.protos[0].domain}/proto/${layout.protos[0].name}` : 'buf.yaml');
  let n = 0;
  const commit = (hooks: boolean) => {
    appendFileSync(proto, `// change ${++n}\n`);
    git('add', '--', proto);
    settleIndex(dir, env);
    return measure(dir, env, 'git', [...(hooks ? [] : ['-c', 'core.hooksPath=/dev/null']), 'commit', '-q', '-m', `change ${n}`]);
  };
  add('guarded commit', rounds(() => commit(true), () => commit(false)), 'the same commit, no hooks');

  const scene = rollbackScene(dir, env, layout, (...args) => rg(...args));
  const rb = Array.from({ length: RUNS }, (_, i) => rollbackRound(dir, env, scene, CLI, i % 2 ? 'reorg-guard' : 'git'));
  const rbBase = medianOf(rb.map((r) => r.baseline));
  add('rollback full', [medianOf(rb.map((r) => r.rollbackFull)), rbBase], 'git stash -u + reset --hard');
  add('undo', [medianOf(rb.map((r) => r.undo)), rbBase], 'git stash -u + reset --hard');
  add('undo (the way forth)', [medianOf(rb.map((r) => r.undo)), medianOf(rb.map((r) => r.forth))], 'git reset --hard + stash pop');

  const out = path.join(base, 'archives');
  const tarFile = path.join(base, 'tar.tar.gz');
  add('archive', rounds(
    () => {
      const s = measure(dir, env, process.execPath, [CLI, 'archive', '--dir', out]);
      rmSync(out, { recursive: true, force: true });
      return s;
    },
    () => {
      const s = measureSh(dir, env, `tar -czf '${tarFile}' --exclude=.git . && tar -tzf '${tarFile}' >/dev/null`);
      rmSync(tarFile);
      return s;
    },
  ), 'tar -czf + tar -tzf');
  rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 500 });
  return result;
}

const base = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'reorg-guard-bench-scale-')));
mkdirSync(base, { recursive: true });
try {
  const results = SIZES.map((size) => atSize(base, size));
  console.log(`\nratios (wall / CPU) by size, load ${load()} at the end:`);
  const labels = results[0]?.rows.map((r) => r.label) ?? [];
  console.log(`${'files'.padEnd(24)} ${results.map((r) => String(r.size).padStart(16)).join('')}`);
  for (const label of labels) {
    const cells = results.map((r) => {
      const x = r.rows.find((y) => y.label === label)!;
      return `${ratio(x.ours.wall, x.base.wall)}/${ratio(x.ours.cpu, x.base.cpu)}`.padStart(16);
    });
    console.log(`${label.padEnd(24)} ${cells.join('')}`);
  }
} finally {
  rmSync(base, { recursive: true, force: true });
}
