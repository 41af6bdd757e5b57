/**
 * Submodules (issue 15, item 2): a superproject holds each one as a gitlink (its commit).
 * Snapshots and restores keep gitlinks as gitlinks, leave the submodule's own work alone and
 * name it, and strand nothing the superproject holds.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { git, makeRepo, withRepo, type TestRepo } from './helpers/repo.js';
import { captureState } from './helpers/state.js';

/** A repository with a submodule `sub` (file `f`), committed and pushed, plus a backup of that. */
function withSubmodule(): TestRepo {
  const repo = makeRepo();
  const src = path.join(repo.base, 'sub-src');
  mkdirSync(src);
  git(src, 'init', '-q', '--initial-branch=main');
  writeFileSync(path.join(src, 'f'), 'one\n');
  git(src, 'add', 'f');
  git(src, 'commit', '-q', '-m', 's1');
  repo.git('-c', 'protocol.file.allow=always', 'submodule', 'add', '-q', src, 'sub');
  repo.git('commit', '-q', '-m', 'add submodule');
  const b = repo.cli(['backup', '--no-push']);
  assert.is(b.code, 0, b.stderr);
  return repo;
}

const gitlink = (repo: TestRepo) => repo.git('ls-files', '-s', 'sub');

test('rollback full and undo with a dirty submodule: gitlinks stay gitlinks, its work is named and left alone', withRepo(withSubmodule, (repo) => {
  repo.write('sub/f', 'dirty inside the submodule\n');
  repo.write('README.md', 'superproject change\n');
  repo.write('new.txt', 'untracked\n');
  const before = captureState(repo.dir);
  const r = repo.cli(['rollback', 'full', '--yes']);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stderr, /submodule "sub".*another|"sub".*belongs to that repository/);
  assert.is(repo.read('README.md').toString(), '# test\n');
  assert.is(repo.read('sub/f').toString(), 'dirty inside the submodule\n', 'the submodule is not ours to roll back');
  assert.match(gitlink(repo), /^160000 /);
  const u = repo.cli(['undo', '--yes']);
  assert.is(u.code, 0, u.stderr);
  assert.equal(captureState(repo.dir), before);
}));

test('emergency-stop --stash then undo: a staged submodule commit and the superproject change come back', withRepo(withSubmodule, (repo) => {
  const sub = path.join(repo.dir, 'sub');
  writeFileSync(path.join(sub, 'f'), 'two\n');
  git(sub, 'commit', '-q', '-am', 's2');
  repo.git('add', 'sub');
  repo.write('README.md', 'superproject change\n');
  repo.write('sub/f', 'dirty on top of s2\n');
  const before = captureState(repo.dir);
  const staged = gitlink(repo);
  const s = repo.cli(['emergency-stop', '--stash', '--yes']);
  assert.is(s.code, 0, s.stderr);
  assert.match(s.stderr, '"sub"');
  assert.is(repo.read('README.md').toString(), '# test\n');
  assert.is.not(gitlink(repo), staged);
  const u = repo.cli(['undo', '--yes']);
  assert.is(u.code, 0, u.stderr);
  assert.is(gitlink(repo), staged, 'the staged gitlink is back');
  assert.equal(captureState(repo.dir), before);
}));

test('rollback full to a backup that records another submodule commit says so and leaves the submodule', withRepo(withSubmodule, (repo) => {
  const recorded = gitlink(repo).split(' ')[1];
  const sub = path.join(repo.dir, 'sub');
  writeFileSync(path.join(sub, 'f'), 'two\n');
  git(sub, 'commit', '-q', '-am', 's2');
  repo.git('commit', '-q', '-am', 'bump submodule');
  const r = repo.cli(['rollback', 'full', '--yes']);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout + r.stderr, `the restored index records ${recorded.slice(0, 12)}`);
  assert.is(gitlink(repo).split(' ')[1], recorded);
  assert.is(repo.read('sub/f').toString(), 'two\n');
}));

test.run();
