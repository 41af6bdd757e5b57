import { test } from 'uvu';
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import * as assert from 'uvu/assert';
import { openRepo } from '../src/git/repo.js';
import { beginOperation, endOperation } from '../src/state/journal.js';
import { captureState, makeGcommonRepo } from './helpers/state.js';
import { withRepo, type TestRepo } from './helpers/repo.js';

/** A messy state: staged, unstaged, untracked, ignored, a second branch. */
function mess(repo: TestRepo): void {
  repo.write('.gitignore', 'ignored.txt\n');
  repo.write('ignored.txt', 'never touched\n');
  repo.git('add', '.gitignore');
  repo.git('commit', '-q', '-m', 'ignore');
  repo.git('branch', 'other');
  repo.write('README.md', 'staged\n');
  repo.git('add', 'README.md');
  repo.write('README.md', 'staged, then edited\n');
  repo.write('dir with space/ünïcode\nnewline.txt', 'untracked, odd name\n');
  repo.write('tool.sh', '#!/bin/sh\n');
  repo.git('add', 'tool.sh');
  repo.git('update-index', '--chmod=+x', 'tool.sh');
}

test('an operation begun and ended leaves no git process of its own running: the process exits', withRepo((repo) => {
  repo.write('README.md', 'changed\n');
  const src = (f: string) => new URL(`../src/${f}`, import.meta.url).href;
  const script = [
    `import { openRepo } from '${src('git/repo.ts')}';`,
    `import { beginOperation, endOperation } from '${src('state/journal.ts')}';`,
    `const r = await openRepo(${JSON.stringify(repo.dir)});`,
    `const begun = await beginOperation(r, 'emergency-stop', { stash: true }, {});`,
    `await endOperation(r, begun, 'emergency-stop', 'done');`,
  ].join('\n');
  // (tsx comes with NODE_OPTIONS, as for this test)
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });
  assert.is(run.signal, null, 'it exited by itself: a git process left waiting on its stdin (the update-ref) kept it alive');
  assert.is(run.status, 0, run.stderr);
  assert.ok(repo.git('for-each-ref', 'refs/reorg-guard/safety/'), 'the safety ref was made');
}));

test('entries added with git add -N come back intended to add, odd names included', withRepo(async (repo) => {
  repo.write('planned.txt', 'not staged yet\n');
  repo.write('odd dir/ünï\ncode.txt', 'odd\n');
  repo.git('add', '-N', 'planned.txt', 'odd dir/ünï\ncode.txt');
  const intended = () => repo.git('diff', '--name-only', '-z', '--diff-filter=A').split('\0').filter(Boolean).sort();
  assert.equal(intended(), ['odd dir/ünï\ncode.txt', 'planned.txt']);
  const r = await openRepo(repo.dir);
  const begun = await beginOperation(r, 'emergency-stop', { stash: true }, {});
  repo.git('reset', '-q');
  repo.git('clean', '-qfd');
  await endOperation(r, begun, 'emergency-stop', 'done');
  assert.equal(intended(), []);
  const dry = repo.cli(['undo', '--dry-run']);
  assert.match(dry.stdout, '2 paths marked again as intended to add');
  const u = repo.cli(['undo', '--yes']);
  assert.is(u.code, 0, u.stderr);
  assert.equal(intended(), ['odd dir/ünï\ncode.txt', 'planned.txt']);
  assert.is(repo.read('planned.txt').toString(), 'not staged yet\n');
}));

test('a tracked file turned into a folder and a folder turned into a file: the safety snapshot holds the work tree, undo brings it back', withRepo(async (repo) => {
  repo.write('was-file', 'a file\n');
  repo.write('was-dir/inside.txt', 'in a folder\n');
  repo.git('add', '-A');
  repo.git('commit', '-q', '-m', 'shapes');
  // the work tree now: each path the other kind, neither staged
  rmSync(path.join(repo.dir, 'was-file'));
  repo.write('was-file/now-inside.txt', 'now in a folder\n');
  rmSync(path.join(repo.dir, 'was-dir'), { recursive: true });
  repo.write('was-dir', 'now a file\n');
  const before = captureState(repo.dir);
  const r = await openRepo(repo.dir);
  const begun = await beginOperation(r, 'emergency-stop', { stash: true }, {});
  const tree = repo.git('ls-tree', '-r', '--name-only', `${begun.snapshot.commit}^{tree}`).split('\n');
  assert.ok(tree.includes('was-file/now-inside.txt') && tree.includes('was-dir'), tree.join(' '));
  assert.not.ok(tree.includes('was-file') || tree.includes('was-dir/inside.txt'), tree.join(' '));
  repo.git('reset', '-q', '--hard');
  repo.git('clean', '-qfd');
  await endOperation(r, begun, 'emergency-stop', 'done');
  const u = repo.cli(['undo', '--yes']);
  assert.is(u.code, 0, u.stderr);
  assert.equal(captureState(repo.dir), before);
}));

test('undo restores any journaled operation: HEAD, branch, index and work tree, byte for byte', withRepo(async (repo) => {
  mess(repo);
  const before = captureState(repo.dir);
  // another command (e.g. emergency-stop --stash) journals itself, then changes everything
  const r = await openRepo(repo.dir);
  const begun = await beginOperation(r, 'emergency-stop', { stash: true }, {});
  repo.git('stash', '-q', '-u');
  repo.git('checkout', '-q', 'other');
  repo.write('new-after.txt', 'x\n');
  repo.git('add', 'new-after.txt');
  repo.git('commit', '-q', '-m', 'later');
  repo.write('ignored.txt', 'changed by the user, still ignored\n');
  await endOperation(r, begun, 'emergency-stop', 'done');

  const messy = captureState(repo.dir);
  const dry = repo.cli(['undo', '--dry-run']);
  assert.is(dry.code, 0, dry.stderr);
  assert.match(dry.stdout, 'move refs/heads/main');
  assert.match(dry.stdout, '- new-after.txt');
  assert.equal(captureState(repo.dir), messy, 'a dry run changes nothing');
  assert.is(repo.cli(['undo']).code, 2, 'no terminal, no --yes: refused');
  assert.equal(captureState(repo.dir), messy);
  const u = repo.cli(['undo', '--yes', '--json']);
  assert.is(u.code, 0, u.stderr);
  const after = captureState(repo.dir);
  before.files['ignored.txt'] = after.files['ignored.txt']; // ignored: left as the user has it
  assert.equal(after, { ...before, branches: after.branches });
  assert.is(repo.git('rev-parse', 'main'), before.branches.match(/refs\/heads\/main (\w+)/)![1]);
  assert.is(repo.read('ignored.txt').toString(), 'changed by the user, still ignored\n');

  // undo of the undo: back to the state the undo started from
  const id = JSON.parse(u.stdout).operation;
  assert.is(repo.cli(['undo', id, '--yes']).code, 0);
  assert.is(repo.git('symbolic-ref', 'HEAD'), 'refs/heads/other');
  assert.is(repo.read('new-after.txt').toString(), 'x\n');

  const log = JSON.parse(repo.cli(['log', '--json']).stdout);
  assert.equal(log.map((o: { op: string }) => o.op), ['undo', 'undo', 'emergency-stop']);
  assert.ok(log.every((o: { status: string }) => o.status === 'done'));
}));

test('undo brings back a detached HEAD', withRepo(() => makeGcommonRepo(0.01), (repo) => {
  repo.cli(['backup']);
  repo.write('go.mod', 'edited\n');
  repo.git('commit', '-q', '-am', 'edit');
  repo.git('checkout', '-q', '--detach', 'HEAD');
  repo.write('scratch.txt', 'untracked\n');
  const before = captureState(repo.dir);
  assert.is(repo.cli(['rollback', 'full', '--yes']).code, 0);
  assert.not.equal(captureState(repo.dir), before);
  assert.is(repo.cli(['undo', '--yes']).code, 0);
  assert.equal(captureState(repo.dir), before);
}));

test('rollback full and undo across a file that became a folder and back; a nested repository stays', withRepo({ files: { 'README.md': '# r\n', 'a': 'a file\n', 'd/x.txt': 'in a folder\n' } }, (repo) => {
  const b = JSON.parse(repo.cli(['backup', '--json']).stdout).branch;
  repo.git('rm', '-q', 'a', 'd/x.txt');
  repo.write('a/inside.txt', 'now a folder\n');
  repo.write('d', 'now a file\n');
  repo.write('nested/inner.txt', 'a repository of its own: never touched\n');
  repo.git('-C', 'nested', 'init', '-q');
  const before = captureState(repo.dir);
  const r = repo.cli(['rollback', 'full', '--to', b, '--yes']);
  assert.is(r.code, 0, r.stderr);
  assert.is(repo.read('a').toString(), 'a file\n');
  assert.is(repo.read('d/x.txt').toString(), 'in a folder\n');
  assert.not.match(r.stdout, 'nested');
  assert.is(repo.read('nested/inner.txt').toString(), 'a repository of its own: never touched\n');
  assert.is(repo.cli(['undo', '--yes']).code, 0);
  assert.equal(captureState(repo.dir), before);
}));

test('undo refuses to discard commits and files made after the operation, naming them; --force lists them in the plan and they stay recoverable', withRepo({ files: { 'README.md': '# r\n', 'pkg/auth/proto/user.proto': 'syntax = "proto3";\n' } }, (repo) => {
  assert.is(repo.cli(['backup', '--no-push']).code, 0);
  repo.git('mv', 'pkg/auth/proto/user.proto', 'user.proto');
  repo.git('commit', '-q', '-m', 'move auth');
  const moved = repo.git('rev-parse', 'HEAD');
  const rb = repo.cli(['rollback', 'full', '--yes', '--json']);
  assert.is(rb.code, 0, rb.stderr);
  const id = JSON.parse(rb.stdout).operation;
  // work after the rollback: a commit and a file never committed
  repo.write('after.txt', 'keep me\n');
  repo.git('add', 'after.txt');
  repo.git('commit', '-q', '-m', 'work after rollback');
  const later = repo.git('rev-parse', 'HEAD');
  repo.write('after2.txt', 'uncommitted\n');
  const state = captureState(repo.dir);

  for (const args of [['undo', '--yes'], ['undo', '--dry-run']]) {
    const r = repo.cli(args);
    assert.is(r.code, 2, r.stdout + r.stderr);
    assert.is(r.stderr.trim().split('\n').length, 1, 'one line');
    assert.match(r.stderr, `Undoing ${id} would discard work done since it: 1 commit (${later.slice(0, 10)}) and 2 files created or changed ("after.txt", "after2.txt")`);
    assert.match(r.stderr, `'reorg-guard undo ${id} --force'`);
    assert.equal(captureState(repo.dir), state, 'nothing changed');
  }

  const dry = repo.cli(['undo', '--force', '--dry-run']);
  assert.is(dry.code, 0, dry.stderr);
  assert.match(dry.stdout, `note: discarded: commit ${later.slice(0, 10)} "work after rollback"`);
  assert.match(dry.stdout, 'note: discarded: "after.txt", created or changed since');
  assert.match(dry.stdout, 'note: discarded: "after2.txt", created or changed since');
  const u = repo.cli(['undo', '--force', '--yes', '--json']);
  assert.is(u.code, 0, u.stderr);
  assert.equal(JSON.parse(u.stdout).discards, { commits: [later], files: ['after.txt', 'after2.txt'] });
  assert.is(repo.git('rev-parse', 'HEAD'), moved, 'back to before the rollback');
  assert.not.ok(repo.git('ls-files', '--others', '--exclude-standard').includes('after'));

  // the undo of that undo brings the commit and both files back, byte for byte
  assert.is(repo.cli(['undo', '--yes']).code, 0);
  assert.equal(captureState(repo.dir), state);
  assert.is(repo.git('rev-parse', 'HEAD'), later);
  assert.is(repo.read('after2.txt').toString(), 'uncommitted\n');
}));

test('undo and log: clear refusals', withRepo((repo) => {
  const none = repo.cli(['undo', '--yes']);
  assert.is(none.code, 1);
  assert.match(none.stderr, 'Nothing to undo');
  assert.match(repo.cli(['log']).stdout, 'No operations');
  assert.is(repo.cli(['undo', 'no-such-op', '--yes']).code, 2);
  assert.is(repo.cli(['undo', '--', '-rf', '--yes']).code, 2);
}));

test('a folder that became a symlink to a folder outside the repository: rollback and undo never delete through it', withRepo({ files: { 'README.md': '# r\n', 'pkg/auth/proto/user.proto': 'syntax = "proto3";\n', 'pkg/auth/proto/user.pb.go': '// gen\n', 'pkg/queue/proto/job.proto': 'syntax = "proto3";\n' } }, (repo) => {
  const b = JSON.parse(repo.cli(['backup', '--no-push', '--json']).stdout).branch;
  repo.git('rm', '-q', '-r', 'pkg/auth');
  repo.git('commit', '-q', '-m', 'auth goes');
  // pkg/auth now points at a folder of someone else's, holding files of the same names
  const outside = path.join(repo.base, 'outside');
  mkdirSync(path.join(outside, 'proto'), { recursive: true });
  writeFileSync(path.join(outside, 'proto/user.proto'), 'not the repository\'s\n');
  writeFileSync(path.join(outside, 'proto/user.pb.go'), 'not the repository\'s either\n');
  symlinkSync(outside, path.join(repo.dir, 'pkg/auth'));
  const before = captureState(repo.dir);
  const theirs = () => [readFileSync(path.join(outside, 'proto/user.proto'), 'utf8'), readFileSync(path.join(outside, 'proto/user.pb.go'), 'utf8')];
  const untouched = theirs();
  for (const args of [['rollback', 'full', '--to', b], ['rollback', 'selective', '--domain', 'auth', '--to', b]]) {
    const r = repo.cli([...args, '--yes']);
    assert.is(r.code, 0, r.stderr);
    assert.equal(theirs(), untouched, `${args[1]}: the folder outside is untouched`);
    assert.is(repo.read('pkg/auth/proto/user.proto').toString(), 'syntax = "proto3";\n');
    const u = repo.cli(['undo', '--yes']);
    assert.is(u.code, 0, u.stderr);
    assert.equal(theirs(), untouched, `undo of ${args[1]}: nothing deleted through the symlink`);
    assert.equal(captureState(repo.dir), before, `undo of ${args[1]}: the symlink is back`);
  }
}));

test.run();
