/**
 * `npm run bench:cleanup`: 1,000 backup branches (each its own commit, with a snapshot ref),
 * in a repository and on its bare remote, cleaned down to 5 by `reorg-guard cleanup`, timed
 * beside what the old scripts did: one `git push origin :branch` per branch, measured in the
 * same run on an identical copy. The loop only deletes the remote branches (it leaves the
 * local ones, as the old scripts did), so it does less work than cleanup: the ratio is, if
 * anything, understated. Goal: under 3 s and at least 20x faster than the loop.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CLI, benchEnv, timedMs } from './lib/bench.js';

const COUNT = Number(process.env.BENCH_BRANCHES ?? 1000);
const KEEP = 5;
const PREFIX = 'proto-reorg-backup-';

const home = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'rg-bench-home-')));
const env = benchEnv(home);

function git(cwd: string, args: string[], input?: string): string {
  return execFileSync('git', args, { cwd, env, input, encoding: 'utf8', maxBuffer: 64 << 20 }).trim();
}

function stampOf(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace('T', '_').slice(0, 15);
}

/** A repository with COUNT backup branches (one commit each, a snapshot ref each), all pushed. */
function seed(base: string): { dir: string; origin: string; names: string[] } {
  const dir = path.join(base, 'work');
  const origin = path.join(base, 'origin.git');
  git(base, ['init', '-q', '--bare', origin]);
  git(base, ['init', '-q', dir]);
  writeFileSync(path.join(dir, 'README.md'), '# bench\n');
  writeFileSync(path.join(dir, 'reorg-guard.config.json'), JSON.stringify({ backupDir: path.join(base, 'backups') }) + '\n');
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '-m', 'initial']);
  git(dir, ['remote', 'add', 'origin', origin]);
  git(dir, ['push', '-q', 'origin', 'main']);
  const start = Date.now() - COUNT * 3_600_000;
  const names: string[] = [];
  let stream = '';
  for (let i = 0; i < COUNT; i++) {
    const when = new Date(start + i * 3_600_000);
    const name = `${PREFIX}${stampOf(when)}`;
    names.push(name);
    const body = `backup ${i}\n`;
    const message = `work before backup ${i}\n`;
    stream +=
      `commit refs/heads/${name}\nmark :${i + 1}\ncommitter Bench <bench@example.com> ${Math.floor(when.getTime() / 1000)} +0000\n` +
      `data ${Buffer.byteLength(message)}\n${message}${i === 0 ? 'from refs/heads/main^0' : `from :${i}`}\n` +
      `M 100644 inline progress.txt\ndata ${Buffer.byteLength(body)}\n${body}\n` +
      `reset refs/reorg-guard/snapshots/${name}\nfrom :${i + 1}\n\n`;
  }
  git(dir, ['fast-import', '--quiet'], stream);
  git(dir, ['push', '-q', 'origin', `refs/heads/${PREFIX}*:refs/heads/${PREFIX}*`]);
  return { dir, origin, names: names.reverse() };
}

function count(gitDir: string, pattern: string): number {
  return git(gitDir, ['for-each-ref', '--format=x', pattern]).split('\n').filter(Boolean).length;
}

const time = (work: () => void): number => timedMs(work) / 1000;

function main(): void {
  const baseA = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'rg-bench-cleanup-')));
  const baseB = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'rg-bench-loop-')));
  try {
    console.log(`Seeding ${COUNT} backup branches (local + bare remote) twice...`);
    const a = seed(baseA);
    const b = seed(baseB);

    const ours = time(() => {
      const r = spawnSync(process.execPath, [CLI, 'cleanup', '--keep-branches', String(KEEP), '--yes'], { cwd: a.dir, env, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`cleanup failed: ${r.stderr}`);
    });
    const left = { local: count(a.dir, `refs/heads/${PREFIX}*`), remote: count(a.origin, `refs/heads/${PREFIX}*`), snapshots: count(a.dir, 'refs/reorg-guard/snapshots/') };
    if (left.local !== KEEP || left.remote !== KEEP || left.snapshots !== KEEP) throw new Error(`cleanup left ${JSON.stringify(left)}`);

    const doomed = b.names.slice(KEEP);
    const loop = time(() => {
      for (const name of doomed) git(b.dir, ['push', '-q', 'origin', `:refs/heads/${name}`]);
    });
    if (count(b.origin, `refs/heads/${PREFIX}*`) !== KEEP) throw new Error('the loop did not delete every remote branch');

    const ratio = loop / ours;
    console.log(`\nreorg-guard cleanup (${COUNT} → ${KEEP}, local + remote + snapshots, journaled): ${ours.toFixed(2)} s`);
    console.log(`one push per branch (${doomed.length} pushes, remote only):              ${loop.toFixed(2)} s`);
    console.log(`ratio: ${ratio.toFixed(1)}x faster`);
    const ok = ours < 3 && ratio >= 20;
    console.log(ok ? 'goal met: under 3 s and >= 20x' : `goal MISSED: want under 3 s and >= 20x`);
    process.exitCode = ok ? 0 : 1;
  } finally {
    for (const dir of [baseA, baseB, home]) rmSync(dir, { recursive: true, force: true });
  }
}

main();
