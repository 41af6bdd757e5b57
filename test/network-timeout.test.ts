/**
 * A remote that never answers (issue 15, item 3): every network step has a timeout, the git
 * process tree behind it is stopped whole, and a backup is recorded as unpushed before its push.
 * The remote is an `ext::` command that writes its pid and sleeps: a transport that accepts and
 * never speaks, as a hung ssh or proxy would.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { BACKUP_BRANCHES, CLI, testEnv, withRepo, type RunResult, type TestRepo } from './helpers/repo.js';
import { alive, waitFor } from './helpers/process.js';

/** The CLI, with a limit far above the network timeout: a hang fails the test instead of blocking the suite. */
function run(repo: TestRepo, args: string[], env: Record<string, string> = {}): RunResult & { ms: number } {
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: repo.dir, env: testEnv(env), encoding: 'utf8', input: '', timeout: 40_000, killSignal: 'SIGKILL' });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr, ms: Date.now() - t0 };
}

/** Points origin at a transport that never answers; returns the file its processes write their pids to. */
function hangingOrigin(repo: TestRepo): string {
  const pids = path.join(repo.base, 'transport.pids');
  repo.git('config', 'protocol.ext.allow', 'always');
  // ext:: splits on spaces ('% ' is a space inside an argument): sh -c 'echo $$ >>pids; exec sleep 300'
  repo.git('remote', 'set-url', 'origin', `ext::sh -c echo% $$% >>${pids};% exec% sleep% 300`);
  return pids;
}

const transportPids = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).map(Number) : []);

/** Ends the test's own sleepers, by the pids they wrote, if a failure left any. */
function killLeft(file: string): void {
  for (const pid of transportPids(file)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone, as it should be
    }
  }
}

const FAST = { REORG_GUARD_NETWORK_TIMEOUT: '1' };

test('backup against a remote that never answers: stopped after networkTimeout, warned, recorded as unpushed, nothing left running', withRepo(async (repo, defer) => {
  const pids = hangingOrigin(repo);
  defer(() => killLeft(pids));
  const r = run(repo, ['backup', '--json'], FAST);
  assert.is(r.code, 0, r.stderr);
  assert.ok(r.ms < 20_000, `took ${r.ms} ms`);
  const out = JSON.parse(r.stdout);
  assert.is(out.pushed, false);
  assert.match(r.stderr, 'no sign of life from the remote for 1 s');
  assert.match(r.stderr, 'recorded as unpushed');
  assert.is(repo.git('rev-parse', `refs/reorg-guard/unpushed/${out.branch}`), repo.git('rev-parse', 'HEAD'));
  assert.ok(transportPids(pids).length > 0, 'the transport did start');
  await waitFor('the transport to be stopped', () => transportPids(pids).every((p) => !alive(p)), 5000);
}));

test('rollback full --dry-run, verify backups and cleanup --dry-run each end with the timeout as their remote problem', withRepo(async (repo) => {
  for (let i = 0; i < 3; i++) assert.is(repo.cli(['backup', '--no-push']).code, 0);
  const pids = hangingOrigin(repo);
  try {
    const full = run(repo, ['rollback', 'full', '--dry-run'], FAST);
    assert.is(full.code, 0, full.stderr);
    assert.match(full.stderr, /Could not fetch backup branches from origin \(no sign of life from the remote for 1 s, git fetch stopped/);

    const verify = run(repo, ['verify', 'backups'], FAST);
    assert.is(verify.code, 1, verify.stdout + verify.stderr);
    assert.match(verify.stdout + verify.stderr, 'no sign of life from the remote for 1 s, git ls-remote stopped');

    const clean = run(repo, ['cleanup', '--keep-branches', '1', '--dry-run'], FAST);
    assert.is(clean.code, 0, clean.stderr);
    assert.match(clean.stdout + clean.stderr, 'no sign of life from the remote for 1 s, git ls-remote stopped');
    for (const r of [full, verify, clean]) assert.ok(r.ms < 20_000, `took ${r.ms} ms`);
    assert.ok(transportPids(pids).length >= 3, 'each reached the transport');
    await waitFor('every transport to be stopped', () => transportPids(pids).every((p) => !alive(p)), 5000);
  } finally {
    killLeft(pids);
  }
}));

test('networkTimeout from the config file; a bad value in the environment is refused (exit 2)', withRepo((repo, defer) => {
  const pids = hangingOrigin(repo);
  defer(() => killLeft(pids));
  const cfg = JSON.parse(repo.read('reorg-guard.config.json').toString());
  repo.write('reorg-guard.config.json', JSON.stringify({ ...cfg, networkTimeout: 1 }));
  const r = run(repo, ['backup']);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stderr, 'no sign of life from the remote for 1 s');

  const bad = run(repo, ['backup'], { REORG_GUARD_NETWORK_TIMEOUT: 'soon' });
  assert.is(bad.code, 2);
  assert.match(bad.stderr, 'REORG_GUARD_NETWORK_TIMEOUT');
  assert.is(bad.stderr.trim().split('\n').length, 1);
  repo.write('reorg-guard.config.json', JSON.stringify({ ...cfg, networkTimeout: 0 }));
  const zero = run(repo, ['list']);
  assert.is(zero.code, 2);
  assert.match(zero.stderr, 'networkTimeout');
}));

test('a backup killed while pushing is recorded as unpushed, and reorg-guard push sends it later', withRepo(async (repo, defer) => {
  const origin = repo.origin;
  const pids = hangingOrigin(repo);
  defer(() => killLeft(pids));
  const child = spawn(process.execPath, [CLI, 'backup'], { cwd: repo.dir, env: testEnv({ REORG_GUARD_NETWORK_TIMEOUT: '300' }), stdio: 'ignore' });
  await waitFor('the push to reach the transport', () => transportPids(pids).length > 0, 20_000);
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  const branch = repo.git('for-each-ref', '--format=%(refname:short)', BACKUP_BRANCHES);
  assert.ok(branch);
  assert.is(repo.git('for-each-ref', '--format=%(refname)', 'refs/reorg-guard/unpushed/'), `refs/reorg-guard/unpushed/${branch}`);

  killLeft(pids);
  repo.git('remote', 'set-url', 'origin', origin);
  const push = repo.cli(['push']);
  assert.is(push.code, 0, push.stderr);
  assert.is(repo.git('--git-dir', origin, 'rev-parse', `refs/heads/${branch}`), repo.git('rev-parse', 'HEAD'));
  assert.is(repo.git('for-each-ref', 'refs/reorg-guard/unpushed/'), '');
}));

test('Ctrl-C during a hanging push reaches the transport too: the command ends by it, nothing left running', withRepo(async (repo, defer) => {
  const pids = hangingOrigin(repo);
  defer(() => killLeft(pids));
  const child = spawn(process.execPath, [CLI, 'backup'], { cwd: repo.dir, env: testEnv({ REORG_GUARD_NETWORK_TIMEOUT: '300' }), stdio: 'ignore' });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.once('exit', (code, signal) => r({ code, signal })));
  await waitFor('the push to reach the transport', () => transportPids(pids).length > 0, 20_000);
  child.kill('SIGINT');
  assert.equal(await exited, { code: null, signal: 'SIGINT' });
  await waitFor('the transport to be stopped', () => transportPids(pids).every((p) => !alive(p)), 5000);
  assert.ok(repo.git('for-each-ref', 'refs/reorg-guard/unpushed/'), 'the backup stays recorded as unpushed');
}));

test('a reachable remote: the backup is pushed and leaves no unpushed record', withRepo((repo) => {
  const r = run(repo, ['backup', '--json'], FAST);
  assert.is(r.code, 0, r.stderr);
  const { branch, pushed } = JSON.parse(r.stdout);
  assert.is(pushed, true);
  assert.is(repo.git('--git-dir', repo.origin, 'rev-parse', `refs/heads/${branch}`), repo.git('rev-parse', 'HEAD'));
  assert.is(repo.git('for-each-ref', 'refs/reorg-guard/unpushed/'), '');
}));

test.run();
