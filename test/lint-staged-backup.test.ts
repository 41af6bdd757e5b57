/** The backup lint-staged runs holds the user's work tree, not the one lint-staged left while it runs. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { withRepo, type TestRepo } from './helpers/repo.js';
import { backupBranches, gitRun, makeNpmProject, runHuskyPrepare } from './helpers/hooks.js';

const PROTO = 'proto/gcommon/v1/queue/queue.proto';
const FILES = { 'README.md': '# team\n', [PROTO]: 'syntax = "proto3";\n\nmessage Job {\n  string id = 1;\n}\n' };

/** A partly staged proto committed through lint-staged; returns the work file as the user has it and the backup's snapshot. */
function partlyStagedCommit(repo: TestRepo, eol = '\n') {
  const lf = 'syntax = "proto3";\n\nmessage Job {\n  string id = 1;\n  string name = 2;\n}\n';
  const [staged, work] = [lf, `${lf}\nmessage Draft {\n  string note = 1;\n}\n`].map((t) => t.replaceAll('\n', eol));
  repo.write(PROTO, staged);
  repo.git('add', PROTO);
  repo.write(PROTO, work);
  const c = gitRun(repo, ['commit', '-q', '-m', 'name field']);
  assert.is(c.code, 0, c.stdout + c.stderr);
  // lint-staged gave the unstaged part back
  assert.is(repo.read(PROTO).toString(), work);
  const [name] = backupBranches(repo);
  assert.ok(name, c.stdout + c.stderr);
  return { staged, work, snap: `refs/reorg-guard/snapshots/${name}` };
}

function lintStagedRepo(repo: TestRepo, attributes?: string) {
  makeNpmProject(repo);
  runHuskyPrepare(repo);
  const r = repo.cli(['init', '--lint-staged']);
  assert.is(r.code, 0, r.stderr);
  if (attributes) repo.write('.gitattributes', attributes);
  repo.git('add', '-A');
  repo.git('commit', '-q', '--no-verify', '-m', 'init');
}

test('lint-staged: the backup holds the unstaged part of a partly staged guarded file', withRepo({ files: FILES }, (repo) => {
  lintStagedRepo(repo);
  const { staged, work, snap } = partlyStagedCommit(repo);
  assert.is(repo.git('show', `${snap}:${PROTO}`) + '\n', work, 'the work tree as the user had it');
  assert.is(repo.git('show', `${snap}^2:${PROTO}`) + '\n', staged, 'the index as the user had it');
}));

test('lint-staged with eol=crlf: the snapshot holds the work file\'s bytes, unstaged part included', withRepo({ files: FILES }, (repo) => {
  lintStagedRepo(repo, '*.proto text eol=crlf\n');
  repo.write(PROTO, FILES[PROTO].replaceAll('\n', '\r\n'));
  const { work, snap } = partlyStagedCommit(repo, '\r\n');
  assert.is(repo.git('cat-file', 'blob', `${snap}:${PROTO}`) + '\n', work);
}));

test('a patch lint-staged left behind: only the files still as the index has them (or, absent, that it lacks) take its part back', withRepo({ files: { 'a.txt': 'one\n', 'b.txt': 'one\n' } }, (repo) => {
  for (const f of ['a.txt', 'b.txt']) {
    repo.write(f, 'one\ntwo\n');
    repo.git('add', f);
    repo.write(f, 'one\ntwo\nthree\n');
  }
  repo.write('c.txt', 'new\n');
  repo.git('add', 'c.txt');
  // lint-staged's patch (index to work tree, --unified=0), c.txt's as a new file
  const patch = [repo.git('diff', '--binary', '--unified=0'), repo.git('diff', '--cached', '--binary', '--unified=0', '--', 'c.txt')].join('\n') + '\n';
  repo.git('reset', '-q', '--', 'c.txt');
  repo.write(path.join('.git', 'lint-staged_unstaged.patch'), patch);
  // as lint-staged leaves them while its tasks run: a.txt as the index has it, c.txt gone; b.txt
  // edited since (a run that died left the patch): not hidden
  repo.git('checkout', '--', 'a.txt');
  rmSync(path.join(repo.dir, 'c.txt'));
  repo.write('b.txt', 'one\ntwo\nedited\n');
  const b = repo.cli(['backup', '--no-push']);
  assert.is(b.code, 0, b.stderr);
  const snap = `refs/reorg-guard/snapshots/${backupBranches(repo)[0]}`;
  assert.is(repo.git('show', `${snap}:a.txt`), 'one\ntwo\nthree', 'hidden: the patch put back');
  assert.is(repo.git('show', `${snap}:b.txt`), 'one\ntwo\nedited', 'not hidden: as it is');
  assert.is(repo.git('show', `${snap}:c.txt`), 'new', 'absent in both: the patch put back');
}));

test.run();
