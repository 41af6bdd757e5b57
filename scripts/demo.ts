/**
 * `npm start`: the main job on a built-in sandbox. Builds a repository shaped like the gcommon
 * monorepo before its protobuf reorganization (see scripts/lib/gcommon-layout.ts), with a bare
 * origin, under the OS temp folder, and runs reorg-guard there step by step, as a user would.
 *
 *   npm start                 # a few hundred files
 *   npm start -- --full       # the real size (about 4,000 files)
 *   npm start -- --keep       # leave the sandbox for a look (its path is printed)
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pc from 'picocolors';
import { DOMAIN_MERGES, generateLayout, writeLayout, type Layout } from './lib/gcommon-layout.js';
import { simulateReorganization } from './lib/simulate-reorg.js';
import { linkPackages } from './lib/link-packages.js';

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

function makeSandbox(quiet = false): Sandbox {
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
  if (!quiet) console.log(`${pc.bold('Sandbox')} ${dir}: ${layout.files.size} files, ${layout.protos.length} protos in pkg/<domain>/proto/, bare origin ${origin}`);
  return { base, dir, origin, backups, layout };
}

/** The reorganization goes wrong; find out what it lost, roll back, verify, and take it all back. */
function rollbackScenario(sb: Sandbox): void {
  const reorg = simulateReorganization(sb.dir, sb.layout);
  console.log(
    `\n${pc.bold('Reorganization simulated')}: ${reorg.written.length} files written under proto/gcommon/v1/ and pkg/gcommon/v1/, ` +
      `buf.yaml and buf.gen.yaml renamed to *.backup and rewritten, ${reorg.collisions.size} files written from two sources` +
      (reorg.lostField ? `, field ${reorg.lostField.number} of ${reorg.lostField.message} dropped on the way` : ''),
  );
  step(sb, 'Did the migration keep what the wire sees? (it must name the declarations the merge lost, and the lost field)', ['verify', 'migration'], [1]);
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

/**
 * The migration step the demo supervises: copies every pkg/<domain>/proto/*.proto into the new
 * layout, renames buf.yaml to buf.yaml.backup, then hangs before writing the new config (as a
 * stuck `buf generate` would). Plain node, so the demo needs no buf.
 */
const STUCK_STEP = `
const fs = require('fs'), path = require('path');
const merges = ${JSON.stringify(DOMAIN_MERGES)};
for (const domain of fs.readdirSync('pkg')) {
  const dir = path.join('pkg', domain, 'proto');
  if (!fs.existsSync(dir)) continue;
  const to = path.join('proto/gcommon/v1', merges[domain] || domain);
  fs.mkdirSync(to, { recursive: true });
  for (const f of fs.readdirSync(dir)) if (f.endsWith('.proto')) fs.copyFileSync(path.join(dir, f), path.join(to, f));
}
fs.renameSync('buf.yaml', 'buf.yaml.backup');
fs.writeFileSync(process.env.STEP_READY, 'copied');
setInterval(() => {}, 1000); // stuck
`;

/** A supervised migration step that hangs, is stopped with emergency-stop, and recover shows the state. */
async function supervisedStepStoppedAndRecovered(sb: Sandbox): Promise<void> {
  const ready = path.join(sb.base, 'step.ready');
  // .cjs: a package.json with "type": "module" above the temp folder must not change how it loads
  const script = path.join(sb.base, 'copy-protos.cjs');
  writeFileSync(script, STUCK_STEP);
  console.log(`\n${pc.bold(pc.cyan('▶ A supervised migration step, started in the background: copies protos, renames buf.yaml, hangs'))}`);
  console.log(pc.dim(`$ reorg-guard run --reason "copy protos" -- node ${script} &`));
  const run = spawn(process.execPath, [CLI, 'run', '--reason', 'copy protos', '--', 'node', script], {
    cwd: sb.dir, env: { ...env, STEP_READY: ready }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let said = '';
  run.stdout.on('data', (d) => (said += d));
  run.stderr.on('data', (d) => (said += d));
  let exitCode: number | null | undefined;
  const ended = new Promise<number | null>((resolve) => run.once('exit', (code) => resolve((exitCode = code))));
  const runs = path.join(sb.dir, '.git/reorg-guard/runs');
  for (let i = 0; !(existsSync(ready) && existsSync(runs) && readdirSync(runs).length > 0); i++) {
    if (i > 1200 || exitCode !== undefined) throw new Error(`the supervised step did not start (exit ${exitCode}): ${said}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  step(sb, 'What recover sees while the step hangs', ['recover'], [1]);
  step(sb, 'Emergency stop: exactly the recorded process group, then a safety snapshot', ['emergency-stop', '--grace', '2']);
  const code = await ended;
  process.stdout.write(`${said.trimEnd()}\n`.replace(/^(?=.)/gm, `  ${pc.dim('[run]')} `));
  console.log(pc.dim(`  [run] exit code ${code}`));
  step(sb, 'Where things stand after the stop, and the fix for each finding', ['recover'], [1]);
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

/** Runs a git command in the sandbox the way a user would, hooks included, and shows it. */
function gitStep(sb: Sandbox, title: string, args: string[]): void {
  console.log(`\n${pc.bold(pc.cyan(`▶ ${title}`))}\n${pc.dim(`$ git ${args.join(' ')}`)}`);
  const r = spawnSync('git', args, { cwd: sb.dir, env, encoding: 'utf8' });
  process.stdout.write((r.stdout + r.stderr).replace(/^/gm, '  '));
  if (r.status !== 0) throw new Error(`git ${args.join(' ')} exited ${r.status}`);
}

/** Hooks: init once, then a commit that touches a guarded path backs up the state before it, by itself. */
function hooks(sb: Sandbox): void {
  // What `npm install -D reorg-guard husky` and its "prepare": "husky" would leave.
  linkPackages(sb.dir);
  execFileSync(path.join(sb.dir, 'node_modules/.bin/husky'), { cwd: sb.dir, env });
  step(sb, 'Install the hooks (husky is in use: a block in each .husky/<hook>) and the npm scripts', ['init']);
  git(sb.dir, 'add', '.husky', 'package.json');
  git(sb.dir, 'commit', '-q', '--no-verify', '-m', 'reorg-guard hooks');
  writeFileSync(path.join(sb.dir, 'pkg/queue/proto/NOTES.md'), 'the move starts with queue\n');
  git(sb.dir, 'add', 'pkg/queue/proto/NOTES.md');
  gitStep(sb, 'A commit touching a guarded path backs up the state before it, by itself', ['commit', '-q', '-m', 'queue: migration notes']);
  gitStep(sb, 'The push sends that backup along', ['push', '-q', 'origin', 'main']);
}

/**
 * The automatic path, as the package's users work: the hooks installed, the migration committed
 * step by step, no manual backup. Each guarded commit's hook backs up the state before it; the
 * first one's is the baseline that verify and rollback compare with.
 */
function automaticPath(): void {
  const sb = makeSandbox(true);
  try {
    console.log(`${pc.bold('The automatic path')}: a sandbox of its own (${sb.dir}), hooks only, no manual backup`);
    // What `npm install -D reorg-guard husky` and its "prepare": "husky" would leave.
    linkPackages(sb.dir);
    execFileSync(path.join(sb.dir, 'node_modules/.bin/husky'), { cwd: sb.dir, env });
    step(sb, 'Install the hooks (husky) and the npm scripts', ['init']);
    git(sb.dir, 'add', '.husky', 'package.json');
    git(sb.dir, 'commit', '-q', '--no-verify', '-m', 'reorg-guard hooks');
    simulateReorganization(sb.dir, sb.layout);
    gitStep(sb, 'Migration step 1, committed: protos copied to proto/gcommon/v1, buf config rewritten, code regenerated', ['add', '-A']);
    gitStep(sb, 'The commit backs up the state before it, by itself', ['commit', '-q', '-m', 'copy protos to proto/gcommon/v1']);
    const old = git(sb.dir, 'ls-files', '--', 'pkg/*/proto/*.proto', 'buf.yaml.backup', 'buf.gen.yaml.backup').split('\n').filter(Boolean);
    git(sb.dir, 'rm', '-q', '--', ...old);
    gitStep(sb, `Migration step 2, committed: the old layout removed (${old.length} files)`, ['commit', '-q', '-m', 'remove pkg/*/proto']);
    step(sb, 'The backups the hooks took, and the baseline', ['list']);
    step(sb, 'Verify the migration against the baseline: it names what the merge lost', ['verify', 'migration'], [1]);
    step(sb, 'Full rollback to the baseline: the state before the first migration commit', ['rollback', 'full', '--yes']);
    step(sb, 'Verify the rollback (against the backup it went to)', ['verify', 'rollback']);
  } finally {
    if (!keep) rmSync(sb.base, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  automaticPath();
  const sb = makeSandbox();
  try {
    // Work in progress that a branch alone would not hold: an edit and an untracked file.
    writeFileSync(path.join(sb.dir, 'pkg/queue/proto/NOTES.md'), 'migration notes, not committed yet\n');
    step(sb, 'Back up before the reorganization (branch + snapshot of uncommitted work, pushed)', ['backup', '--reason', 'before proto reorg']);
    step(sb, 'Archive the work tree (verified tar.gz with a manifest)', ['archive']);
    step(sb, 'What backups exist', ['list']);
    rollbackScenario(sb);
    lifecycle(sb);
    await supervisedStepStoppedAndRecovered(sb);
    hooks(sb);
    console.log(`\n${pc.green('Done.')} Sandbox: ${sb.dir}${keep ? '' : ' (removed; pass --keep to keep it)'}`);
  } finally {
    if (!keep) rmSync(sb.base, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
