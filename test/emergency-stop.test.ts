import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { PREFIX, BACKUP_BRANCHES, makeRepo, testEnv, withRepo, type TestRepo } from './helpers/repo.js';
import { processTable, startTime } from '../src/util/proc.js';
import { SLEEPER, alive, runRecords, runsDir, startCli, startDecoy, startSleeperRun, stopDecoy, waitFor } from './helpers/process.js';

/**
 * The supervised command: sleeps, and starts a grandchild that sleeps too; the grandchild's
 * pid goes to $PID_FILE (set for the supervised runs only, not for the decoys).
 */
function parent(ignoreTerm = false): string {
  return [
    ignoreTerm ? "process.on('SIGTERM', () => {});" : '',
    `const c = require('child_process').spawn(process.execPath, ['-e', ${JSON.stringify(SLEEPER)}], { stdio: 'ignore' });`,
    "if (process.env.PID_FILE) require('fs').writeFileSync(process.env.PID_FILE, String(c.pid));",
    SLEEPER,
  ].join('\n');
}

const stopJson = (repo: TestRepo, extra: string[] = []) => {
  const r = repo.cli(['emergency-stop', '--grace', '0.5', '--json', ...extra]);
  assert.is(r.code, 0, r.stderr);
  return JSON.parse(r.stdout);
};

test('run: backup first, no shell, the exit code of the command, the record removed', withRepo((repo) => {
  const r = repo.cli(['run', '--reason', 'step 1', '--', 'node', '-e', 'console.log(process.argv[1]); process.exit(7)', '$HOME']);
  assert.is(r.code, 7, r.stderr);
  assert.match(r.stdout, /^\$HOME$/m); // no shell expanded it
  assert.match(repo.git('for-each-ref', '--format=%(refname)', BACKUP_BRANCHES), new RegExp(PREFIX));
  assert.equal(runRecords(repo.dir), []);
  assert.is(repo.cli(['run', '--', 'no-such-command-xyz']).code, 1);
  assert.equal(runRecords(repo.dir), []);
  const bad = repo.cli(['run']);
  assert.is(bad.code, 2);
  assert.match(bad.stderr, /Nothing to run/);
}));

test('run forwards SIGINT to the command and returns 130', withRepo(async (repo) => {
  const run = await startSleeperRun(repo.dir);
  const rec = run.record;
  run.child.kill('SIGINT');
  const end = await run.exited;
  assert.is(end.code, 130, end.stdout);
  assert.not.ok(alive(rec.pid));
  assert.equal(runRecords(repo.dir), []);
}));

test('emergency-stop stops exactly the recorded groups (grandchildren too); a decoy with the same command line survives', withRepo(async (repo, defer) => {
  const decoys: ReturnType<typeof startDecoy>[] = [];
  defer(() => decoys.forEach(stopDecoy));
  const pidA = path.join(repo.base, 'a.pid');
  const pidB = path.join(repo.base, 'b.pid');
  const argvA = ['node', '-e', parent(), 'migration-step'];
  const argvB = ['node', '-e', parent(true), 'migration-step'];
  const runA = startCli(repo.dir, ['run', '--', ...argvA], { PID_FILE: pidA });
  const runB = startCli(repo.dir, ['run', '--reason', 'ignores SIGTERM', '--', ...argvB], { PID_FILE: pidB });
  decoys.push(startDecoy(argvA), startDecoy(argvB));
  await waitFor('two run records and both grandchildren', () => {
    try {
      return runRecords(repo.dir).length === 2 && Number(readFileSync(pidA, 'utf8')) > 0 && Number(readFileSync(pidB, 'utf8')) > 0;
    } catch {
      return false;
    }
  });
  const grandchildren = [pidA, pidB].map((f) => Number(readFileSync(f, 'utf8')));
  const records = runRecords(repo.dir);
  assert.equal(records.map((r) => r.pid === r.pgid), [true, true]);

  const out = stopJson(repo);
  assert.equal(out.runs.map((r: { outcome: string }) => r.outcome), ['stopped', 'stopped']);
  const byPid = new Map(out.runs.map((r: { pid: number; killed: boolean }) => [r.pid, r.killed]));
  const recB = records.find((r) => r.argv[2] === argvB[2])!;
  assert.is(byPid.get(recB.pid), true, 'the one ignoring SIGTERM got SIGKILL');

  for (const r of records) assert.not.ok(alive(r.pid));
  for (const g of grandchildren) await waitFor(`grandchild ${g} gone`, () => !alive(g), 5000);
  for (const d of decoys) assert.ok(alive(d.pid!), 'the decoy must survive');
  assert.is((await runA.exited).code, 143);
  assert.is((await runB.exited).code, 137);
  assert.equal(runRecords(repo.dir), []);
  assert.ok(repo.git('rev-parse', out.safetyRef));
}));

test('an orphaned run (its supervisor was killed) is stopped too, even when nobody reaps it', withRepo(async (repo) => {
  const run = await startSleeperRun(repo.dir);
  const rec = run.record;
  run.child.kill('SIGKILL');
  await run.exited;
  assert.ok(alive(rec.pid), 'the command outlives its supervisor');
  const out = stopJson(repo);
  assert.equal(out.runs.map((r: { outcome: string; killed: boolean }) => [r.outcome, r.killed]), [['stopped', false]]);
  assert.not.ok(alive(rec.pid));
  assert.equal(runRecords(repo.dir), []);
}));

test('a stale record (live pid, other start time) is never signalled, and is cleared; a damaged one is ignored', withRepo(async (repo, defer) => {
  const decoy = startDecoy(['node', '-e', SLEEPER]);
  defer(() => stopDecoy(decoy));
  await waitFor('the decoy', () => alive(decoy.pid!));
  mkdirSync(runsDir(repo.dir), { recursive: true });
  const record = {
    id: '20250101_000000-1', pid: decoy.pid, pgid: decoy.pid, startTime: '1', argv: ['node', '-e', SLEEPER], reason: null,
    cwd: repo.dir, startedAt: '2025-01-01T00:00:00.000Z', backup: `${PREFIX}20250101_000000`, supervisor: { pid: 1, startTime: '1' },
  };
  writeFileSync(path.join(runsDir(repo.dir), `${record.id}.json`), JSON.stringify(record));
  // a damaged record: the right start time, but a group that is not the pid's own
  const damaged = { ...record, id: '20250101_000000-2', startTime: startTime(decoy.pid!), pgid: decoy.pid! + 100000 };
  writeFileSync(path.join(runsDir(repo.dir), `${damaged.id}.json`), JSON.stringify(damaged));
  const rec = JSON.parse(repo.cli(['recover', '--json']).stdout);
  const gone = rec.findings.find((f: { kind: string }) => f.kind === 'run-gone');
  assert.ok(gone, 'recover reports the run as gone');
  assert.match(gone.title, /belongs to another process/);
  const out = stopJson(repo);
  assert.equal(out.runs.map((r: { outcome: string }) => r.outcome), ['pid-reused']);
  assert.ok(alive(decoy.pid!), 'the process now holding the pid was not signalled');
  assert.equal(runRecords(repo.dir).map((r) => r.id), [damaged.id], 'the stale record is cleared, the damaged one left as it was');
}));

test('nothing recorded: says so, still snapshots and journals, exit 0', withRepo((repo) => {
  repo.write('wip.txt', 'work in progress\n');
  const r = repo.cli(['emergency-stop']);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /No supervised run is recorded/);
  const ref = /saved in (refs\/reorg-guard\/safety\/\S+)\./.exec(r.stdout)![1];
  assert.is(repo.git('show', `${ref}:wip.txt`), 'work in progress');
  assert.match(r.stdout, /reorg-guard recover/);
  const journal = readFileSync(path.join(repo.dir, '.git/reorg-guard/journal.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(journal.map((e) => `${e.op}:${e.status}`), ['emergency-stop:started', 'emergency-stop:done']);
  assert.is(repo.git('status', '--porcelain'), '?? wip.txt', 'without --stash the tree is untouched');
  assert.is(repo.cli(['emergency-stop', '--grace', 'soon']).code, 2);
}));

test('--stash moves uncommitted work out; the safety snapshot holds every file byte for byte', withRepo({ files: { 'README.md': '# test\n', 'src/a.txt': 'one\n', '.gitignore': 'ignored.log\n' } }, (repo) => {
  const files: Record<string, Buffer> = {
    'src/a.txt': Buffer.from('one, edited\n'),
    'staged new.txt': Buffer.from('staged\n'),
    'dir/ünïcödé file.bin': Buffer.from([0, 1, 2, 255, 10, 13]),
    'notes.md': Buffer.from('untracked notes\n'),
  };
  for (const [p, c] of Object.entries(files)) repo.write(p, c);
  repo.git('add', 'staged new.txt');
  repo.write('ignored.log', 'ignored\n');
  const before = repo.git('status', '--porcelain');

  const refused = repo.cli(['emergency-stop', '--stash']);
  assert.is(refused.code, 2);
  assert.match(refused.stderr, /--yes/);
  assert.is(repo.git('status', '--porcelain'), before, 'refused: nothing changed');

  const out = stopJson(repo, ['--stash', '--yes']);
  assert.is(out.stashed, true);
  assert.is(repo.git('status', '--porcelain'), '', 'the tree is back at HEAD');
  assert.is(repo.read('src/a.txt').toString(), 'one\n');
  assert.is(repo.read('ignored.log').toString(), 'ignored\n', 'ignored files are not ours to move');
  for (const [p, c] of Object.entries(files)) {
    assert.ok(readBlob(repo, `${out.safetyRef}:${p}`).equals(c), p);
  }
  // the index as it was (staged new file) is the snapshot's second parent
  assert.ok(readBlob(repo, `${out.safetyRef}^2:staged new.txt`).equals(files['staged new.txt']));
  const rec = JSON.parse(repo.cli(['recover', '--json']).stdout);
  const stashed = rec.findings.find((f: { kind: string }) => f.kind === 'stashed-work');
  assert.is(stashed.fix.command, `reorg-guard undo ${out.operation}`);
}));

function readBlob(repo: TestRepo, spec: string): Buffer {
  return execFileSync('git', ['cat-file', 'blob', spec], { cwd: repo.dir, env: testEnv() });
}

/** The test's own processes around a run: children of a pid, members of a group (read from /proc). */
const childrenOf = (pid: number) => [...processTable().values()].filter((p) => p.ppid === pid).map((p) => p.pid);
const groupOf = (pgid: number) => [...processTable().values()].filter((p) => p.pgid === pgid).map((p) => p.pid);
const killAll = (pids: number[]) => {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone, as it should be
    }
  }
};

test("the whole tree: a child in a session of its own (setsid) is stopped too, and counted", withRepo(async (repo, defer) => {
  let tree: number[] = [];
  defer(() => killAll(tree));
  const run = startCli(repo.dir, ['run', '--', 'sh', '-c', 'sleep 700 & setsid sleep 701 & exec sleep 703']);
  await waitFor('the run record', () => runRecords(repo.dir).length === 1);
  const rec = runRecords(repo.dir)[0];
  await waitFor('both children', () => childrenOf(rec.pid).length === 2);
  tree = [rec.pid, ...childrenOf(rec.pid)];
  const ownSession = tree.filter((pid) => !groupOf(rec.pgid).includes(pid));
  assert.is(ownSession.length, 1, 'setsid put one child outside the recorded group');

  const out = stopJson(repo);
  assert.equal(out.runs.map((r: { outcome: string; processes: number; survivors: unknown[] }) => [r.outcome, r.processes, r.survivors]), [['stopped', 3, []]]);
  for (const pid of tree) await waitFor(`pid ${pid} gone`, () => !alive(pid), 5000);
  await run.exited;
  assert.equal(runRecords(repo.dir), []);
}));

/**
 * `reorg-guard run -- sh -c SCRIPT`, then the supervisor and the command itself (the group's
 * leader) killed, leaving what the script started behind: `left` picks those from the leader's
 * children once `ready` holds. Checks that recover sees the run as running (so --auto does not
 * stop it unasked), that emergency-stop stops `processes` processes, and that none is left.
 */
async function stopLeftBehind(script: string, ready: (rec: RunRecord) => boolean, left: (rec: RunRecord) => number[], processes: number): Promise<void> {
  const repo = makeRepo();
  let behind: number[] = [];
  try {
    const run = startCli(repo.dir, ['run', '--', 'sh', '-c', script]);
    await waitFor('the run record', () => runRecords(repo.dir).length === 1);
    const rec = runRecords(repo.dir)[0];
    await waitFor('its processes', () => ready(rec));
    behind = left(rec);
    run.child.kill('SIGKILL');
    await run.exited;
    process.kill(rec.pid, 'SIGKILL');
    await waitFor('the leader gone', () => !alive(rec.pid), 5000);
    for (const pid of behind) assert.ok(alive(pid), 'what it started lives on');
    const diag = JSON.parse(repo.cli(['recover', '--json']).stdout);
    assert.ok(diag.findings.some((f: { kind: string }) => f.kind === 'run-running'), 'recover sees it running');

    const out = stopJson(repo);
    assert.equal(out.runs.map((r: { outcome: string; processes: number }) => [r.outcome, r.processes]), [['stopped', processes]]);
    for (const pid of behind) await waitFor(`pid ${pid} gone`, () => !alive(pid), 5000);
    assert.equal(runRecords(repo.dir), []);
  } finally {
    killAll(behind);
    repo.cleanup();
  }
}

type RunRecord = ReturnType<typeof runRecords>[number];

test('supervisor and leader dead, group members alive: they are stopped, not reported gone', () =>
  stopLeftBehind(
    'sleep 710 & sleep 711 & exec sleep 713',
    (rec) => groupOf(rec.pgid).length === 3,
    (rec) => groupOf(rec.pgid).filter((pid) => pid !== rec.pid),
    2,
  ));

test("leader and supervisor dead, a child in its own session orphaned: found by the run's mark and stopped", () =>
  stopLeftBehind('setsid sleep 721 & exec sleep 723', (rec) => childrenOf(rec.pid).length === 1, (rec) => childrenOf(rec.pid), 1));

test.run();
