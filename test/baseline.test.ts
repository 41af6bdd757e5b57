/**
 * The automatic path (issue 10): a migration committed step by step through the installed
 * hooks, with no manual backup, then verify and rollback with their defaults. Real hooks, real
 * commits, a bare origin; what is checked is what a user checks: refs, bytes, exit codes, lines.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { cli, git, makeRepo, tmpDir, withRepo, type TestRepo } from './helpers/repo.js';
import { backupBranches, gitRun } from './helpers/hooks.js';
import { captureState } from './helpers/state.js';
import { namesRoot } from '../src/rollback/baseline.js';

const AUTH = `syntax = "proto3";
package gcommon.v1.auth;
message User { string id = 1; }
message Session { string token = 1; }
`;
const QUEUE = `syntax = "proto3";
package gcommon.v1.queue;
message Job { string id = 1; }
enum JobState { JOB_STATE_UNSPECIFIED = 0; }
`;
const FILES = {
  'README.md': '# team\n',
  'buf.yaml': 'version: v1\n',
  'buf.gen.yaml': 'version: v1\nplugins: []\n',
  'pkg/auth/proto/user.proto': AUTH,
  'pkg/auth/proto/user.pb.go': '// generated: user\n',
  'pkg/queue/proto/job.proto': QUEUE,
  'pkg/queue/proto/job.pb.go': '// generated: job\n',
};

/** A repository with the old layout, committed and pushed, and the hooks installed. */
function setup(): TestRepo {
  const repo = makeRepo({ files: FILES });
  const r = repo.cli(['init']);
  assert.is(r.code, 0, r.stderr);
  return repo;
}

/** `git commit` with its hooks; fails the test when the commit fails. */
function commitAll(repo: TestRepo, message: string): void {
  repo.git('add', '-A');
  const r = gitRun(repo, ['commit', '-q', '-m', message]);
  assert.is(r.code, 0, r.stdout + r.stderr);
}

/** The migration, in three guarded commits: the copy loses `Session`, the move loses `JobState`. */
const STEPS: Array<[string, (repo: TestRepo) => void]> = [
  ['copy protos to proto/gcommon/v1', (repo) => {
    repo.write('proto/gcommon/v1/auth/user.proto', AUTH.replace(/message Session.*\n/, ''));
    repo.write('proto/gcommon/v1/queue/job.proto', QUEUE);
  }],
  ['remove the old layout', (repo) => {
    for (const f of ['pkg/auth/proto/user.proto', 'pkg/queue/proto/job.proto', 'pkg/auth/proto/user.pb.go', 'pkg/queue/proto/job.pb.go']) rmSync(path.join(repo.dir, f));
    repo.write('proto/gcommon/v1/queue/job.proto', QUEUE.replace(/enum JobState.*\n/, ''));
  }],
  ['regenerate', (repo) => {
    repo.write('buf.yaml', 'version: v2\nmodules:\n  - path: proto\n');
    repo.write('pkg/gcommon/v1/auth/user.pb.go', '// generated: user, new\n');
    repo.write('pkg/gcommon/v1/queue/job.pb.go', '// generated: job, new\n');
  }],
];

function migrate(repo: TestRepo, between: (step: number) => void = () => {}): string[] {
  const commits: string[] = [];
  STEPS.forEach(([message, step], i) => {
    between(i);
    step(repo);
    commitAll(repo, message);
    commits.push(repo.git('rev-parse', 'HEAD'));
  });
  return commits;
}

const json = (r: { stdout: string; stderr: string; code: number }) => {
  try {
    return JSON.parse(r.stdout);
  } catch {
    throw new Error(`not JSON (exit ${r.code}): ${r.stdout}${r.stderr}`);
  }
};

const lostOf = (out: { lost: Array<{ kind: string; name: string }> }) => out.lost.map((d) => `${d.kind} ${d.name}`).sort();

/** rollback full, then verify rollback, then undo: each as the issue asks. */
function rollbackAndUndo(repo: TestRepo, before: ReturnType<typeof captureState>, expectedBackup: string): void {
  const last = captureState(repo.dir);
  const r = repo.cli(['rollback', 'full', '--yes', '--json']);
  assert.is(r.code, 0, r.stderr);
  const out = json(r);
  assert.is(out.backup.name, expectedBackup);
  const now = captureState(repo.dir);
  assert.is(now.head, 'refs/heads/main');
  assert.is(repo.git('rev-parse', 'main'), before.branches.match(/refs\/heads\/main (\w+)/)![1], 'main is back before the first commit');
  assert.is(now.index, before.index, 'index byte for byte');
  assert.equal(now.files, before.files, 'work tree byte for byte');

  const v = repo.cli(['verify', 'rollback', '--json']);
  assert.is(v.code, 0, v.stdout + v.stderr);
  assert.is(json(v).backup.name, expectedBackup);
  assert.is(json(v).backup.choice, 'rolled-back-to');

  const u = repo.cli(['undo', '--yes']);
  assert.is(u.code, 0, u.stderr);
  const back = captureState(repo.dir);
  assert.is(back.head, last.head);
  assert.is(repo.git('rev-parse', 'main'), last.branches.match(/refs\/heads\/main (\w+)/)![1], 'undo brings the last commit back');
  assert.is(back.index, last.index);
  assert.equal(back.files, last.files);
}

test('cleanup keeps the baseline: after it, rollback full still goes to before the first commit', withRepo(setup, (repo) => {
  const start = repo.git('rev-parse', 'HEAD');
  migrate(repo);
  const names = backupBranches(repo);
  assert.is(names.length, 3);
  const dry = repo.cli(['cleanup', '--keep-branches', '1', '--dry-run']);
  assert.match(dry.stdout, new RegExp(`keep +${names[0]} .*this branch's baseline`));
  const c = repo.cli(['cleanup', '--keep-branches', '1', '--yes']);
  assert.is(c.code, 0, c.stdout + c.stderr);
  assert.equal(backupBranches(repo), [names[0], names[2]], 'the baseline and the newest stay, the one between goes');
  const plan = json(repo.cli(['rollback', 'full', '--dry-run', '--json']));
  assert.equal([plan.backup.name, plan.backup.choice], [names[0], 'before-migration']);
  assert.is(repo.git('rev-parse', names[0]), start);
}));

test('hooks alone, no manual backup: verify and rollback full use the state before the first commit', withRepo(setup, (repo) => {
  const start = repo.git('rev-parse', 'HEAD');
  const before = captureState(repo.dir);
  const commits = migrate(repo);
  // each guarded commit backed up the state before it: its parent
  const names = backupBranches(repo);
  assert.equal(names.map((n) => repo.git('rev-parse', n)), [start, commits[0], commits[1]]);
  assert.match(repo.git('log', '-1', '--format=%B', `refs/reorg-guard/records/${names[0]}`), 'reorg-guard-branch: refs/heads/main');

  const m = repo.cli(['verify', 'migration']);
  assert.is(m.code, 1, m.stdout + m.stderr);
  assert.match(m.stdout, `Using ${names[0]}`);
  assert.match(m.stdout, 'the last state before proto/gcommon/v1/ appeared');
  const mj = json(repo.cli(['verify', 'migration', '--json']));
  assert.equal(lostOf(mj), ['enum JobState', 'message Session'], 'what the first commit lost, and what a later one lost');
  assert.equal([mj.backup.name, mj.backup.choice], [names[0], 'before-migration']);

  // list shows what took each backup and marks the baseline
  const l = repo.cli(['list']);
  assert.is(l.code, 0, l.stderr);
  assert.match(l.stdout, new RegExp(`${names[0]}.*<- baseline`));
  assert.not.match(l.stdout, new RegExp(`${names[2]}.*<- baseline`));
  assert.match(l.stdout, 'post-commit: ');
  const lj = json(repo.cli(['list', '--json']));
  assert.is(lj.baseline.name, names[0]);
  assert.equal(lj.branches.map((b: { record: { trigger: string } }) => b.record.trigger), ['post-commit', 'post-commit', 'post-commit']);

  // recover's findings compare with the baseline too (the newest backup has no old layout left)
  const rec = json(repo.cli(['recover', '--json']));
  const lost = rec.findings.find((f: { kind: string }) => f.kind === 'migration-loses-declarations');
  assert.ok(lost, JSON.stringify(rec.findings.map((f: { kind: string }) => f.kind)));
  assert.match(lost.meaning, 'Session');
  assert.match(lost.meaning, 'JobState');

  rollbackAndUndo(repo, before, names[0]);
}));

test('the migration committed with the hooks off: the commit before it is the baseline, newer than any backup from before', withRepo(setup, (repo) => {
  const start = repo.git('rev-parse', 'HEAD');
  const before = captureState(repo.dir);
  STEPS[0][1](repo);
  repo.git('add', '-A');
  repo.git('-c', 'core.hooksPath=/dev/null', 'commit', '-q', '-m', 'copied with the hooks off');
  const b = json(repo.cli(['backup', '--no-push', '--json'])).branch;
  const r = repo.cli(['verify', 'migration', '--json']);
  assert.equal([json(r).backup.name, json(r).backup.commit, json(r).backup.choice], [start.slice(0, 12), start, 'commit-before-migration']);
  assert.is(r.stderr, '', 'no warning: a state from before the migration was found');
  assert.match(repo.cli(['verify', 'migration']).stdout, "this branch's last commit before proto/gcommon/v1/ appeared, which no backup holds");
  assert.match(repo.cli(['list']).stdout, `Baseline: commit ${start.slice(0, 12)}`);
  assert.equal(backupBranches(repo), [b]);
  const full = json(repo.cli(['rollback', 'full', '--yes', '--json']));
  assert.is(full.backup.commit, start);
  assert.is(repo.git('rev-parse', 'HEAD'), start);
  assert.equal(captureState(repo.dir).files, before.files, 'the work tree of the commit before, byte for byte');
}));

test('the migration merged in from a branch: the baseline is main before the merge, and rollback full keeps main\'s own commits', withRepo(setup, (repo) => {
  repo.git('checkout', '-q', '-b', 'migrate');
  // a preparing commit on the branch first: its backup (the state after it) is from before the migration too
  repo.write('pkg/queue/proto/job.proto', `${QUEUE}// prepared\n`);
  commitAll(repo, 'migrate: prepare');
  migrate(repo);
  repo.git('checkout', '-q', 'main');
  // more commits on main than the first cat-file reads of its line
  for (let i = 1; i <= 9; i++) {
    repo.write('README.md', `# team, fix ${i} on main\n`);
    commitAll(repo, `main: readme ${i}`);
  }
  const mainTip = repo.git('rev-parse', 'HEAD');
  const before = captureState(repo.dir);
  // a merge without conflicts: no commit hook runs, main's tip before it was never backed up
  const m = gitRun(repo, ['merge', '-q', '--no-edit', 'migrate']);
  assert.is(m.code, 0, m.stdout + m.stderr);
  const v = repo.cli(['verify', 'migration', '--json']);
  assert.equal([json(v).backup.commit, json(v).backup.choice], [mainTip, 'commit-before-migration']);
  assert.equal(lostOf(json(v)), ['enum JobState', 'message Session']);
  const plan = json(repo.cli(['rollback', 'full', '--dry-run', '--json']));
  assert.is(plan.backup.commit, mainTip);
  const r = repo.cli(['rollback', 'full', '--yes']);
  assert.is(r.code, 0, r.stderr);
  assert.is(repo.git('rev-parse', 'HEAD'), mainTip, "main's own commit stays on main");
  assert.equal(captureState(repo.dir).files, before.files);
}));

test('rebased onto a newer upstream mid-migration: the baseline is the upstream commit, so rollback full keeps the teammate\'s commit and verify sees what it brought', withRepo(setup, (repo) => {
  migrate(repo);
  // a teammate pushes a new proto to the old layout meanwhile
  const other = path.join(tmpDir('rg-clone-'), 'clone');
  git(repo.base, 'clone', '-q', repo.origin, other);
  writeFileSync(path.join(other, 'pkg/auth/proto/device.proto'), 'syntax = "proto3";\npackage gcommon.v1.auth;\nmessage Device { string serial = 1; }\n');
  git(other, 'add', '-A');
  git(other, '-c', 'core.hooksPath=/dev/null', 'commit', '-q', '-m', 'auth: add Device');
  // and more commits than the first cat-file reads of the line: the fork point is far below
  for (let i = 1; i <= 9; i++) {
    writeFileSync(path.join(other, 'README.md'), `# team, upstream ${i}\n`);
    git(other, '-c', 'core.hooksPath=/dev/null', 'commit', '-q', '-am', `upstream ${i}`);
  }
  git(other, 'push', '-q', 'origin', 'HEAD:main');
  const upstream = git(other, 'rev-parse', 'HEAD');
  repo.git('fetch', '-q', 'origin');
  const rb = gitRun(repo, ['rebase', '-q', 'origin/main']);
  assert.is(rb.code, 0, rb.stdout + rb.stderr);
  const v = repo.cli(['verify', 'migration', '--json']);
  assert.equal([json(v).backup.commit, json(v).backup.choice], [upstream, 'commit-before-migration']);
  // Device, left in the old layout of a domain the migration moved, is named
  assert.ok(json(v).findings.some((f: { kind: string; declaration: string }) => f.kind === 'declaration-lost-with-old-layout' && f.declaration === 'message gcommon.v1.auth.Device'), JSON.stringify(json(v).findings.map((f: { kind: string }) => f.kind)));
  const r = repo.cli(['rollback', 'full', '--yes']);
  assert.is(r.code, 0, r.stderr);
  assert.is(repo.git('rev-parse', 'HEAD'), upstream, 'main is where origin/main is, not behind it');
  assert.is(repo.read('pkg/auth/proto/device.proto').toString(), git(other, 'show', 'HEAD:pkg/auth/proto/device.proto') + '\n');
}));

test('a fresh clone of a migrated branch, without its backups: the last commit before the migration is the baseline', withRepo(setup, (repo) => {
  const start = repo.git('rev-parse', 'HEAD');
  migrate(repo);
  repo.git('push', '-q', '--no-verify', 'origin', 'main');
  const other = path.join(tmpDir('rg-clone-'), 'clone');
  git(repo.base, 'clone', '-q', repo.origin, other);
  assert.equal(git(other, 'for-each-ref', '--format=%(refname)', 'refs/remotes/origin/proto-reorg-backup-*'), '', 'no backup came along');
  const v = cli(other, ['verify', 'migration', '--json']);
  assert.is(v.code, 1, v.stderr);
  assert.equal([json(v).backup.commit, json(v).backup.choice], [start, 'commit-before-migration']);
  assert.equal(lostOf(json(v)), ['enum JobState', 'message Session']);
}));

test('a buf.yaml naming proto/ for another folder, no migration: the newest backup, the line says nothing', withRepo(setup, (repo) => {
  repo.write('buf.yaml', 'version: v2\nmodules:\n  - path: pkg\n  - path: proto\n');
  repo.write('proto/thirdparty/x.proto', 'syntax = "proto3";\npackage thirdparty;\nmessage X { string id = 1; }\n');
  repo.git('add', '-A');
  repo.git('-c', 'core.hooksPath=/dev/null', 'commit', '-q', '-m', 'third-party protos');
  const b = json(repo.cli(['backup', '--no-push', '--json'])).branch;
  const v = json(repo.cli(['verify', 'migration', '--json']));
  assert.equal([v.backup.name, v.backup.choice], [b, 'before-migration']);
}));

test('no state from before the migration (both layouts from the first commit): the newest backup, with a one-line warning', withRepo(() => {
  const repo = makeRepo({ files: { ...FILES, 'proto/gcommon/v1/auth/user.proto': AUTH } });
  assert.is(repo.cli(['init']).code, 0);
  return repo;
}, (repo) => {
  const b = json(repo.cli(['backup', '--no-push', '--json'])).branch;
  const r = repo.cli(['verify', 'migration', '--json']);
  assert.equal([json(r).backup.name, json(r).backup.choice], [b, 'newest']);
  assert.is(r.stderr.trim().split('\n').length, 1, r.stderr);
  assert.match(r.stderr, 'No backup of this branch is from before proto/gcommon/v1/ appeared');
  // a trigger is a short name: anything else is refused, nothing made
  const bad = repo.cli(['backup', '--trigger', 'two words']);
  assert.is(bad.code, 2);
  assert.equal(backupBranches(repo), [b]);
}));

test('a manual backup before the first commit is the baseline; one taken mid-way is not', withRepo(setup, (repo) => {
  const before = captureState(repo.dir);
  const manual = json(repo.cli(['backup', '--reason', 'before the proto move', '--json']));
  assert.equal([manual.trigger, manual.reason, manual.takenOn], ['backup', 'before the proto move', 'refs/heads/main']);
  let midway = '';
  migrate(repo, (step) => {
    if (step === 2) midway = json(repo.cli(['backup', '--reason', 'mid-way', '--json'])).branch;
  });
  // the manual backup held HEAD as it was: the first commit's hook made no second one
  assert.is(backupBranches(repo).filter((n) => repo.git('rev-parse', n) === repo.git('rev-parse', manual.branch)).length, 1);
  const m = json(repo.cli(['verify', 'migration', '--json']));
  assert.equal([m.backup.name, m.backup.trigger, m.backup.reason], [manual.branch, 'backup', 'before the proto move']);
  assert.equal(lostOf(m), ['enum JobState', 'message Session']);
  assert.ok(midway && midway !== manual.branch);
  rollbackAndUndo(repo, before, manual.branch);
}));

test('a pinned baseline wins over detection; --to and --against take backups and commits, unknown: exit 2', withRepo(setup, (repo) => {
  const start = repo.git('rev-parse', 'HEAD');
  let pinned = '';
  const commits = migrate(repo, (step) => {
    if (step === 1) {
      const r = repo.cli(['backup', '--baseline', '--json']);
      assert.is(r.code, 0, r.stderr);
      pinned = json(r).branch;
      assert.is(json(r).baseline, true);
    }
  });
  const plan = json(repo.cli(['rollback', 'full', '--dry-run', '--json']));
  assert.equal([plan.backup.name, plan.backup.choice], [pinned, 'pinned']);
  assert.is(plan.plan.head.to, commits[0]);
  const human = repo.cli(['rollback', 'full', '--dry-run']);
  assert.match(human.stdout, `Using ${pinned}`);
  assert.match(human.stdout, 'pinned as the baseline');
  assert.match(repo.cli(['list']).stdout, new RegExp(`${pinned}.*<- baseline \\(pinned\\)`));

  // a commit-ish: CI verifying a branch against its base
  const v = repo.cli(['verify', 'migration', '--against', 'origin/main', '--json']);
  assert.is(v.code, 1);
  assert.equal([json(v).backup.commit, json(v).backup.choice], [start, 'commit']);
  assert.equal(lostOf(json(v)), ['enum JobState', 'message Session']);
  const to = json(repo.cli(['rollback', 'full', '--to', commits[1], '--dry-run', '--json']));
  assert.is(to.plan.head.to, commits[1]);

  const head = repo.git('rev-parse', 'HEAD');
  for (const args of [['verify', 'migration', '--against', 'no-such-thing'], ['rollback', 'full', '--to', 'nope~3', '--yes']]) {
    const r = repo.cli(args);
    assert.is(r.code, 2, args.join(' '));
    assert.is(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, 'No backup and no commit named');
  }
  assert.is(repo.git('rev-parse', 'HEAD'), head, 'nothing changed');
}));

test("another branch's backup and another clone's pushed backup are never the default", withRepo(setup, (repo) => {
  // guarded commits on another local branch: their backups hold its own commits
  repo.git('checkout', '-q', '-b', 'feature');
  repo.write('README.md', '# team, on feature\n');
  repo.git('commit', '-qam', 'feature: readme');
  repo.write('buf.yaml', 'version: v2 # feature\n');
  commitAll(repo, 'feature: buf v2');
  repo.write('buf.yaml', 'version: v2 # feature, again\n');
  commitAll(repo, 'feature: buf again');
  repo.git('checkout', '-q', 'main');
  // the switch back kept feature's tip (post-checkout, not pushed by the hook): pushed now, the
  // other clone sees its name and never takes it, though both may back up in the same second
  assert.is(repo.cli(['push']).code, 0);
  // another clone commits on its own main and pushes its backups
  const other = path.join(tmpDir('rg-clone-'), 'clone');
  git(repo.base, 'clone', '-q', repo.origin, other);
  const o: TestRepo = {
    ...repo,
    dir: other,
    write: (rel, content) => writeFileSync(path.join(other, rel), content),
    git: (...args) => git(other, ...args),
    cli: (args) => cli(other, args),
  };
  assert.is(o.cli(['init']).code, 0);
  // its backups hold commits of its own (the first commit touches no guarded path: no backup)
  o.write('README.md', '# team, from the other clone\n');
  o.git('commit', '-qam', 'clone: readme');
  for (const v of ['a', 'b']) {
    o.write('buf.yaml', `version: v2 # clone ${v}\n`);
    o.git('add', '-A');
    assert.is(gitRun(o, ['commit', '-q', '-m', `clone ${v}`]).code, 0);
  }
  assert.is(o.cli(['push']).code, 0);
  const theirs = backupBranches(o);

  // main has no backup of its own: refused, with the reason, after fetching the clone's
  const r = repo.cli(['rollback', 'full', '--dry-run']);
  assert.is(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stderr, /None of the \d+ backups belongs to main/);
  // the fetched backups read the same here as in the clone that made them
  const listed = json(repo.cli(['list', '--json'])).branches as Array<{ name: string; record: { trigger: string; branch: string } | null; ofThisBranch: boolean }>;
  for (const name of theirs) {
    const b = listed.find((x) => x.name === name)!;
    assert.ok(b, name);
    assert.equal([b.record?.trigger, b.record?.branch, b.ofThisBranch], ['post-commit', 'refs/heads/main', false]);
  }

  // with a backup of its own, main uses it; --to can still name another branch's
  const mine = json(repo.cli(['backup', '--no-push', '--json'])).branch;
  const plan = json(repo.cli(['rollback', 'full', '--dry-run', '--json']));
  assert.is(plan.backup.name, mine);
  const feature = backupBranches(repo).find((n) => repo.git('rev-parse', n) === repo.git('rev-parse', 'feature~1'))!;
  assert.ok(feature);
  const named = json(repo.cli(['rollback', 'full', '--to', feature, '--dry-run', '--json']));
  assert.equal([named.backup.name, named.backup.choice], [feature, 'named']);
}));

test('after a rollback full, verify rollback and rollback quick compare with where it went, not a newer backup', withRepo(setup, (repo) => {
  migrate(repo);
  const [first] = backupBranches(repo);
  assert.is(repo.cli(['rollback', 'full', '--yes']).code, 0);
  // the log names where it went
  assert.match(repo.cli(['log']).stdout, new RegExp(`rollback-full .* target=${first}\\b`));
  // a newer backup of a state from before the migration (README edited): the baseline now
  repo.write('README.md', '# team, edited after the rollback\n');
  const newer = json(repo.cli(['backup', '--no-push', '--json'])).branch;
  assert.is(json(repo.cli(['verify', 'migration', '--json'])).backup.name, newer);
  const v = json(repo.cli(['verify', 'rollback', '--json']));
  assert.equal([v.backup.name, v.backup.choice], [first, 'rolled-back-to']);
  const q = repo.cli(['rollback', 'quick', '--dry-run']);
  assert.match(q.stdout, `Using ${first}`);
  // once that rollback is undone (discarding the README edited since: --force), its target is no longer used
  assert.is(repo.cli(['undo', '--force', '--yes']).code, 0);
  assert.is.not(json(repo.cli(['verify', 'rollback', '--json'])).backup.choice, 'rolled-back-to');
}));

/**
 * The buf config changed (`change`) and committed alone, then the migration: each guarded commit
 * backed up the state before it (the first two backups: the start, the config commit).
 */
function configFirst(repo: TestRepo, change: () => void): { before: ReturnType<typeof captureState>; names: string[] } {
  const start = repo.git('rev-parse', 'HEAD');
  const before = captureState(repo.dir);
  change();
  commitAll(repo, 'new buf config');
  const configCommit = repo.git('rev-parse', 'HEAD');
  migrate(repo);
  const names = backupBranches(repo);
  assert.equal(names.slice(0, 2).map((n) => repo.git('rev-parse', n)), [start, configCommit], 'each guarded commit backed up the state before it');
  return { before, names };
}

test('buf config set aside first, protos moved after: the baseline is before the config commit, and rollback full brings the old buf.yaml back', withRepo(setup, (repo) => {
  const { before, names } = configFirst(repo, () => {
    // the migration's first step, committed alone: buf.yaml -> buf.yaml.backup, a new buf.yaml
    repo.git('mv', 'buf.yaml', 'buf.yaml.backup');
    repo.git('mv', 'buf.gen.yaml', 'buf.gen.yaml.backup');
    repo.write('buf.yaml', 'version: v2\nmodules:\n  - path: proto\n');
    repo.write('buf.gen.yaml', 'version: v2\nclean: true\nplugins: []\n');
  });
  // the state after the config commit has no proto/gcommon/v1/, but its buf.yaml is the new one
  const m = repo.cli(['verify', 'migration', '--json']);
  assert.equal([json(m).backup.name, json(m).backup.choice], [names[0], 'before-migration']);
  assert.match(repo.cli(['verify', 'migration']).stdout, `Using ${names[0]}`);
  assert.match(repo.cli(['verify', 'migration']).stdout, 'before buf.yaml, buf.gen.yaml were set aside as *.backup');
  rollbackAndUndo(repo, before, names[0]);
}));

test('buf config rewritten in place first (no *.backup), protos moved after: the baseline is before the config commit', withRepo(setup, (repo) => {
  const { before, names } = configFirst(repo, () => {
    // the new buf.yaml names the new root; buf.gen.yaml changes in a way that names nothing
    repo.write('buf.yaml', 'version: v2\nmodules:\n  - path: proto # the new layout\n    name: buf.build/team/gcommon\n');
    repo.write('buf.gen.yaml', 'version: v2\nclean: true\nplugins: []\n');
  });
  const m = repo.cli(['verify', 'migration', '--json']);
  assert.equal([json(m).backup.name, json(m).backup.choice], [names[0], 'before-migration']);
  const text = repo.cli(['rollback', 'full', '--dry-run']).stdout;
  assert.match(text, `Using ${names[0]}`);
  assert.match(text, 'and before buf.yaml was rewritten for it');
  rollbackAndUndo(repo, before, names[0]);
  assert.is(repo.git('show', `${names[0]}:buf.yaml`), 'version: v1');
}));

/** A sign of a migrated config that the repository always had (`extra` in its first commit) does not hide the baseline. */
const ownSignKept = (extra: Record<string, string>) => withRepo(() => {
  const repo = makeRepo({ files: { ...FILES, ...extra } });
  assert.is(repo.cli(['init']).code, 0);
  return repo;
}, (repo) => {
  const before = captureState(repo.dir);
  migrate(repo);
  const names = backupBranches(repo);
  const m = repo.cli(['verify', 'migration', '--json']);
  assert.equal([json(m).backup.name, json(m).backup.choice], [names[0], 'before-migration']);
  assert.not.match(repo.cli(['verify', 'migration']).stdout, /rewritten|set aside/);
  rollbackAndUndo(repo, before, names[0]);
});

test('a buf.yaml that always named the new root does not hide the baseline', ownSignKept({ 'buf.yaml': 'version: v2\nmodules:\n  - path: proto\n' }));

test('a *.backup of a config file the repository always had does not hide the baseline', ownSignKept({ 'buf.yaml.backup': 'version: v1\n# kept by the team\n' }));

test('namesRoot: a whole YAML value that is the new root or a leading part of it, outside comments', () => {
  const root = 'proto/gcommon/v1';
  for (const yes of ['  - path: proto', 'path: ./proto/', 'roots: [proto/gcommon]', "  - directory: 'proto/gcommon/v1'", '- proto', 'modules: [{path: proto, name: x}]']) {
    assert.ok(namesRoot(`version: v2\n${yes}\n`, root), yes);
  }
  for (const no of ['  - path: .', 'excludes: [pkg/auth/proto]', 'path: proto/thirdparty', 'path: protos', '# moving to path: proto', 'name: buf.build/x/proto-gen', 'out: pkg', 'name: buf.build/acme/payments-proto', 'deps: [- buf.build/acme/common-proto]', '  - buf.build/acme/common-proto']) {
    assert.not.ok(namesRoot(`version: v2\n${no}\n`, root), no);
  }
  assert.not.ok(namesRoot('path: proto', ''));
});

test.run();
