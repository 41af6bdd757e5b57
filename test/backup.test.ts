import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, lstatSync, statSync, symlinkSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import { BACKUP_BRANCHES, PREFIX, cliAsync, conflictedMerge, git, withRepo, type TestRepo } from './helpers/repo.js';
import { stamp } from '../src/util/time.js';

const ODD = ['with space.txt', 'ünïcödé ✓.txt', 'new\nline.txt', 'tab\there.txt', '-leading-dash.txt'];

/** Every file below `root` (not .git), path → sha256 (symlinks: their target). */
function treeDigest(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const visit = (rel: string) => {
    for (const name of readdirSync(path.join(root, rel))) {
      const p = rel ? `${rel}/${name}` : name;
      if (p === '.git') continue;
      const abs = path.join(root, p);
      const st = lstatSync(abs);
      if (st.isDirectory()) visit(p);
      else if (st.isSymbolicLink()) out.set(p, `link:${readFileSync(abs, { encoding: null }).length}`);
      else out.set(p, createHash('sha256').update(readFileSync(abs)).digest('hex') + `:${st.mode & 0o111 ? 'x' : '-'}`);
    }
  };
  visit('');
  return out;
}

function dirty(repo: TestRepo): void {
  repo.write('.gitignore', 'ignored.txt\nbuild/\n');
  repo.write('tracked.txt', 'v1\n');
  repo.write('gone.txt', 'will be deleted\n');
  repo.write('staged-then-edited.txt', 'base\n');
  repo.git('add', '-A');
  repo.git('commit', '-q', '-m', 'more files');
  repo.write('tracked.txt', 'v2 unstaged\n'); // unstaged edit
  repo.write('staged-then-edited.txt', 'staged\n');
  repo.git('add', 'staged-then-edited.txt');
  repo.write('staged-then-edited.txt', 'staged, then edited again\n'); // index and work tree differ
  unlinkSync(path.join(repo.dir, 'gone.txt')); // deleted
  repo.write('new-staged.txt', 'new and staged\n');
  repo.git('add', 'new-staged.txt');
  for (const name of ODD) repo.write(`odd/${name}`, `content of ${name}\n`); // untracked
  repo.write('bin/blob.bin', Buffer.from([0, 1, 2, 255, 254, 0, 10, 13]));
  repo.write('ignored.txt', 'ignored: not part of a backup\n');
  repo.write('build/out.o', 'ignored folder\n');
}

test('snapshot round trip: the snapshot tree equals the work tree byte for byte, odd names included', withRepo((repo) => {
  dirty(repo);
  const r = repo.cli(['backup', '--json', '--no-push']);
  assert.is(r.code, 0, r.stderr);
  const { snapshot } = JSON.parse(r.stdout);
  assert.ok(snapshot, 'a dirty tree gets a snapshot');
  const other = path.join(repo.base, 'restored');
  repo.git('worktree', 'add', '-q', '--detach', other, snapshot);
  const want = treeDigest(repo.dir);
  want.delete('ignored.txt');
  want.delete('build/out.o');
  const got = treeDigest(other);
  assert.equal([...got.keys()].sort(), [...want.keys()].sort());
  for (const [p, digest] of want) assert.is(got.get(p), digest, p);
  // the index as it was is the second parent: staged content, not the later edit
  assert.is(repo.git('show', `${snapshot}^2:staged-then-edited.txt`), 'staged');
  assert.is(repo.git('show', `${snapshot}^2:new-staged.txt`), 'new and staged');
  assert.is(repo.git('show', `${snapshot}:staged-then-edited.txt`), 'staged, then edited again');
  assert.is(repo.git('rev-parse', `${snapshot}^1`), repo.git('rev-parse', 'HEAD'));
}));

test('a backup leaves index, stash list, status and file times untouched', withRepo((repo) => {
  dirty(repo);
  repo.git('stash', 'push', '-q', '--', 'tracked.txt');
  repo.write('tracked.txt', 'v3 after stash\n');
  const index = readFileSync(path.join(repo.dir, '.git/index'));
  const status = repo.git('status', '--porcelain=v2', '-z', '--untracked-files=all');
  const stash = repo.git('stash', 'list');
  const mtime = statSync(path.join(repo.dir, 'tracked.txt')).mtimeMs;
  const r = repo.cli(['backup', '--no-push']);
  assert.is(r.code, 0, r.stderr);
  assert.ok(readFileSync(path.join(repo.dir, '.git/index')).equals(index), 'index file bytes unchanged');
  assert.is(repo.git('status', '--porcelain=v2', '-z', '--untracked-files=all'), status);
  assert.is(repo.git('stash', 'list'), stash);
  assert.is(statSync(path.join(repo.dir, 'tracked.txt')).mtimeMs, mtime);
  assert.is(repo.git('symbolic-ref', 'HEAD'), 'refs/heads/main', 'no branch switch');
}));

test('a clean tree needs no snapshot, and says so', withRepo((repo) => {
  const r = repo.cli(['backup']);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /Nothing uncommitted/);
  const j = JSON.parse(repo.cli(['backup', '--json']).stdout);
  assert.is(j.snapshot, null);
  assert.is(repo.git('for-each-ref', 'refs/reorg-guard/snapshots/'), '');
}));

test('20 backups started at the same second make 20 distinct branches and no error', withRepo(async (repo) => {
  repo.write('wip.txt', 'uncommitted\n');
  const runs = await Promise.all(Array.from({ length: 20 }, () => cliAsync(repo.dir, ['backup', '--json'])));
  for (const r of runs) assert.is(r.code, 0, r.stderr);
  const names = runs.map((r) => JSON.parse(r.stdout).branch as string);
  assert.is(new Set(names).size, 20);
  const local = repo.git('for-each-ref', '--format=%(refname:short)', BACKUP_BRANCHES).split('\n');
  assert.is(local.length, 20);
  const remote = git(repo.origin, 'for-each-ref', '--format=%(refname:short)', BACKUP_BRANCHES).split('\n');
  assert.equal(remote.sort(), local.sort());
  assert.is(repo.git('for-each-ref', 'refs/reorg-guard/snapshots/').split('\n').length, 20);
}));

test('a dead remote keeps the backup local, warns once, records it unpushed, exits 0', withRepo((repo) => {
  repo.git('remote', 'set-url', 'origin', path.join(repo.base, 'no-such-remote.git'));
  const r = repo.cli(['backup', '--json']);
  assert.is(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.is(out.pushed, false);
  assert.is(r.stderr.trim().split('\n').length, 1, r.stderr);
  assert.match(r.stderr, /kept locally/);
  assert.is(repo.git('rev-parse', `refs/reorg-guard/unpushed/${out.branch}`), out.commit);
  const list = JSON.parse(repo.cli(['list', '--json']).stdout);
  assert.is(list.branches[0].name, out.branch);
  assert.is(list.branches[0].unpushed, true);
  // once the remote is back, a later backup pushes and clears its own record
  repo.git('remote', 'set-url', 'origin', repo.origin);
  const again = JSON.parse(repo.cli(['backup', '--json']).stdout);
  assert.is(again.pushed, true);
  assert.is(repo.git('for-each-ref', `refs/reorg-guard/unpushed/${again.branch}`), '');
}));

test('no remote at all, or push off: local backup, one warning, exit 0', withRepo({ origin: false }, (repo) => {
  const r = repo.cli(['backup']);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stderr, /no remote named "origin"/);
  const off = repo.cli(['backup', '--no-push', '--json']);
  assert.is(JSON.parse(off.stdout).pushed, false);
  assert.match(off.stderr, /push is off/);
}));

test('an empty repository: clear error, exit 1, nothing created', withRepo({ files: {} }, (repo) => {
  const r = repo.cli(['backup']);
  assert.is(r.code, 1);
  assert.match(r.stderr, /no commit yet/);
  assert.is(r.stderr.trim().split('\n').length, 1);
  assert.is(repo.git('for-each-ref'), '');
}));

test('a branch in the way of the backup prefix: one clear error at once, not 10,000 names tried', withRepo((repo) => {
  repo.git('branch', 'vault');
  const cfg = JSON.parse(repo.read('reorg-guard.config.json').toString());
  repo.write('reorg-guard.config.json', JSON.stringify({ ...cfg, branchPrefix: 'vault/backup-' }));
  const r = repo.cli(['backup', '--no-push']);
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, "'refs/heads/vault' exists; cannot create");
  assert.is(r.stderr.trim().split('\n').length, 1);
  assert.is(repo.git('for-each-ref', 'refs/heads/vault/', 'refs/reorg-guard/'), '');
}));

test('works from a subfolder, on a detached HEAD, and from a linked worktree', withRepo({ files: { 'pkg/a/proto/x.proto': 'syntax = "proto3";\n' } }, (repo) => {
  const sub = repo.cli(['-C', 'pkg/a', 'backup', '--json']);
  assert.is(sub.code, 0, sub.stderr);
  repo.git('checkout', '-q', '--detach', 'HEAD');
  repo.write('pkg/a/proto/y.proto', 'new\n');
  const detached = JSON.parse(repo.cli(['backup', '--json']).stdout);
  assert.is(detached.commit, repo.git('rev-parse', 'HEAD'));
  assert.ok(detached.snapshot);
  const wt = path.join(repo.base, 'linked');
  repo.git('worktree', 'add', '-q', '-b', 'side', wt);
  const linked = JSON.parse(repo.cli(['-C', wt, 'backup', '--json']).stdout);
  assert.is(linked.commit, git(wt, 'rev-parse', 'HEAD'));
  // backups of every worktree live in the one shared repository
  assert.is(repo.git('for-each-ref', '--format=%(refname)', BACKUP_BRANCHES).split('\n').length, 3);
}));

test('backup --archive also writes a verified archive', withRepo((repo) => {
  const r = repo.cli(['backup', '--archive', '--json']);
  assert.is(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.match(out.archive, /work-backup-\d{8}_\d{6}\.tar\.gz$/);
  assert.ok(statSync(out.archive).isFile());
}));

test('symlinks in the tree are kept as links in a snapshot', withRepo((repo) => {
  mkdirSync(path.join(repo.dir, 'links'));
  symlinkSync('/etc/passwd', path.join(repo.dir, 'links/outside'));
  const { snapshot } = JSON.parse(repo.cli(['backup', '--json', '--no-push']).stdout);
  assert.is(repo.git('ls-tree', snapshot, 'links/outside').split(' ')[0], '120000');
  assert.is(repo.git('cat-file', '-p', `${snapshot}:links/outside`), '/etc/passwd');
}));

test('reorg-guard push pushes what a dead remote left unpushed, in one go', withRepo((repo) => {
  repo.git('remote', 'set-url', 'origin', path.join(repo.base, 'gone.git'));
  const a = JSON.parse(repo.cli(['backup', '--json']).stdout).branch;
  const b = JSON.parse(repo.cli(['backup', '--json']).stdout).branch;
  const still = repo.cli(['push', '--json']);
  assert.is(still.code, 1);
  assert.equal(JSON.parse(still.stdout).failed.sort(), [a, b].sort());
  repo.git('remote', 'set-url', 'origin', repo.origin);
  const r = repo.cli(['push', '--json']);
  assert.is(r.code, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).pushed.sort(), [a, b].sort());
  for (const n of [a, b]) assert.is(git(repo.origin, 'rev-parse', `refs/heads/${n}`), repo.git('rev-parse', n));
  assert.is(repo.git('for-each-ref', 'refs/reorg-guard/unpushed/'), '');
  assert.match(repo.cli(['push']).stdout, /on the remote already/);
}));

test('mid-merge conflicts and nested repositories: snapshot still made, nested repos named', withRepo({ files: { 'f.txt': 'base\n' } }, (repo) => {
  conflictedMerge(repo, 'f.txt');
  repo.write('nested/inner.txt', 'a repository of its own\n');
  git(path.join(repo.dir, 'nested'), 'init', '-q');
  repo.write('wip.txt', 'wip\n');
  const status = repo.git('status', '--porcelain');
  const r = repo.cli(['backup', '--json', '--no-push']);
  assert.is(r.code, 0, r.stderr);
  const { snapshot } = JSON.parse(r.stdout);
  assert.match(r.stderr, /"nested" is a repository of its own/);
  assert.is(repo.git('show', `${snapshot}:wip.txt`), 'wip');
  assert.match(repo.git('show', `${snapshot}:f.txt`), /<<<<<<<|main|side/);
  assert.is(repo.git('status', '--porcelain'), status, 'the conflicted index is untouched');
}));

/** Backups of another clone on the remote at `commit`, named for the coming seconds (and their "-2"). */
function otherClonePushesComingNames(repo: TestRepo, commit: string): string[] {
  const names: string[] = [];
  for (let s = 0; s < 6; s++) {
    const base = `${PREFIX}${stamp(new Date(Date.now() + s * 1000))}`;
    names.push(base, `${base}-2`);
  }
  for (const n of names) git(repo.origin, 'update-ref', `refs/heads/${n}`, commit);
  return names;
}

test("a backup never takes or moves a name another clone pushed: it takes the next free one", withRepo((repo) => {
  // Another clone pushed backups this clone has not fetched, named for the coming seconds
  // (with their "-2"), at a commit from which this clone's next backup is a fast-forward.
  const theirs = repo.git('rev-parse', 'HEAD');
  const names = otherClonePushesComingNames(repo, theirs);
  repo.write('README.md', '# mine\n');
  repo.git('commit', '-qam', 'mine');
  const mine = repo.git('rev-parse', 'HEAD');

  const r = repo.cli(['backup', '--json']);
  assert.is(r.code, 0, r.stderr);
  const made = JSON.parse(r.stdout);
  assert.ok(!names.includes(made.branch), made.branch);
  assert.is(made.pushed, true);
  assert.is(git(repo.origin, 'rev-parse', `refs/heads/${made.branch}`), mine);
  assert.is(git(repo.origin, 'rev-parse', `refs/reorg-guard/records/${made.branch}`), repo.git('rev-parse', `refs/reorg-guard/records/${made.branch}`));
  for (const n of names) assert.is(git(repo.origin, 'rev-parse', `refs/heads/${n}`), theirs, `${n} is the other clone's still`);
  // nothing is left under the names it tried first
  assert.equal(repo.git('for-each-ref', '--format=%(refname)', 'refs/heads/', 'refs/reorg-guard/').split('\n').filter((x) => names.some((n) => x.endsWith(`/${n}`))), []);

  // A backup kept unpushed (a hook's) whose name the remote got meanwhile: 'push' never moves
  // the other clone's; this one takes the next free name, with its record and snapshot, and goes
  // under it (it stayed unpushed for ever before, and 'push' failed on it every time)
  repo.write('wip.txt', 'uncommitted\n');
  const late = JSON.parse(repo.cli(['backup', '--no-push', '--json']).stdout).branch;
  const lateSnapshot = repo.git('rev-parse', `refs/reorg-guard/snapshots/${late}`);
  const lateRecord = repo.git('rev-parse', `refs/reorg-guard/records/${late}`);
  git(repo.origin, 'update-ref', `refs/heads/${late}`, theirs);
  const p = repo.cli(['push', '--json']);
  assert.is(p.code, 0, p.stdout + p.stderr);
  assert.match(p.stderr, `${late} was taken on "origin" by another clone's backup`);
  // late may be one of the other clone's coming names, and so its -2: each taken name is passed
  const renamed: Array<[string, string]> = JSON.parse(p.stdout).renamed;
  assert.is(renamed[0][0], late);
  renamed.forEach(([, to], i) => assert.is(to, i === renamed.length - 1 ? to : renamed[i + 1][0], 'one chain of renames'));
  const now = renamed[renamed.length - 1][1];
  assert.ok(now.startsWith(`${late}-`) && !names.includes(now), now);
  assert.equal(JSON.parse(p.stdout).pushed, [now]);
  assert.is(git(repo.origin, 'rev-parse', `refs/heads/${late}`), theirs, 'the other clone\'s stays');
  assert.is(git(repo.origin, 'rev-parse', `refs/heads/${now}`), mine);
  assert.is(git(repo.origin, 'rev-parse', `refs/reorg-guard/records/${now}`), lateRecord);
  assert.is(repo.git('rev-parse', `refs/reorg-guard/snapshots/${now}`), lateSnapshot);
  assert.equal(repo.git('for-each-ref', '--format=%(refname)', `refs/heads/${late}`, `refs/reorg-guard/*/${late}`), '', 'nothing left under the taken name');
  assert.is(repo.git('for-each-ref', 'refs/reorg-guard/unpushed/'), '', 'nothing unpushed');
  assert.is(repo.cli(['push']).code, 0);
}));

test("a backup kept local never takes a name this clone knows the remote holds", withRepo((repo) => {
  // Another clone's backups for the coming seconds, fetched here: their remote-tracking
  // branches say the names are taken, so even a backup that is not pushed skips them.
  const theirs = repo.git('rev-parse', 'HEAD');
  const names = otherClonePushesComingNames(repo, theirs);
  repo.git('fetch', '-q', 'origin');
  const r = repo.cli(['backup', '--no-push', '--json']);
  assert.is(r.code, 0, r.stderr);
  const made = JSON.parse(r.stdout).branch;
  assert.ok(!names.includes(made), made);
  assert.is(repo.git('rev-parse', `refs/heads/${made}`), theirs);
  for (const n of names) assert.is(repo.git('for-each-ref', `refs/heads/${n}`), '', `${n} is not created here`);
}));

test.run();
