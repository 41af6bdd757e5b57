/**
 * A crashed operation after its undo (issue 15, item 5): the undo closes it, recover stops
 * reporting it, and `recover --auto` never throws away work made after it without --yes.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { makeRepo, withRepo, type TestRepo } from './helpers/repo.js';
import { captureState as fullState } from './helpers/state.js';

/** The state without branch positions: --auto's own fixes (a backup of the work) add branches. */
const captureState = (dir: string) => ({ ...fullState(dir), branches: '' });

interface Finding {
  kind: string;
  meaning: string;
  fix: { command: string; auto: boolean } | null;
  discards?: string[];
}

function recover(repo: TestRepo, args: string[] = []) {
  const r = repo.cli(['recover', '--json', ...args]);
  const out = JSON.parse(r.stdout) as { findings: Finding[]; applied: Array<{ command: string }> };
  return { ...out, code: r.code, stderr: r.stderr };
}

/** A backup, work on top of it, then `rollback full` killed after writing and deleting files. */
function crashedRollback(): { repo: TestRepo; id: string } {
  const repo = makeRepo({ files: { 'README.md': 'v1\n', 'keep.txt': 'keep\n' } });
  assert.is(repo.cli(['backup', '--no-push']).code, 0);
  repo.write('README.md', 'edited before the rollback\n');
  repo.write('extra.txt', 'untracked before the rollback\n');
  const crash = repo.cli(['rollback', 'full', '--yes'], { env: { REORG_GUARD_CRASH_AT: 'rollback-full:deleted' } });
  assert.is(crash.code, -1, 'killed');
  const [op] = JSON.parse(repo.cli(['log', '--json']).stdout);
  assert.is(op.status, 'started');
  return { repo, id: op.id };
}

test('an undo closes the interrupted operation it undid: log says so, recover stops reporting it', withRepo(crashedRollback, ({ repo, id }) => {
  assert.ok(recover(repo).findings.some((f) => f.kind === 'interrupted-operation'));
  const u = repo.cli(['undo', id, '--yes', '--json']);
  assert.is(u.code, 0, u.stderr);
  const undoId = JSON.parse(u.stdout).operation;
  const ops = JSON.parse(repo.cli(['log', '--json']).stdout) as Array<{ id: string; status: string; detail?: string }>;
  const closed = ops.find((o) => o.id === id)!;
  assert.is(closed.status, 'interrupted');
  assert.is(closed.detail, `interrupted, undone by ${undoId}`);
  assert.match(repo.cli(['log']).stdout, `interrupted  (interrupted, undone by ${undoId})`);
  const r = recover(repo);
  assert.not.ok(r.findings.some((f) => f.kind === 'interrupted-operation'), r.findings.map((f) => f.kind).join(', '));
  // work made since: --auto has nothing of the old crash left to undo
  repo.write('later.txt', 'made after the undo\n');
  const before = captureState(repo.dir);
  const auto = recover(repo, ['--auto']);
  assert.not.ok(auto.applied.some((a) => a.command.includes('undo')), JSON.stringify(auto.applied));
  assert.equal(captureState(repo.dir), before);
}));

test('recover --auto does not undo a crash when that would discard later work, and names the work', withRepo(crashedRollback, ({ repo, id }) => {
  repo.write('later.txt', 'created after the crash\n');
  repo.write('README.md', 'changed after the crash\n');
  const before = captureState(repo.dir);
  const r = recover(repo);
  const f = r.findings.find((x) => x.kind === 'interrupted-operation')!;
  assert.is(f.fix!.command, `reorg-guard undo ${id} --force`, 'undo refuses to discard work since unless forced');
  assert.is(f.fix!.auto, false);
  assert.equal(f.discards!.sort(), ['"README.md" changed', '"later.txt" created']);
  assert.match(f.meaning, '"later.txt" created');
  const auto = recover(repo, ['--auto']);
  assert.not.ok(auto.applied.some((a) => a.command.includes('undo')), JSON.stringify(auto.applied));
  assert.match(auto.stderr, `Not applied without --yes: reorg-guard undo ${id} --force`);
  assert.equal(captureState(repo.dir), before, 'nothing discarded');
  // with --yes it is applied, and nothing is lost for good: the undo is undoable
  const yes = recover(repo, ['--auto', '--yes']);
  assert.ok(yes.applied.some((a) => a.command === `reorg-guard undo ${id} --force` && a.exitCode === 0), JSON.stringify(yes.applied));
  assert.not.ok(existsSync(path.join(repo.dir, 'later.txt')));
  assert.is(repo.cli(['undo', '--yes']).code, 0);
  assert.equal(captureState(repo.dir), before);
}));

test('with no work since the crash, recover --auto still finishes undoing it', withRepo(crashedRollback, ({ repo, id }) => {
  const auto = recover(repo, ['--auto']);
  assert.is(auto.applied[0]?.command, `reorg-guard undo ${id}`);
  assert.is(repo.read('README.md').toString(), 'edited before the rollback\n');
  assert.is(repo.read('extra.txt').toString(), 'untracked before the rollback\n');
  assert.not.ok(auto.findings.some((f) => f.kind === 'interrupted-operation'));
}));

test("a long plan's files are journaled beside the journal: its line stays short, recover and log still read them", withRepo(() => {
  const repo = makeRepo({ files: { 'README.md': 'v1\n' } });
  assert.is(repo.cli(['backup', '--no-push']).code, 0);
  for (let i = 0; i < 150; i++) repo.write(`new/file ${i}.txt`, `made after the backup ${i}\n`);
  const crash = repo.cli(['rollback', 'full', '--yes'], { env: { REORG_GUARD_CRASH_AT: 'rollback-full:deleted' } });
  assert.is(crash.code, -1, 'killed');
  assert.not.ok(existsSync(path.join(repo.dir, 'new')), 'the 150 files removed');
  const lines = readFileSync(path.join(repo.dir, '.git/reorg-guard/journal.jsonl'), 'utf8').trim().split('\n');
  assert.is(lines.length, 1);
  assert.ok(lines[0].length < 2000, `the journal line holds no list of files (${lines[0].length} bytes)`);
  const started = JSON.parse(lines[0]);
  const lists = JSON.parse(readFileSync(path.join(repo.dir, '.git/reorg-guard/plans', started.plan.files), 'utf8'));
  assert.is(lists.delete.length, 150);
  // log shows the whole plan
  const [op] = JSON.parse(repo.cli(['log', '--json']).stdout);
  assert.is(op.plan.delete.length, 150);
  assert.is(op.plan.delete[0], 'new/file 0.txt');
  // recover reads what the operation deleted from there: only the file made since counts as work since
  repo.write('later.txt', 'made after the crash\n');
  const f = recover(repo).findings.find((x) => x.kind === 'interrupted-operation')!;
  assert.equal(f.discards, ['"later.txt" created']);
  // undo brings the 150 files back, once told that later.txt goes
  const refused = repo.cli(['undo', started.id, '--yes']);
  assert.is(refused.code, 2);
  assert.match(refused.stderr, '1 file created or changed ("later.txt")');
  assert.is(repo.cli(['undo', started.id, '--force', '--yes']).code, 0);
  assert.is(repo.read('new/file 149.txt').toString(), 'made after the backup 149\n');
}));

test.run();
