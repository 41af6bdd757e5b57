/**
 * `npm run bench:snapshot`: what git's conversions cost a snapshot and a restore. On a
 * full-size gcommon tree with the reorganization's ~3,300 new files uncommitted, times
 * `backup --no-push` (one whole snapshot) and `rollback full` + `undo` in three setups, against
 * `git stash create` (git's own snapshot without touching anything) in the same run:
 *   - no attributes: the check that nothing converts is all it costs;
 *   - attributes that convert no file here (`*.png binary`): every file's attributes are read;
 *   - `*.proto text eol=crlf`: the ~3,200 protos are stored and written as bytes.
 * Each figure is the median of `--runs N` (default 3). REORG_GUARD_CLI=<dist/cli.js> times
 * another build (e.g. the one before a change) on the same trees.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateLayout, writeLayout } from './lib/gcommon-layout.js';
import { userEnv } from './lib/bench.js';
import { simulateReorganization } from './lib/simulate-reorg.js';

const CLI = process.env.REORG_GUARD_CLI ?? path.join(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..'), 'dist/cli.js');
const env = { ...userEnv(), GIT_AUTHOR_NAME: 'Bench', GIT_AUTHOR_EMAIL: 'b@example.com', GIT_COMMITTER_NAME: 'Bench', GIT_COMMITTER_EMAIL: 'b@example.com' };
const runsAt = process.argv.indexOf('--runs');
const RUNS = runsAt > 0 ? Number(process.argv[runsAt + 1]) : 3;

function ms(run: () => void): number {
  const t = process.hrtime.bigint();
  run();
  return Number(process.hrtime.bigint() - t) / 1e6;
}
const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function rg(dir: string, ...args: string[]): void {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: dir, env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`reorg-guard ${args.join(' ')}: ${r.stderr}`);
}
function rgOut(dir: string, ...args: string[]): string {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: dir, env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`reorg-guard ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}
const git = (dir: string, ...args: string[]) => execFileSync('git', args, { cwd: dir, env, stdio: 'ignore' });

const SETUPS: Array<[string, string | null]> = [
  ['no attributes', null],
  ['attributes, nothing converts', '*.png binary\n'],
  ['*.proto text eol=crlf', '*.proto text eol=crlf\n'],
];

const base = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'reorg-guard-bench-snap-')));
try {
  const layout = generateLayout({ scale: 1 });
  console.log(`${CLI}\n${layout.files.size} files, ${RUNS} runs each, medians in ms\n`);
  console.log(`${'setup'.padEnd(30)} ${'stash create'.padStart(12)} ${'backup'.padStart(8)} ${'ratio'.padStart(6)} ${'full+undo'.padStart(10)} ${'ratio'.padStart(6)}`);
  for (const [label, attributes] of SETUPS) {
    const dir = path.join(base, label.replace(/\W+/g, '-'));
    mkdirSync(dir);
    writeLayout(dir, layout);
    if (attributes) writeFileSync(path.join(dir, '.gitattributes'), attributes);
    git(dir, 'init', '-q', '--initial-branch=main');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'before');
    const first = JSON.parse(rgOut(dir, 'backup', '--no-push', '--json')).branch as string;
    simulateReorganization(dir, layout);
    const stash: number[] = [];
    const backup: number[] = [];
    const restore: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      // interleaved, so that the machine's drift hits all three alike
      stash.push(ms(() => git(dir, 'stash', 'create')));
      backup.push(ms(() => rg(dir, 'backup', '--no-push')));
      // the reorganization's files out (to the first backup), then back in (undo: from the safety snapshot)
      restore.push(ms(() => (rg(dir, 'rollback', 'full', '--yes', '--to', first), rg(dir, 'undo', '--yes'))));
    }
    const [s, b, r] = [median(stash), median(backup), median(restore)];
    console.log(`${label.padEnd(30)} ${s.toFixed(0).padStart(12)} ${b.toFixed(0).padStart(8)} ${(b / s).toFixed(1).padStart(5)}x ${r.toFixed(0).padStart(10)} ${(r / s).toFixed(1).padStart(5)}x`);
  }
} finally {
  rmSync(base, { recursive: true, force: true });
}
