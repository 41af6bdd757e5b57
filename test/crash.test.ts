/**
 * Crash safety, proven: every destructive command is run once to list its crash points
 * (REORG_GUARD_CRASH_STEPS), then killed (SIGKILL) at each one in turn. After every crash,
 * `undo` of the crashed operation (or nothing, when it died before journaling) must bring the
 * exact pre-state back: HEAD, branches, index and every file's bytes.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { captureState, makeGcommonRepo, type GcommonRepo } from './helpers/state.js';
import { tmpDir, withRepo } from './helpers/repo.js';

const journal = (repo: GcommonRepo) => path.join(repo.dir, '.git/reorg-guard/journal.jsonl');
const opCount = (repo: GcommonRepo) =>
  existsSync(journal(repo)) ? readFileSync(journal(repo), 'utf8').split('\n').filter((l) => l.includes('"started"')).length : 0;

/** The steps a command passes, from a run that does not crash (then undone). */
function stepsOf(repo: GcommonRepo, args: string[]): string[] {
  const file = path.join(tmpDir('rg-steps-'), 'steps');
  try {
    const r = repo.cli(args, { env: { REORG_GUARD_CRASH_STEPS: file } });
    assert.is(r.code, 0, r.stderr);
    return readFileSync(file, 'utf8').split('\n').filter(Boolean);
  } finally {
    rmSync(path.dirname(file), { recursive: true, force: true });
  }
}

function crashEverywhere(repo: GcommonRepo, args: string[], op: string): number {
  const pre = captureState(repo.dir);
  const steps = stepsOf(repo, args);
  assert.ok(steps.length >= 4, `${op}: ${steps.join(', ')}`);
  assert.ok(steps.every((s) => s.startsWith(`${op}:`)), steps.join(', '));
  assert.is(repo.cli(['undo', '--yes']).code, 0);
  assert.equal(captureState(repo.dir), pre, `${op}: undo after a full run`);
  for (const step of steps) {
    const ops = opCount(repo);
    const r = repo.cli(args, { env: { REORG_GUARD_CRASH_AT: step } });
    assert.is(r.code, -1, `${step} did not crash: ${r.stderr}`);
    if (opCount(repo) > ops) {
      const u = repo.cli(['undo', '--yes']);
      assert.is(u.code, 0, `${step}: ${u.stderr}`);
    }
    assert.equal(captureState(repo.dir), pre, `state after a crash at ${step}`);
  }
  return steps.length;
}

/** A migrated repository with staged, unstaged, untracked and ignored work in it. */
function migrated(): GcommonRepo {
  const repo = makeGcommonRepo(0.01);
  repo.write('pkg/queue/proto/NOTES.md', 'untracked\n');
  repo.cli(['backup']);
  repo.reorganize();
  repo.git('add', 'proto');
  repo.write('.env', 'ignored\n');
  repo.write('README.md', 'unstaged edit\n');
  return repo;
}

test('kill -9 at every step of every rollback: undo brings the exact pre-state back', withRepo(migrated, (repo) => {
  let n = 0;
  n += crashEverywhere(repo, ['rollback', 'quick', '--yes'], 'rollback-quick');
  n += crashEverywhere(repo, ['rollback', 'full', '--yes'], 'rollback-full');
  n += crashEverywhere(repo, ['rollback', 'selective', '--domain', 'common', '--yes'], 'rollback-selective');
  assert.ok(n >= 15, `${n} crash points`);
}));

test('kill -9 at every step of undo itself: the next undo brings the state before it back', withRepo(migrated, (repo) => {
  const full = JSON.parse(repo.cli(['rollback', 'full', '--yes', '--json']).stdout).operation;
  crashEverywhere(repo, ['undo', full, '--yes'], 'undo');
}));

test('a rerun after a crash finishes the job: rollback quick killed half-way, run again', withRepo(migrated, (repo) => {
  assert.is(repo.cli(['rollback', 'quick', '--yes']).code, 0);
  const done = captureState(repo.dir);
  assert.is(repo.cli(['undo', '--yes']).code, 0);
  for (const step of ['rollback-quick:written']) {
    assert.is(repo.cli(['rollback', 'quick', '--yes'], { env: { REORG_GUARD_CRASH_AT: step } }).code, -1);
    const crashed = JSON.parse(repo.cli(['log', '--json']).stdout)[0];
    assert.is(crashed.status, 'started');
    const again = repo.cli(['rollback', 'quick', '--yes']);
    assert.is(again.code, 0, again.stderr);
    assert.match(again.stderr, 'never finished');
    assert.equal(captureState(repo.dir), done, step);
    assert.is(repo.cli(['undo', crashed.id, '--yes']).code, 0); // back to before the crashed run
  }
}));

test.run();
