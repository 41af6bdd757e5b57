/**
 * Permission bits: a git tree keeps 644 or 755 only, and git writes files with 0666 or 0777 less
 * the umask. A private file (0600) that a rollback removes or overwrites must come back private
 * from undo, and a backup's uncommitted private file from a rollback to it.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { chmodSync, statSync } from 'node:fs';
import path from 'node:path';
import { makeRepo, withRepo, type TestRepo } from './helpers/repo.js';
import { captureState } from './helpers/state.js';

const bits = (repo: TestRepo, rel: string) => (statSync(path.join(repo.dir, rel)).mode & 0o7777).toString(8);

function withPrivateFiles(repo: TestRepo): Record<string, string> {
  repo.write('notes.txt', 'secret, untracked\n');
  repo.write('README.md', 'changed, tracked\n');
  repo.write('tool.sh', '#!/bin/sh\necho private tool\n');
  chmodSync(path.join(repo.dir, 'notes.txt'), 0o600);
  chmodSync(path.join(repo.dir, 'README.md'), 0o600);
  chmodSync(path.join(repo.dir, 'key.pem'), 0o400);
  chmodSync(path.join(repo.dir, 'tool.sh'), 0o700);
  return { 'notes.txt': '600', 'README.md': '600', 'key.pem': '400', 'tool.sh': '700' };
}

/** The same repositories, and one where git converts line endings (`eol=crlf`): snapshots hold bytes there. */
const REPOS: Array<[string, Record<string, string>]> = [
  ['', {}],
  [' (eol=crlf in the attributes)', { '.gitattributes': '*.proto text eol=crlf\n*.md text eol=crlf\n', 'api.proto': 'syntax = "proto3";\r\n' }],
];

for (const [where, extra] of REPOS) {
test(`rollback full then undo: private files (untracked, changed, unchanged but rewritten) come back with their bits${where}`, withRepo(() => makeRepo({ files: { 'README.md': 'v1\n', 'key.pem': 'key v1\n', ...extra } }), (repo) => {
  assert.is(repo.cli(['backup', '--no-push']).code, 0);
  repo.write('key.pem', 'key v2\n'); // unchanged since the commit below: the rollback rewrites it
  repo.git('commit', '-qam', 'v2');
  const want = withPrivateFiles(repo);
  const before = captureState(repo.dir);
  const r = repo.cli(['rollback', 'full', '--yes']);
  assert.is(r.code, 0, r.stderr);
  assert.is(repo.read('key.pem').toString(), 'key v1\n');
  const u = repo.cli(['undo', '--yes']);
  assert.is(u.code, 0, u.stderr);
  assert.equal(captureState(repo.dir), { ...before, branches: captureState(repo.dir).branches });
  for (const [rel, mode] of Object.entries(want)) assert.is(bits(repo, rel), mode, rel);
}));

test(`a backup's uncommitted private file comes back private from a rollback to it${where}`, withRepo(() => makeRepo({ files: { 'README.md': 'v1\n', 'key.pem': 'key\n', ...extra } }), (repo) => {
  const want = withPrivateFiles(repo);
  const b = repo.cli(['backup', '--no-push']);
  assert.is(b.code, 0, b.stderr);
  repo.git('stash', '-u', '-q'); // the user's own way of clearing the tree
  repo.git('stash', 'drop', '-q');
  chmodSync(path.join(repo.dir, 'key.pem'), 0o644);
  const r = repo.cli(['rollback', 'full', '--yes']);
  assert.is(r.code, 0, r.stderr);
  assert.is(repo.read('notes.txt').toString(), 'secret, untracked\n');
  for (const rel of ['notes.txt', 'README.md', 'tool.sh']) assert.is(bits(repo, rel), want[rel], rel);
}));
}

test.run();
