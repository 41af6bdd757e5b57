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
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pc from 'picocolors';
import { generateLayout, writeLayout, type Layout } from './lib/gcommon-layout.js';
import { simulateReorganization } from './lib/simulate-reorg.js';

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
  layout: Layout;
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
  return { base, dir, origin, backups, layout };
}

/** The reorganization goes wrong; find out what it lost, roll back, verify, and take it all back. */
function rollbackScenario(sb: Sandbox): void {
  const reorg = simulateReorganization(sb.dir, sb.layout);
  console.log(
    `\n${pc.bold('Reorganization simulated')}: ${reorg.written.length} files written under proto/gcommon/v1/ and pkg/gcommon/v1/, ` +
      `buf.yaml and buf.gen.yaml renamed to *.backup and rewritten, ${reorg.collisions.size} files written from two sources`,
  );
  step(sb, 'Did the migration keep every declaration? (it must name the ones the merge lost)', ['verify', 'migration'], [1]);
  step(sb, 'Quick rollback: config back from *.backup, new layout and its generated code removed', ['rollback', 'quick', '--yes']);
  step(sb, 'Verify the rollback against the backup', ['verify', 'rollback']);
  step(sb, 'Undo the quick rollback: the reorganized tree is back, byte for byte', ['undo', '--yes']);
  git(sb.dir, 'add', '-A');
  git(sb.dir, 'commit', '-q', '-m', 'refactor: move protos to proto/gcommon/v1 (broken: lost 4 declarations)');
  console.log(`\n${pc.bold('The broken reorganization gets committed')} (${git(sb.dir, 'rev-parse', '--short', 'HEAD')})`);
  step(sb, 'Full rollback: branch, index and work tree exactly as at backup time (untracked notes included)', ['rollback', 'full', '--yes']);
  step(sb, 'Verify the rollback against the backup', ['verify', 'rollback']);
  step(sb, 'Undo the full rollback: the commit and the reorganized tree come back', ['undo', '--yes']);
  step(sb, 'The journal of operations', ['log']);
}

function main(): void {
  const sb = makeSandbox();
  try {
    // Work in progress that a branch alone would not hold: an edit and an untracked file.
    writeFileSync(path.join(sb.dir, 'pkg/queue/proto/NOTES.md'), 'migration notes, not committed yet\n');
    step(sb, 'Back up before the reorganization (branch + snapshot of uncommitted work, pushed)', ['backup', '--reason', 'before proto reorg']);
    step(sb, 'Archive the work tree (verified tar.gz with a manifest)', ['archive']);
    step(sb, 'What backups exist', ['list']);
    rollbackScenario(sb);
    console.log(`\n${pc.green('Done.')} Sandbox: ${sb.dir}${keep ? '' : ' (removed; pass --keep to keep it)'}`);
  } finally {
    if (!keep) rmSync(sb.base, { recursive: true, force: true });
  }
}

main();
