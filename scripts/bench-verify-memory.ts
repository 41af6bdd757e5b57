/**
 * `npm run bench:verify`: peak memory of `reorg-guard verify backups` on a 1 GiB archive.
 * The archive is made by `reorg-guard archive` from a work tree of random (incompressible)
 * data: one 512 MiB file and 512 files of 1 MiB. Peak RSS is read from GNU time
 * (`/usr/bin/time -v`, installed with apt-get when missing). Goal: under 100 MiB.
 *
 *   BENCH_MIB=256 npm run bench:verify   # a smaller archive, for a quick look
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { CLI, benchEnv } from './lib/bench.js';

const TOTAL_MIB = Number(process.env.BENCH_MIB ?? 1024);
const GOAL_MIB = 100;
const TIME = '/usr/bin/time';

function ensureGnuTime(): void {
  const probe = spawnSync(TIME, ['-v', 'true'], { encoding: 'utf8' });
  if (probe.status === 0 && /Maximum resident set size/.test(probe.stderr)) return;
  console.log('GNU time not found: installing it with apt-get (package "time")...');
  const sudo = process.getuid?.() === 0 ? [] : ['sudo'];
  for (const args of [['apt-get', 'update', '-qq'], ['apt-get', 'install', '-y', '-qq', 'time']]) {
    const r = spawnSync(sudo[0] ?? args[0], [...sudo.slice(1), ...(sudo.length ? args : args.slice(1))], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error(`could not install GNU time (${args.join(' ')} failed); install it and run again`);
  }
}

async function writeRandom(file: string, mib: number): Promise<void> {
  const out = createWriteStream(file);
  for (let i = 0; i < mib; i++) {
    if (!out.write(randomBytes(1 << 20))) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
}

/** Runs the CLI under GNU time; returns its exit code, peak RSS in MiB, and seconds. */
function measured(cwd: string, args: string[], env: NodeJS.ProcessEnv): { code: number; peakMiB: number; seconds: number; stderr: string } {
  const t = process.hrtime.bigint();
  const r = spawnSync(TIME, ['-v', process.execPath, CLI, ...args], { cwd, env, encoding: 'utf8', maxBuffer: 64 << 20 });
  const seconds = Number(process.hrtime.bigint() - t) / 1e9;
  const kb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr)?.[1] ?? NaN);
  return { code: r.status ?? -1, peakMiB: kb / 1024, seconds, stderr: r.stderr };
}

async function main(): Promise<void> {
  ensureGnuTime();
  const base = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'rg-bench-verify-')));
  const env = benchEnv(base);
  try {
    const dir = path.join(base, 'work');
    mkdirSync(path.join(dir, 'data/small'), { recursive: true });
    writeFileSync(path.join(dir, 'reorg-guard.config.json'), JSON.stringify({ backupDir: path.join(base, 'backups') }) + '\n');
    execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: dir, env });
    execFileSync('git', ['add', 'reorg-guard.config.json'], { cwd: dir, env });
    execFileSync('git', ['commit', '-q', '-m', 'bench'], { cwd: dir, env });
    const big = Math.floor(TOTAL_MIB / 2);
    console.log(`Writing ${TOTAL_MIB} MiB of random data (one ${big} MiB file, ${TOTAL_MIB - big} files of 1 MiB)...`);
    await writeRandom(path.join(dir, 'data/big.bin'), big);
    for (let i = 0; i < TOTAL_MIB - big; i++) await writeRandom(path.join(dir, `data/small/f${String(i).padStart(4, '0')}.bin`), 1);

    console.log('reorg-guard archive (writes, then reads back and verifies)...');
    const arch = measured(dir, ['archive'], env);
    if (arch.code !== 0) throw new Error(`archive failed:\n${arch.stderr}`);
    const archives = readdirSync(path.join(base, 'backups')).filter((n) => n.endsWith('.tar.gz'));
    const size = statSync(path.join(base, 'backups', archives[0])).size;

    console.log('reorg-guard verify backups (reads the whole archive, checks every entry)...');
    const ver = measured(dir, ['verify', 'backups'], env);
    if (ver.code !== 0) throw new Error(`verify failed:\n${ver.stderr}`);

    const mib = (n: number) => `${n.toFixed(1)} MiB`;
    console.log(`\narchive size:                      ${mib(size / 2 ** 20)}`);
    console.log(`verify backups: peak RSS ${mib(ver.peakMiB).padStart(10)}   ${ver.seconds.toFixed(1)} s   (${(size / 2 ** 20 / ver.seconds).toFixed(0)} MiB/s)`);
    console.log(`archive:        peak RSS ${mib(arch.peakMiB).padStart(10)}   ${arch.seconds.toFixed(1)} s`);
    console.log(`peak RSS / archive size: ${((ver.peakMiB / (size / 2 ** 20)) * 100).toFixed(1)} %`);
    const ok = ver.peakMiB < GOAL_MIB && size >= TOTAL_MIB * 0.95 * 2 ** 20;
    console.log(ok ? `goal met: verify stays under ${GOAL_MIB} MiB` : `goal MISSED: want verify under ${GOAL_MIB} MiB`);
    process.exitCode = ok ? 0 : 1;
  } finally {
    if (existsSync(base)) rmSync(base, { recursive: true, force: true });
  }
}

await main();
