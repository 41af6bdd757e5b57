/**
 * One changing operation at a time: a second one refuses while the first runs, a lock left by
 * a killed process is taken over, and a plan made before another operation ran is refused.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { makeRepo, withRepo, type TestRepo } from './helpers/repo.js';
import { SLEEPER, alive, startSleeperRun, waitFor } from './helpers/process.js';
import { startTime } from '../src/util/proc.js';
import { startInTerminal } from './helpers/terminal.js';

const lockFile = (repo: TestRepo) => path.join(repo.dir, '.git/reorg-guard/operation.lock');

/** A repository with a backup, then a changed file that `rollback full` would put back. */
function changedSinceBackup(): TestRepo {
  const repo = makeRepo({ files: { 'proto/a.proto': 'syntax = "proto3";\n' } });
  assert.is(repo.cli(['backup', '--no-push']).code, 0);
  repo.write('proto/a.proto', 'changed\n');
  return repo;
}

test('while another process holds the lock, a rollback refuses (exit 2) and changes nothing; once it is gone, it runs', withRepo(changedSinceBackup, async (repo, defer) => {
  const holder = spawn(process.execPath, ['-e', SLEEPER], { stdio: 'ignore' });
  defer(() => holder.kill('SIGKILL'));
  await waitFor('the holder to start', () => startTime(holder.pid!) !== null);
  const since = new Date().toISOString();
  mkdirSync(path.dirname(lockFile(repo)), { recursive: true });
  writeFileSync(lockFile(repo), JSON.stringify({ pid: holder.pid, start: startTime(holder.pid!), op: 'rollback-full', since }) + '\n');
  const refsBefore = repo.git('for-each-ref');
  const refused = repo.cli(['rollback', 'full', '--yes']);
  assert.is(refused.code, 2, refused.stderr);
  assert.match(refused.stderr, new RegExp(`Another reorg-guard operation \\(rollback-full, pid ${holder.pid}, since .*\\) is changing this repository`));
  assert.is(refused.stderr.trim().split('\n').length, 1, 'one line');
  assert.is(readFileSync(path.join(repo.dir, 'proto/a.proto'), 'utf8'), 'changed\n');
  assert.is(repo.git('for-each-ref'), refsBefore, 'no safety snapshot, no ref changed');

  holder.kill('SIGKILL');
  await waitFor('the holder to end', () => startTime(holder.pid!) === null);
  const ran = repo.cli(['rollback', 'full', '--yes']);
  assert.is(ran.code, 0, ran.stderr);
  assert.is(readFileSync(path.join(repo.dir, 'proto/a.proto'), 'utf8'), 'syntax = "proto3";\n');
  assert.not.ok(existsSync(lockFile(repo)), 'the lock is gone after the operation');
}));

test('emergency-stop stops the runs even while another operation holds the lock, and says the snapshot was not taken', withRepo(changedSinceBackup, async (repo, defer) => {
  const holder = spawn(process.execPath, ['-e', SLEEPER], { stdio: 'ignore' });
  defer(() => holder.kill('SIGKILL'));
  await waitFor('the holder to start', () => startTime(holder.pid!) !== null);
  const run = await startSleeperRun(repo.dir);
  writeFileSync(lockFile(repo), JSON.stringify({ pid: holder.pid, start: startTime(holder.pid!), op: 'cleanup', since: new Date().toISOString() }) + '\n');
  const stop = repo.cli(['emergency-stop', '--grace', '1']);
  assert.is(stop.code, 1, stop.stderr);
  await waitFor('the run to end', () => !alive(run.record.pid));
  assert.match(stop.stderr, /processes are stopped, but no safety snapshot was taken: Another reorg-guard operation \(cleanup/);
}));

test('a process killed in the middle leaves its lock; the next operation takes it over', withRepo(changedSinceBackup, (repo) => {
  const crashed = repo.cli(['rollback', 'full', '--yes'], { env: { REORG_GUARD_CRASH_AT: 'rollback-full:journaled' } });
  assert.is(crashed.code, -1);
  assert.ok(existsSync(lockFile(repo)), 'kill -9 left the lock behind');
  const undo = repo.cli(['undo', '--yes']);
  assert.is(undo.code, 0, undo.stderr);
  assert.is(readFileSync(path.join(repo.dir, 'proto/a.proto'), 'utf8'), 'changed\n');
  assert.not.ok(existsSync(lockFile(repo)));
}));

test('a plan made before another operation ran is refused when confirmed, with nothing changed', withRepo(changedSinceBackup, async (repo) => {
  // rollback full waits at its prompt on a terminal (script(1))...
  const child = startInTerminal(repo, ['rollback', 'full']);
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await waitFor('the prompt', () => /\[y\/N\]/.test(out));
  // ...while another rollback runs to the end
  repo.write('proto/b.proto', 'new\n');
  const other = repo.cli(['rollback', 'full', '--yes']);
  assert.is(other.code, 0, other.stderr);
  const after = repo.git('for-each-ref');
  repo.write('proto/a.proto', 'changed again\n');
  child.stdin.write('y\n');
  assert.is(await exited, 2, out);
  assert.match(out, /changed this repository after this command made its plan: run the command again/);
  assert.is(readFileSync(path.join(repo.dir, 'proto/a.proto'), 'utf8'), 'changed again\n', 'the stale plan was not applied');
  assert.is(repo.git('for-each-ref'), after);
}));

test.run();
