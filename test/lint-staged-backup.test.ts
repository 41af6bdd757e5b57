/** The backup lint-staged runs holds the user's work tree, not the one lint-staged left while it runs. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
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

test.run();
