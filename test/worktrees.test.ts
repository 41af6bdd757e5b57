/**
 * Linked worktrees (issue 15, item 1): each work tree has its own journal, lock and
 * operations; undo and log see those of the work tree they run in, name another's only
 * explicitly, and refuse when that work tree has moved on.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { cli, git, makeRepo, withRepo, type TestRepo } from './helpers/repo.js';
import { captureState } from './helpers/state.js';

interface Setup {
  repo: TestRepo;
  wt: string;
  /** wt's rollback full, then its undo. */
  ops: string[];
}

/** A repository, a backup, a linked worktree `wt` on `wtbranch` with a rollback and its undo. */
function setup(): Setup {
  const repo = makeRepo({ files: { 'README.md': 'v1\n' } });
  assert.is(repo.cli(['backup', '--no-push']).code, 0);
  repo.write('README.md', 'v2\n');
  repo.git('commit', '-qam', 'v2');
  const wt = path.join(repo.base, 'wt');
  repo.git('worktree', 'add', '-q', wt, '-b', 'wtbranch');
  const r = cli(wt, ['rollback', 'full', '--yes', '--json']);
  assert.is(r.code, 0, r.stderr);
  const u = cli(wt, ['undo', '--yes', '--json']);
  assert.is(u.code, 0, u.stderr);
  return { repo, wt, ops: [JSON.parse(r.stdout).operation, JSON.parse(u.stdout).operation] };
}

const ids = (dir: string, extra: string[] = []) => (JSON.parse(cli(dir, ['log', '--json', ...extra]).stdout) as Array<{ id: string }>).map((o) => o.id);

test("undo in the main work tree never applies a linked worktree's operation", withRepo(setup, ({ repo, wt, ops }) => {
  repo.write('mine.txt', 'untracked in the main work tree\n');
  const main = captureState(repo.dir);
  const wtState = captureState(wt);
  assert.equal(ids(repo.dir), [], 'the main work tree has no operations');
  assert.equal(ids(wt), [...ops].reverse());
  assert.equal(ids(repo.dir, ['--worktree', wt]), [...ops].reverse(), 'named explicitly');
  const u = repo.cli(['undo', '--yes']);
  assert.is(u.code, 1);
  assert.match(u.stderr, 'Nothing to undo');
  const named = repo.cli(['undo', ops[1], '--yes']);
  assert.is(named.code, 2);
  assert.match(named.stderr, `belongs to the work tree ${wt}`);
  assert.equal(captureState(repo.dir), main);
  assert.equal(captureState(wt), wtState);
  assert.is(repo.read('mine.txt').toString(), 'untracked in the main work tree\n');
}));

test('undo --worktree takes back the other work tree\'s operation there, and refuses once it moved on', withRepo(setup, ({ repo, wt, ops }) => {
  const main = captureState(repo.dir);
  const wtBefore = captureState(wt);
  const u = repo.cli(['undo', '--worktree', wt, '--yes']);
  assert.is(u.code, 0, u.stderr);
  // (branches are shared: wtbranch moved, as it should)
  assert.equal({ ...captureState(repo.dir), branches: '' }, { ...main, branches: '' }, 'the main work tree is untouched');
  assert.is(repo.git('rev-parse', 'main'), main.branches.match(/refs\/heads\/main (\w+)/)![1]);
  assert.is(readFileSync(path.join(wt, 'README.md'), 'utf8'), 'v1\n', 'wt is back to after its rollback');
  assert.equal(ids(wt).length, 3);
  assert.equal(ids(repo.dir), []);
  // wt moves on: a file changes there; undoing from here would discard it
  appendFileSync(path.join(wt, 'README.md'), 'work in wt\n');
  const moved = captureState(wt);
  const r = repo.cli(['undo', '--worktree', wt, '--yes']);
  assert.is(r.code, 2);
  assert.match(r.stderr, 'has moved on');
  assert.match(r.stderr, '"README.md" changed');
  assert.equal(captureState(wt), moved);
  // an operation that is not the newest there: refused too
  const old = repo.cli(['undo', '--worktree', wt, ops[0], '--yes']);
  assert.is(old.code, 2);
  assert.match(old.stderr, 'ran there after it');
  assert.match(r.stderr, `'reorg-guard -C ${wt} undo ${ids(wt)[0]} --force'`);
  // in wt itself, undo refuses the same way, and --force undoes all the same
  const here = cli(wt, ['undo', '--yes']);
  assert.is(here.code, 2);
  assert.match(here.stderr, '1 file created or changed ("README.md")');
  assert.equal(captureState(wt), moved);
  assert.is(cli(wt, ['undo', '--force', '--yes']).code, 0);
  assert.equal(captureState(wt), { ...wtBefore, branches: captureState(wt).branches });
}));

test("a journal from before (one for all work trees): a linked worktree's entry is refused in the main one", withRepo(setup, ({ repo, wt }) => {
  // what an earlier version wrote: wt's operations in the common journal
  mkdirSync(path.join(repo.dir, '.git/reorg-guard'), { recursive: true });
  const wtJournal = readFileSync(path.join(repo.dir, '.git/worktrees/wt/reorg-guard/journal.jsonl'), 'utf8');
  appendFileSync(path.join(repo.dir, '.git/reorg-guard/journal.jsonl'), wtJournal);
  repo.write('mine.txt', 'untracked in the main work tree\n');
  const main = captureState(repo.dir);
  const u = repo.cli(['undo', '--yes']);
  assert.is(u.code, 2, u.stderr);
  assert.match(u.stderr, 'which the work tree');
  assert.equal(captureState(repo.dir), main);
  assert.is(git(wt, 'symbolic-ref', 'HEAD'), 'refs/heads/wtbranch');
}));

test('the operation lock is per work tree: a live lock in the main one does not stop a linked worktree', withRepo(setup, ({ repo, wt }) => {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const start = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  const lock = { pid: process.pid, start, op: 'rollback-full', since: new Date().toISOString() };
  mkdirSync(path.join(repo.dir, '.git/reorg-guard'), { recursive: true });
  appendFileSync(path.join(repo.dir, '.git/reorg-guard/operation.lock'), JSON.stringify(lock) + '\n');
  const here = repo.cli(['rollback', 'full', '--yes']);
  assert.is(here.code, 2, 'the main work tree is locked');
  const there = cli(wt, ['rollback', 'full', '--yes']);
  assert.is(there.code, 0, there.stderr);
}));

test('a worktree added with --no-checkout has no index file (an empty index to git): backup, rollback full and undo keep it empty', withRepo({ files: { 'README.md': 'v1\n', 'pkg/a.txt': 'a\n' } }, (repo) => {
  const wt = path.join(repo.base, 'bare-wt');
  repo.git('worktree', 'add', '-q', '--no-checkout', wt, '-b', 'nocheckout');
  const empty = captureState(wt);
  assert.is(empty.index, '', 'git sees an empty index');
  assert.match(git(wt, 'status', '--porcelain'), /^D  README.md$/m, 'every file of HEAD staged as deleted');
  const b = cli(wt, ['backup', '--no-push', '--json']);
  assert.is(b.code, 0, b.stderr);
  const backup = JSON.parse(b.stdout).branch;
  // the snapshot's index commit holds the empty tree, not HEAD's
  assert.is(git(wt, 'rev-parse', `${JSON.parse(b.stdout).snapshot}^2^{tree}`), git(wt, 'hash-object', '-t', 'tree', '/dev/null'));
  git(wt, 'checkout', '-q', 'HEAD', '--', '.');
  const checkedOut = captureState(wt);
  assert.is(cli(wt, ['rollback', 'full', '--to', backup, '--yes']).code, 0);
  const back = captureState(wt);
  assert.is(back.index, '', 'the rollback leaves the index empty, as it was');
  assert.equal(back.files, empty.files);
  assert.not.match(git(wt, 'status', '--porcelain'), /^ D/m, 'no deletion shows as unstaged');
  assert.is(cli(wt, ['undo', '--yes']).code, 0);
  assert.equal(captureState(wt), checkedOut, 'undo: the checked-out files and their index');
}));

test('--worktree naming a folder that is no work tree of this repository: one line about --worktree, exit 2, nothing changed', withRepo(() => makeRepo({ files: { 'README.md': 'v1\n' } }), (repo) => {
  const before = captureState(repo.dir);
  for (const [args, dir] of [[['log'], repo.base], [['undo', '--yes'], repo.base], [['undo', '--yes'], path.join(repo.base, 'no-such-folder')]] as const) {
    const r = repo.cli([...args, '--worktree', dir]);
    assert.is(r.code, 2, `${args.join(' ')} ${dir}: ${r.stderr}`);
    assert.is(r.stderr.trim(), `error: ${dir} is not a work tree of this repository ('git worktree list' shows them). Nothing was changed.`);
  }
  assert.equal(captureState(repo.dir), before);
}));

test.run();
