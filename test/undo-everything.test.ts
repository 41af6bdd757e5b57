/**
 * Every command that moves work out of the tree is taken back by the one generic `undo`:
 * emergency-stop --stash and a restore into the work tree, end to end, byte for byte.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readlinkSync, symlinkSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import { conflictedMerge, makeRepo, withRepo } from './helpers/repo.js';
import { captureState } from './helpers/state.js';

function dirtyRepo() {
  const repo = makeRepo({ files: { 'README.md': '# test\n', 'proto/a.proto': 'syntax = "proto3";\n', '.gitignore': 'ignored.log\n*.secret\n' } });
  repo.write('proto/a.proto', 'syntax = "proto3";\nmessage Edited {}\n');
  repo.write('staged new.txt', 'staged\n');
  repo.git('add', 'staged new.txt');
  repo.write('notes ü\nwith newline.md', 'untracked notes\n');
  repo.write('bin/blob.bin', Buffer.from([0, 1, 2, 255, 254]));
  repo.write('ignored.log', 'ignored\n');
  repo.write('keys.secret', 'ignored, and archived (archives leave out only *.log and the like)\n');
  return repo;
}

test('emergency-stop --stash, then undo: the work comes back byte for byte, index included', withRepo(dirtyRepo, (repo) => {
  const before = captureState(repo.dir);
  const stop = repo.cli(['emergency-stop', '--stash', '--yes', '--json']);
  assert.is(stop.code, 0, stop.stderr);
  const { operation } = JSON.parse(stop.stdout);
  assert.is(repo.git('status', '--porcelain'), '', 'the work was moved out');
  const undo = repo.cli(['undo', operation, '--yes']);
  assert.is(undo.code, 0, undo.stderr);
  assert.equal(captureState(repo.dir), before);
}));

test('restore of an archive into the work tree, then undo: the present comes back', withRepo(dirtyRepo, (repo) => {
  symlinkSync('README.md', path.join(repo.dir, 'link.secret')); // an ignored symlink
  const archived = repo.cli(['archive', '--json']);
  assert.is(archived.code, 0, archived.stderr);
  const { path: archive } = JSON.parse(archived.stdout);
  unlinkSync(path.join(repo.dir, 'link.secret'));
  symlinkSync('proto/a.proto', path.join(repo.dir, 'link.secret'));
  repo.write('proto/a.proto', 'syntax = "proto3";\nmessage EditedAgain {}\n');
  repo.write('later.txt', 'made after the archive\n');
  repo.write('keys.secret', 'ignored, newer than the archive\n'); // no snapshot holds an ignored file
  const before = captureState(repo.dir);
  const restored = repo.cli(['restore', archive, '--to', '.', '--force', '--yes']);
  assert.is(restored.code, 0, restored.stderr);
  assert.match(repo.read('proto/a.proto').toString(), /message Edited \{\}/);
  // the plan says where the replaced files were moved (ignored ones are not in the snapshot)
  const plan = repo.cli(['undo', '--dry-run']);
  assert.match(plan.stdout + plan.stderr, /replaced are kept in .*reorg-guard\/replaced.*2 of them \(ignored files/);
  assert.match(repo.read('keys.secret').toString(), /and archived/, 'restore put the archive\'s version there');
  assert.is(readlinkSync(path.join(repo.dir, 'link.secret')), 'README.md', 'and the archive\'s link');
  const undo = repo.cli(['undo', '--yes']);
  assert.is(undo.code, 0, undo.stderr);
  assert.equal(captureState(repo.dir), before);
  assert.is(readlinkSync(path.join(repo.dir, 'link.secret')), 'proto/a.proto', 'the link as it was before the restore');
}));

test('in the middle of a merge with conflicts, rollback refuses and emergency-stop --stash leaves the work in place', withRepo({ files: { 'README.md': 'base\n' } }, (repo) => {
  assert.is(repo.cli(['backup']).code, 0);
  conflictedMerge(repo, 'README.md');
  const stages = repo.git('ls-files', '-s');
  const before = captureState(repo.dir);
  const r = repo.cli(['rollback', 'full', '--yes']);
  assert.is(r.code, 2, r.stderr);
  assert.match(r.stderr, /A merge is in progress.*git merge --abort/);
  assert.equal(captureState(repo.dir), before);
  assert.is(repo.git('ls-files', '-s'), stages, 'the three conflict stages are untouched');
  assert.ok(existsSync(path.join(repo.dir, '.git/MERGE_HEAD')));

  const stop = repo.cli(['emergency-stop', '--stash', '--yes', '--json']);
  assert.is(stop.code, 0, stop.stderr);
  assert.is(JSON.parse(stop.stdout).stashed, false);
  assert.match(stop.stderr, /A merge is in progress: the uncommitted work was left in place/);
  assert.is(repo.git('ls-files', '-s'), stages);
  assert.ok(existsSync(path.join(repo.dir, '.git/MERGE_HEAD')));
}));

test.run();
