import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PREFIX, makeRepo, testEnv, withRepo, type TestRepo } from './helpers/repo.js';
import { inTerminal } from './helpers/terminal.js';
import { stamp } from '../src/util/time.js';

const DAY = 86_400_000;

/**
 * `count` backup branches, one a day apart going back from now (index 0 newest), each with a
 * snapshot ref and an unpushed record for the oldest, pushed to origin in one push.
 */
function seedBackups(repo: TestRepo, count: number): string[] {
  const head = repo.git('rev-parse', 'HEAD');
  const names = Array.from({ length: count }, (_, i) => `${PREFIX}${stamp(new Date(Date.now() - i * DAY - 60_000))}`);
  const input = names.flatMap((n) => [`create refs/heads/${n} ${head}`, `create refs/reorg-guard/snapshots/${n} ${head}`]).join('\n') + '\n';
  execFileSync('git', ['update-ref', '--stdin'], { cwd: repo.dir, env: testEnv(), input });
  repo.git('push', '-q', 'origin', `refs/heads/${PREFIX}*:refs/heads/${PREFIX}*`);
  return names;
}

const refs = (repo: TestRepo, pattern: string) => repo.git('for-each-ref', '--format=%(refname)', pattern).split('\n').filter(Boolean);
const remoteRefs = (repo: TestRepo) => repo.git('ls-remote', '--refs', 'origin', `refs/heads/${PREFIX}*`).split('\n').filter(Boolean).map((l) => l.split('\t')[1]);

test('cleanup keeps the 5 newest, deletes the rest locally and on the remote, with snapshots', withRepo((repo) => {
  const names = seedBackups(repo, 12);
  const r = repo.cli(['cleanup', '--yes', '--json']);
  assert.is(r.code, 0, r.stderr);
  const kept = names.slice(0, 5).map((n) => `refs/heads/${n}`);
  assert.equal(refs(repo, `refs/heads/${PREFIX}*`).sort(), [...kept].sort());
  assert.equal(remoteRefs(repo).sort(), [...kept].sort());
  assert.equal(refs(repo, 'refs/reorg-guard/snapshots/').sort(), names.slice(0, 5).map((n) => `refs/reorg-guard/snapshots/${n}`).sort());
  assert.equal(refs(repo, `refs/remotes/origin/${PREFIX}*`).length, 5, 'remote-tracking refs follow');
  const out = JSON.parse(r.stdout);
  assert.is(out.result.local, 7);
  assert.is(out.result.remote, 7);
  // journaled with every deleted ref and its commit, after a safety snapshot
  const journal = readFileSync(path.join(repo.dir, '.git/reorg-guard/journal.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const started = journal.find((e) => e.op === 'cleanup' && e.status === 'started');
  assert.ok(started.safety.ref.startsWith('refs/reorg-guard/safety/'));
  assert.ok(started.plan.deleteLocal.some((d: { ref: string }) => d.ref === `refs/heads/${names[11]}`));
  assert.ok(journal.some((e) => e.op === 'cleanup' && e.status === 'done'));
}));

test('a backup branch that moved since the backup is kept; undo of a cleanup brings the deleted backups back', withRepo((repo) => {
  const names = seedBackups(repo, 8);
  // somebody committed on an old backup branch: that commit exists nowhere else
  repo.git('checkout', '-q', names[7]);
  repo.write('precious.txt', 'only here\n');
  repo.git('add', 'precious.txt');
  repo.git('commit', '-q', '-m', 'precious');
  const precious = repo.git('rev-parse', 'HEAD');
  repo.git('checkout', '-q', 'main');
  const before = refs(repo, 'refs/');
  const commits = names.map((n) => repo.git('rev-parse', `refs/heads/${n}`));
  const r = repo.cli(['cleanup', '--keep-branches', '2', '--yes', '--json']);
  assert.is(r.code, 0, r.stderr);
  assert.ok(refs(repo, `refs/heads/${PREFIX}*`).includes(`refs/heads/${names[7]}`), 'the moved branch stays');
  assert.is(repo.git('rev-parse', names[7]), precious);
  assert.is(refs(repo, `refs/heads/${PREFIX}*`).length, 3);

  const undo = repo.cli(['undo', '--yes']);
  assert.is(undo.code, 0, undo.stderr);
  const after = refs(repo, 'refs/').filter((ref) => !ref.startsWith('refs/reorg-guard/safety/') && !ref.startsWith('refs/reorg-guard/unpushed/'));
  assert.equal(after.filter((ref) => !ref.startsWith('refs/remotes/')).sort(), before.filter((ref) => !ref.startsWith('refs/remotes/')).sort());
  assert.equal(names.map((n) => repo.git('rev-parse', `refs/heads/${n}`)), commits, 'every branch at its commit again');
  // the remote's copies come back with the next push
  assert.ok(remoteRefs(repo).length < names.length);
  const push = repo.cli(['push']);
  assert.is(push.code, 0, push.stderr);
  assert.equal(remoteRefs(repo).sort(), names.map((n) => `refs/heads/${n}`).sort());
}));

test('--dry-run changes nothing and says why each backup stays or goes; no --yes without a terminal is exit 2', withRepo((repo) => {
  const names = seedBackups(repo, 4);
  const before = refs(repo, 'refs/');
  const dry = repo.cli(['cleanup', '--keep-branches', '2', '--dry-run']);
  assert.is(dry.code, 0, dry.stderr);
  assert.match(dry.stdout, new RegExp(`keep +${names[0]} .*the newest backup`));
  assert.match(dry.stdout, new RegExp(`delete ${names[3]} .*no rule keeps it`));
  const json = JSON.parse(repo.cli(['cleanup', '--keep-branches', '2', '--dry-run', '--json']).stdout);
  assert.equal(json.plan.backups.map((b: { keep: boolean }) => b.keep), [true, true, false, false]);
  const refused = repo.cli(['cleanup', '--keep-branches', '2']);
  assert.is(refused.code, 2);
  assert.match(refused.stderr, /pass --yes/);
  assert.equal(refs(repo, 'refs/'), before, 'nothing changed');
  assert.is(remoteRefs(repo).length, 4);
}));

test('an old backup that only the remote has, whose commits this clone lacks, is kept; one the clone has goes', withRepo((repo) => {
  const names = seedBackups(repo, 3);
  // another clone pushes an old backup of work this clone never fetched
  const other = path.join(path.dirname(repo.origin), 'other');
  execFileSync('git', ['clone', '-q', repo.origin, other], { env: testEnv() });
  writeFileSync(path.join(other, 'theirs.txt'), 'made elsewhere\n');
  execFileSync('git', ['add', 'theirs.txt'], { cwd: other, env: testEnv() });
  execFileSync('git', ['commit', '-qm', 'their work'], { cwd: other, env: testEnv() });
  const foreign = `${PREFIX}20200101_120000`;
  execFileSync('git', ['push', '-q', 'origin', `HEAD:refs/heads/${foreign}`], { cwd: other, env: testEnv() });
  const json = JSON.parse(repo.cli(['cleanup', '--keep-branches', '1', '--dry-run', '--json']).stdout);
  const decision = json.plan.backups.find((b: { name: string }) => b.name === foreign);
  assert.ok(decision.keep);
  assert.match(decision.reasons.join(' '), /lacks its commits/);
  const r = repo.cli(['cleanup', '--keep-branches', '1', '--yes']);
  assert.is(r.code, 0, r.stderr);
  assert.equal(remoteRefs(repo).sort(), [`refs/heads/${foreign}`, `refs/heads/${names[0]}`].sort());
}));

test('a branch with the prefix whose name is not exactly a dated backup (-wip, a folder) is never deleted', withRepo((repo) => {
  const names = seedBackups(repo, 3);
  const head = repo.git('rev-parse', 'HEAD');
  for (const n of [`${PREFIX}20190101_000001-wip`, `${PREFIX}20190101_000001/x`]) repo.git('update-ref', `refs/heads/${n}`, head);
  const r = repo.cli(['cleanup', '--keep-branches', '1', '--yes']);
  assert.is(r.code, 0, r.stderr);
  assert.equal(refs(repo, `refs/heads/${PREFIX}*`).sort(), [`refs/heads/${names[0]}`, `refs/heads/${PREFIX}20190101_000001-wip`].sort());
  assert.is(repo.git('rev-parse', '--verify', `refs/heads/${PREFIX}20190101_000001/x`), head);
}));

test('undo of a cleanup after git gc pruned the commits says which refs cannot come back', withRepo((repo) => {
  const names = Array.from({ length: 3 }, (_, i) => `${PREFIX}2020010${i + 1}_120000`);
  for (const n of names) {
    const c = execFileSync('git', ['commit-tree', 'HEAD^{tree}', '-p', 'HEAD', '-m', n], { cwd: repo.dir, env: testEnv(), encoding: 'utf8' }).trim();
    repo.git('update-ref', `refs/heads/${n}`, c);
  }
  assert.is(repo.cli(['cleanup', '--keep-branches', '1', '--yes']).code, 0);
  repo.git('reflog', 'expire', '--expire=now', '--all');
  repo.git('gc', '-q', '--prune=now');
  const plan = repo.cli(['undo', '--dry-run']);
  assert.is(plan.code, 0, plan.stderr);
  assert.match(plan.stdout + plan.stderr, new RegExp(`2 refs the operation deleted cannot come back: .*pruned by git gc.*refs/heads/${names[0]}`));
}));

test('never the newest, never a checked-out one (here or in a linked worktree), never one an unfinished operation uses; --keep-within keeps the young', withRepo((repo) => {
  const names = seedBackups(repo, 10);
  repo.git('checkout', '-q', names[8]);
  repo.git('worktree', 'add', '-q', path.join(repo.base, 'linked'), names[9]);
  // an operation that started and never ended (a crash) refers to names[6]
  const journal = path.join(repo.dir, '.git/reorg-guard/journal.jsonl');
  mkdirSync(path.dirname(journal), { recursive: true });
  appendFileSync(journal, JSON.stringify({ id: 'x1', op: 'rollback', status: 'started', time: new Date().toISOString(), pid: 1, args: { to: names[6] } }) + '\n');
  appendFileSync(journal, JSON.stringify({ id: 'x2', op: 'rollback', status: 'started', time: new Date().toISOString(), pid: 1, args: { to: names[7] } }) + '\n');
  appendFileSync(journal, JSON.stringify({ id: 'x2', op: 'rollback', status: 'done', time: new Date().toISOString(), pid: 1 }) + '\n');
  const r = repo.cli(['cleanup', '--keep-branches', '0', '--keep-within', '3d', '--yes', '--json']);
  assert.is(r.code, 0, r.stderr);
  const left = refs(repo, `refs/heads/${PREFIX}*`).map((ref) => ref.slice('refs/heads/'.length)).sort();
  assert.equal(left, [names[0], names[1], names[2], names[6], names[8], names[9]].sort());
  const why = Object.fromEntries(JSON.parse(r.stdout).plan.backups.map((b: { name: string; reasons: string[] }) => [b.name, b.reasons.join('; ')]));
  assert.match(why[names[0]], /the newest backup/);
  assert.match(why[names[1]], /younger than 3d/);
  assert.match(why[names[6]], /unfinished operation x1 \(rollback\)/);
  assert.match(why[names[8]], /checked out/);
  assert.match(why[names[9]], /checked out/, 'in a linked worktree');
}));

test('archives: only this repository\'s, beyond --keep-archives; other files and other repositories\' archives stay', withRepo((repo) => {
  seedBackups(repo, 1);
  const dir = path.join(repo.base, 'backups');
  mkdirSync(dir, { recursive: true });
  const ours = Array.from({ length: 5 }, (_, i) => `work-backup-${stamp(new Date(Date.now() - i * DAY))}.tar.gz`);
  const others = [
    `other-backup-${stamp(new Date(Date.now() - 9 * DAY))}.tar.gz`,
    `work-backup-${stamp(new Date(Date.now() - 9 * DAY))}.tar.gz.notes`,
    'work-backup-latest.tar.gz',
    `work-backup-${stamp(new Date(Date.now() - 9 * DAY))}-old.tar.gz`,
    `work-backup-${stamp(new Date(Date.now() - 9 * DAY))} copy.tar.gz`,
    'notes.txt',
  ];
  // ours: real archives of this work tree (their manifest names it), under older names
  const real = JSON.parse(repo.cli(['archive', '--json']).stdout).path;
  const made = readFileSync(real);
  unlinkSync(real);
  for (const n of ours) writeFileSync(path.join(dir, n), made);
  for (const n of others) writeFileSync(path.join(dir, n), 'x');
  const r = repo.cli(['cleanup', '--keep-archives', '2', '--yes']);
  assert.is(r.code, 0, r.stderr);
  assert.equal(readdirSync(dir).sort(), [...ours.slice(0, 2), ...others].sort());
}));

test('another repository whose folder has the same name shares the backup dir: its archives are never touched', () => {
  const a = makeRepo();
  const b = makeRepo();
  try {
    const shared = path.join(a.base, 'shared-backups');
    for (const r of [a, b]) r.write('reorg-guard.config.json', JSON.stringify({ backupDir: shared }));
    // both work trees are folders named "work": the archive names share a prefix
    const theirs = [0, 1].map(() => JSON.parse(b.cli(['archive', '--json']).stdout).path as string);
    const mine = [0, 1].map(() => JSON.parse(a.cli(['archive', '--json']).stdout).path as string);
    const listed = JSON.parse(a.cli(['list', '--json']).stdout).archives.map((x: { path: string }) => x.path);
    assert.equal(listed.sort(), [...mine].sort(), 'list shows only this work tree\'s archives');
    const r = a.cli(['cleanup', '--keep-archives', '1', '--yes']);
    assert.is(r.code, 0, r.stderr);
    for (const f of theirs) assert.ok(existsSync(f), `the other repository's ${path.basename(f)} stays`);
    assert.equal(mine.filter((f) => existsSync(f)).length, 1, 'one of ours kept');
    // an archive whose manifest cannot tell whose it is (damaged, foreign) is kept
    const unknown = path.join(shared, `work-backup-${stamp(new Date(Date.now() - 30 * DAY))}.tar.gz`);
    writeFileSync(unknown, 'not an archive');
    assert.is(a.cli(['cleanup', '--keep-archives', '1', '--yes']).code, 0);
    assert.ok(existsSync(unknown));
  } finally {
    a.cleanup();
    b.cleanup();
  }
});

test('remote unreachable: local backups are cleaned, the remote is left alone with a warning', withRepo((repo) => {
  const names = seedBackups(repo, 7);
  repo.git('remote', 'set-url', 'origin', path.join(repo.base, 'gone.git'));
  const r = repo.cli(['cleanup', '--yes']);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stderr, /not reachable \(fatal: '.*gone\.git' does not appear to be a git repository\)/, 'git\'s reason, not its advice');
  assert.is(refs(repo, `refs/heads/${PREFIX}*`).length, 5);
  assert.is(existsSync(repo.origin), true);
  assert.is(execFileSync('git', ['--git-dir', repo.origin, 'for-each-ref', `refs/heads/${PREFIX}*`], { env: testEnv(), encoding: 'utf8' }).trim().split('\n').length, names.length);
}));

test('a cleanup killed after the push is finished by the next one; its unfinished entry protects nothing', withRepo((repo) => {
  const names = seedBackups(repo, 8);
  const crashed = repo.cli(['cleanup', '--yes'], { env: { REORG_GUARD_CRASH_AT: 'cleanup:remote' } });
  assert.is.not(crashed.code, 0);
  assert.is(remoteRefs(repo).length, 5, 'the remote was cleaned before the crash');
  assert.is(refs(repo, `refs/heads/${PREFIX}*`).length, 8, 'local refs untouched by the crashed run');
  const r = repo.cli(['cleanup', '--yes']);
  assert.is(r.code, 0, r.stderr);
  assert.equal(refs(repo, `refs/heads/${PREFIX}*`).sort(), names.slice(0, 5).map((n) => `refs/heads/${n}`).sort());
}));

test('on a terminal cleanup asks: "n" changes nothing, "y" deletes', withRepo((repo) => {
  seedBackups(repo, 4);
  const no = inTerminal(repo, ['cleanup', '--keep-branches', '2'], { input: 'n\n' });
  assert.is(no.code, 2, no.stdout); // declined: refused, nothing changed
  assert.match(no.stdout, /Delete 2 backups as listed above\? \[y\/N\]/);
  assert.is(refs(repo, `refs/heads/${PREFIX}*`).length, 4);
  const yes = inTerminal(repo, ['cleanup', '--keep-branches', '2'], { input: 'y\n' });
  assert.is(yes.code, 0, yes.stdout);
  assert.is(refs(repo, `refs/heads/${PREFIX}*`).length, 2);
}));

test('cleanup: bad retention values are one line and exit 2', withRepo((repo) => {
  for (const args of [['--keep-branches', '-1'], ['--keep-branches', 'ten'], ['--keep-within', '7x'], ['--keep-archives', '1.5']]) {
    const r = repo.cli(['cleanup', ...args, '--dry-run']);
    assert.is(r.code, 2, args.join(' '));
    assert.is(r.stderr.trim().split('\n').length, 1);
  }
}));

test.run();
