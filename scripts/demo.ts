/**
 * `npm start`: the main job on a built-in sandbox. Builds a repository shaped like the gcommon
 * monorepo before its protobuf reorganization (see scripts/lib/gcommon-layout.ts), with a bare
 * origin, under the OS temp folder, and runs reorg-guard there step by step, as a user would.
 *
 *   npm start                 # a few hundred files
 *   npm start -- --full       # the real size (about 4,000 files)
 *   npm start -- --keep       # leave the sandbox for a look (its path is printed)
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pc from 'picocolors';
import { generateLayout, writeLayout } from './lib/gcommon-layout.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLI = path.join(ROOT, 'dist/cli.js');
const argv = process.argv.slice(2);
const full = argv.includes('--full');
const keep = argv.includes('--keep') || full;

export interface Sandbox {
  base: string;
  dir: string;
  origin: string;
  backups: string;
}

const env = { ...process.env, GIT_AUTHOR_NAME: 'Demo', GIT_AUTHOR_EMAIL: 'demo@example.com', GIT_COMMITTER_NAME: 'Demo', GIT_COMMITTER_EMAIL: 'demo@example.com' };

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env, encoding: 'utf8' }).trim();
}

/** Runs `reorg-guard <args>` in the sandbox, shows the command and its output. */
export function step(sb: Sandbox, title: string, args: string[], expect: number[] = [0]): number {
  console.log(`\n${pc.bold(pc.cyan(`▶ ${title}`))}\n${pc.dim(`$ reorg-guard ${args.join(' ')}`)}`);
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: sb.dir, env, encoding: 'utf8' });
  const shown = (r.stdout + r.stderr).trimEnd();
  if (shown) console.log(shown.replace(/^/gm, '  '));
  if (!expect.includes(r.status ?? -1)) throw new Error(`reorg-guard ${args.join(' ')} exited ${r.status}, expected ${expect.join(' or ')}`);
  return r.status ?? -1;
}

function makeSandbox(): Sandbox {
  const base = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'reorg-guard-sandbox-')));
  const dir = path.join(base, 'gcommon');
  const origin = path.join(base, 'origin.git');
  const backups = path.join(base, 'backups');
  mkdirSync(dir);
  const layout = generateLayout({ scale: full ? 1 : 0.1, python: full });
  writeLayout(dir, layout);
  // the sandbox's backups stay inside the sandbox, not in ~/backups
  writeFileSync(path.join(dir, 'reorg-guard.config.json'), JSON.stringify({ backupDir: backups }, null, 2) + '\n');
  git(base, 'init', '-q', '--bare', '--initial-branch=main', origin);
  git(dir, 'init', '-q', '--initial-branch=main');
  git(dir, 'remote', 'add', 'origin', origin);
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'gcommon before the protobuf reorganization');
  git(dir, 'push', '-q', 'origin', 'main');
  console.log(`${pc.bold('Sandbox')} ${dir}: ${layout.files.size} files, ${layout.protos.length} protos in pkg/<domain>/proto/, bare origin ${origin}`);
  return { base, dir, origin, backups };
}

/**
 * The backup lifecycle: more backups over time, retention (dry run, then for real), a damaged
 * archive caught, a verified restore, and at the end a full verification of what is kept.
 */
function lifecycle(sb: Sandbox): void {
  for (const n of [1, 2, 3]) {
    writeFileSync(path.join(sb.dir, 'pkg/queue/proto/NOTES.md'), `migration notes, step ${n}\n`);
    step(sb, `Back up again (step ${n} of the migration)`, ['backup', '--reason', `migration step ${n}`]);
  }
  step(sb, 'Retention, dry run: what would go, what stays, and why', ['cleanup', '--keep-branches', '2', '--dry-run']);
  step(sb, 'Retention: keep the 2 newest backups (one push, one ref transaction, journaled)', ['cleanup', '--keep-branches', '2', '--yes']);

  const archive = readdirSync(sb.backups).find((n) => n.endsWith('.tar.gz'))!;
  const damaged = path.join(sb.backups, archive.replace(/(\d{8}_\d{6})/, '$1-2'));
  const bytes = readFileSync(path.join(sb.backups, archive));
  bytes[Math.floor(bytes.length / 2)] ^= 0xff;
  writeFileSync(damaged, bytes);
  step(sb, 'A copy of the archive with one flipped byte is caught (exit 1)', ['verify', 'backups'], [1]);
  rmSync(damaged);

  const restored = path.join(sb.base, 'restored');
  step(sb, 'Restore the archive into a new folder (verified first, compared byte for byte after)', ['restore', path.join(sb.backups, archive), '--to', restored]);
  step(sb, "Verify the sandbox's backups: branches, remote copies, snapshots, archives read in full", ['verify', 'backups']);
}

function main(): void {
  const sb = makeSandbox();
  try {
    // Work in progress that a branch alone would not hold: an edit and an untracked file.
    writeFileSync(path.join(sb.dir, 'pkg/queue/proto/NOTES.md'), 'migration notes, not committed yet\n');
    step(sb, 'Back up before the reorganization (branch + snapshot of uncommitted work, pushed)', ['backup', '--reason', 'before proto reorg']);
    step(sb, 'Archive the work tree (verified tar.gz with a manifest)', ['archive']);
    step(sb, 'What backups exist', ['list']);
    lifecycle(sb);
    console.log(`\n${pc.green('Done.')} Sandbox: ${sb.dir}${keep ? '' : ' (removed; pass --keep to keep it)'}`);
  } finally {
    if (!keep) rmSync(sb.base, { recursive: true, force: true });
  }
}

main();
