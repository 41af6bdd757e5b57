/**
 * What a user meets when the machine gets in the way: a disk that fills up while an archive is
 * written, Ctrl-C in the middle of a command, a command killed while git was writing a file.
 * Each case checks what is left on the disk and what reorg-guard says about it.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, rmSync, readdirSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CLI, makeRepo, testEnv, withRepo, type TestRepo } from './helpers/repo.js';
import { captureState } from './helpers/state.js';
import { startCli, waitFor } from './helpers/process.js';
import { backupBranches, commit, makeNpmProject, runHuskyPrepare } from './helpers/hooks.js';

/** Files whose names and hashes make a manifest of some 30 KB once compressed, and a body of random bytes. */
function fillRepo(repo: TestRepo): void {
  for (let i = 0; i < 400; i++) repo.write(`pkg/many/file_with_a_long_name_${String(i).padStart(4, '0')}.txt`, `${i}\n`);
  repo.write('pkg/blob.bin', randomBytes(200 * 1024));
  repo.git('add', '-A');
  repo.git('commit', '-qm', 'files');
}

/** The CLI with a limit on the size of any file it (or git) writes, in KiB: a disk that fills up at that size. */
function cliWithFileLimit(repo: TestRepo, kib: number, args: string[]) {
  // bash counts ulimit -f in KiB (POSIX sh in 512-byte blocks)
  const r = spawnSync('bash', ['-c', `ulimit -f ${kib} && exec "$0" "$@"`, process.execPath, CLI, ...args], { cwd: repo.dir, env: testEnv(), encoding: 'utf8' });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

test('archive on a disk that fills up: one sentence about the space, exit 1, nothing left behind', withRepo((repo) => {
  fillRepo(repo);
  const dir = path.join(repo.base, 'full');
  const first = repo.cli(['archive', '--dir', dir, '--json']);
  assert.is(first.code, 0, first.stderr);
  const size = statSync(JSON.parse(first.stdout).path).size;
  const before = readdirSync(dir);
  // room for the packed tree (the archive less its ~30 KB manifest), not for the whole archive
  const r = cliWithFileLimit(repo, Math.floor(size / 1024) - 8, ['archive', '--dir', dir]);
  assert.is(r.code, 1, r.stdout + r.stderr);
  assert.not.match(r.stderr, /changed while archiving/, 'no file changed: the disk was full');
  assert.not.match(r.stderr, /Unexpected error/);
  assert.match(r.stderr, /no room|space/i);
  assert.match(r.stderr, new RegExp(dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  assert.is(r.stderr.trim().split('\n').length, 1, 'one line');
  assert.equal(readdirSync(dir), before, 'no partial file left in the backup folder');
}));

test('Ctrl-C while archive writes: the half-written archive and its packed body are removed, exit by SIGINT', withRepo(async (repo) => {
  // a large file (sparse: no disk) keeps the archive busy long enough to be interrupted
  writeFileSync(path.join(repo.dir, 'big.bin'), '');
  truncateSync(path.join(repo.dir, 'big.bin'), 256 * 1024 * 1024);
  const dir = path.join(repo.base, 'archives');
  mkdirSync(dir);
  const run = startCli(repo.dir, ['archive', '--dir', dir]);
  await waitFor('the archive being written', () => readdirSync(dir).some((f) => f.includes('.partial-')));
  run.child.kill('SIGINT');
  const end = await run.exited;
  assert.is(end.signal, 'SIGINT', `ended by Ctrl-C: ${end.stdout}`);
  assert.equal(readdirSync(dir), [], 'nothing left in the backup folder');
}));

test('Ctrl-C while restore extracts: no half-extracted folder is left beside DIR', withRepo(async (repo) => {
  repo.write('data.bin', randomBytes(24 * 1024 * 1024));
  const made = repo.cli(['archive', '--json']);
  assert.is(made.code, 0, made.stderr);
  const parent = path.join(repo.base, 'restored');
  mkdirSync(parent);
  const run = startCli(repo.dir, ['restore', JSON.parse(made.stdout).path, '--to', path.join(parent, 'out'), '--yes']);
  await waitFor('the extraction folder', () => readdirSync(parent).some((f) => f.startsWith('.reorg-guard-restore-')));
  run.child.kill('SIGINT');
  const end = await run.exited;
  assert.is(end.signal, 'SIGINT', `ended by Ctrl-C: ${end.stdout}`);
  assert.equal(readdirSync(parent), [], 'nothing left beside DIR');
}));

test('a file git was writing when rollback full was killed is its own half-written file, not work since: recover --auto undoes it', withRepo(() => makeRepo({ files: { 'README.md': 'the first version of the readme\n', 'gone.txt': 'deleted after the backup, written back by the rollback\n' } }), (repo) => {
  assert.is(repo.cli(['backup', '--no-push']).code, 0);
  repo.write('README.md', 'edited after the backup\n');
  repo.git('rm', '-q', 'gone.txt');
  repo.write('extra.txt', 'untracked\n');
  const before = captureState(repo.dir);
  const crash = repo.cli(['rollback', 'full', '--yes'], { env: { REORG_GUARD_CRASH_AT: 'rollback-full:written' } });
  assert.is(crash.code, -1, 'killed');
  // as a kill in the middle of git's writing leaves them: one file opened and not written yet,
  // one with the start of its bytes
  truncateSync(path.join(repo.dir, 'README.md'), 0);
  truncateSync(path.join(repo.dir, 'gone.txt'), 10);
  const diag = repo.cli(['recover', '--json']);
  const f = (JSON.parse(diag.stdout).findings as Array<{ kind: string; discards?: string[]; meaning: string; fix: { auto: boolean } }>).find((x) => x.kind === 'interrupted-operation')!;
  assert.ok(f, diag.stdout);
  assert.is(f.discards, undefined, `nothing was made since the crash: ${f.meaning}`);
  assert.is(f.fix.auto, true);
  const auto = repo.cli(['recover', '--auto']);
  assert.match(auto.stdout, /Applying: reorg-guard undo/);
  assert.equal(captureState(repo.dir), { ...before, branches: captureState(repo.dir).branches }, 'the state before the rollback');
}));

test('rollback full keeps the hooks init installed when they are not committed: the next guarded commit still backs up', withRepo((repo) => {
  makeNpmProject(repo, { scripts: { prepare: 'husky' } });
  runHuskyPrepare(repo);
  const init = repo.cli(['init']);
  assert.is(init.code, 0, init.stderr);
  // the team starts migrating at once: .husky/ and its hooks stay untracked
  repo.git('checkout', '-q', '-b', 'migrate');
  assert.match(commit(repo, { 'proto/a.proto': 'syntax = "proto3";\n' }).out, /backed up/);
  const hooks = readdirSync(path.join(repo.dir, '.husky')).filter((f) => f !== '_').sort();
  assert.ok(hooks.includes('post-commit'), hooks.join(' '));
  repo.write('notes.txt', 'untracked work: the rollback removes it, undo brings it back\n');
  const r = repo.cli(['rollback', 'full', '--yes']);
  assert.is(r.code, 0, r.stderr);
  assert.not.ok(existsSync(path.join(repo.dir, 'proto/a.proto')), 'rolled back');
  assert.not.ok(existsSync(path.join(repo.dir, 'notes.txt')), 'other untracked files go as before');
  assert.equal(readdirSync(path.join(repo.dir, '.husky')).filter((f) => f !== '_').sort(), hooks, 'the hooks are still there');
  // (the commit rolled back to is on a backup branch already: the first commit on it needs none)
  assert.is(commit(repo, { 'proto/b.proto': 'syntax = "proto3";\n' }).code, 0);
  const before = backupBranches(repo).length;
  assert.match(commit(repo, { 'proto/c.proto': 'syntax = "proto3";\n' }).out, /backed up/, 'the guarded commits after it are backed up');
  assert.is(backupBranches(repo).length, before + 1);
}));

test('Ctrl-C while backup snapshots: no temporary index is left in .git', withRepo(async (repo) => {
  // a large untracked file (sparse: no disk) keeps git busy hashing it into the temporary index
  writeFileSync(path.join(repo.dir, 'big.bin'), '');
  truncateSync(path.join(repo.dir, 'big.bin'), 512 * 1024 * 1024);
  const gitDir = path.join(repo.dir, '.git');
  const temporary = () => readdirSync(gitDir).filter((f) => f.startsWith('reorg-guard-index-') || f.startsWith('reorg-guard-commit-'));
  const run = startCli(repo.dir, ['backup', '--no-push']);
  await waitFor('the temporary index', () => temporary().length > 0);
  process.kill(run.child.pid!, 'SIGINT');
  const end = await run.exited;
  assert.is(end.signal, 'SIGINT', `ended by Ctrl-C: ${end.stdout}`);
  assert.equal(temporary(), [], 'nothing of the snapshot left in .git');
}));

test('rollback selective --file onto a path that is a folder now: the plan names the files in it that go, undo brings them back', withRepo({ files: { 'buf.yaml': 'version: v2\n' } }, (repo) => {
  assert.is(repo.cli(['backup', '--no-push']).code, 0);
  repo.git('rm', '-q', 'buf.yaml');
  repo.write('buf.yaml/notes.txt', 'a file in a folder where buf.yaml was\n');
  const before = captureState(repo.dir);
  const dry = repo.cli(['rollback', 'selective', '--file', 'buf.yaml', '--dry-run']);
  assert.is(dry.code, 0, dry.stderr);
  assert.match(dry.stdout, /- buf\.yaml\/notes\.txt/, 'the plan says the file goes');
  const r = repo.cli(['rollback', 'selective', '--file', 'buf.yaml', '--yes']);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /1 file restored, 1 removed/);
  assert.is(repo.read('buf.yaml').toString(), 'version: v2\n');
  assert.is(repo.cli(['undo', '--yes']).code, 0);
  assert.equal(captureState(repo.dir), before);
}));

test("HOME set but empty: the default backupDir ~/backups is the user's home's, not /backups at the root", withRepo((repo) => {
  repo.write('reorg-guard.config.json', '{}\n'); // the default backupDir, ~/backups
  const r = repo.cli(['archive', '--json'], { env: { HOME: '' } });
  const file = r.code === 0 ? JSON.parse(r.stdout).path : '';
  try {
    assert.is(r.code, 0, r.stderr);
    assert.is(path.dirname(file), path.join(os.userInfo().homedir, 'backups'));
  } finally {
    if (file) rmSync(file, { force: true });
  }
}));

test.run();
