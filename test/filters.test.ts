/**
 * Bytes are bytes (issue 15, item 4): whatever git's attributes say (eol, text, ident, a custom
 * filter driver), a snapshot holds the work tree's exact bytes and a restore writes them back.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { rmSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { makeRepo, withRepo, type TestRepo } from './helpers/repo.js';
import { captureState } from './helpers/state.js';

/** Each conversion kind, with tracked files committed through it. */
function withAttributes(): TestRepo {
  const repo = makeRepo({
    files: {
      '.gitattributes': '*.crlf text eol=crlf\n*.txt text\n*.id ident\n*.up filter=upper\n',
      'a.crlf': 'one\ntwo\n',
      'a.txt': 'one\ntwo\n',
      'a.id': '$Id$\n',
      'a.up': 'tracked\n',
    },
  });
  // clean upper-cases, smudge leaves as is: a file never comes back from git as it went in
  repo.git('config', 'filter.upper.clean', 'tr a-z A-Z');
  repo.git('config', 'filter.upper.smudge', 'cat');
  // the tracked files as git checks them out (CRLF, expanded $Id$...)
  for (const f of ['a.crlf', 'a.txt', 'a.id', 'a.up']) rmSync(path.join(repo.dir, f));
  repo.git('checkout', '--', '.');
  return repo;
}

/** Work whose bytes git would change on the way in or out: tracked and untracked, every kind. */
function bytesGitWouldChange(repo: TestRepo): void {
  const work = {
    'new.crlf': 'lf only\n', // the case of the issue: came back CRLF
    'mixed.crlf': 'crlf\r\nlf\n',
    'new.txt': 'crlf\r\n',
    'a.txt': 'edited with crlf\r\n',
    'new.id': '$Id: 0123456789abcdef $\n',
    'new.up': 'lower case\n',
    'a.up': 'edited, lower\n',
  };
  for (const [rel, text] of Object.entries(work)) repo.write(rel, text);
  symlinkSync('a.crlf', path.join(repo.dir, 'link.crlf')); // a link is never converted: git add takes it
}

test('rollback full then undo gives every file back byte for byte: eol=crlf, text, ident, a filter driver', withRepo(withAttributes, (repo) => {
  assert.is(repo.cli(['backup', '--no-push']).code, 0);
  bytesGitWouldChange(repo);
  const before = captureState(repo.dir);
  const r = repo.cli(['rollback', 'full', '--yes']);
  assert.is(r.code, 0, r.stderr);
  const u = repo.cli(['undo', '--yes']);
  assert.is(u.code, 0, u.stderr);
  assert.equal(captureState(repo.dir), { ...before, branches: captureState(repo.dir).branches });
  assert.is(repo.read('new.crlf').toString(), 'lf only\n');
  assert.is(repo.read('new.up').toString(), 'lower case\n');
}));

test('a backup with uncommitted work, then rollback full to it: the work comes back as bytes', withRepo(withAttributes, (repo) => {
  bytesGitWouldChange(repo);
  const work = captureState(repo.dir);
  const b = repo.cli(['backup', '--no-push']);
  assert.is(b.code, 0, b.stderr);
  assert.match(b.stdout, 'Uncommitted work saved');
  repo.git('stash', '-u', '-q'); // (the user's own way of clearing the tree)
  repo.git('stash', 'drop', '-q');
  const r = repo.cli(['rollback', 'full', '--yes']);
  assert.is(r.code, 0, r.stderr);
  const now = captureState(repo.dir);
  assert.equal(now.files, work.files);
}));

test('files git converts, unchanged since checkout, are nothing uncommitted', withRepo(withAttributes, (repo) => {
  const b = repo.cli(['backup', '--no-push']);
  assert.is(b.code, 0, b.stderr);
  assert.match(b.stdout, 'Nothing uncommitted');
}));

test('emergency-stop --stash then undo: byte for byte', withRepo(withAttributes, (repo) => {
  bytesGitWouldChange(repo);
  const before = captureState(repo.dir);
  assert.is(repo.cli(['emergency-stop', '--stash', '--yes']).code, 0);
  assert.is(repo.cli(['undo', '--yes']).code, 0);
  assert.equal(captureState(repo.dir), before);
}));

test('an attributes file that only the backup holds comes back with its files as bytes, in a repository that converts nothing now', withRepo(() => makeRepo({ files: { 'README.md': 'x\n' } }), (repo) => {
  // uncommitted: an attributes file of the user's and files it would convert
  repo.write('.gitattributes', '*.crlf text eol=crlf\n');
  repo.write('new.crlf', 'lf only\n');
  repo.write('mixed.crlf', 'crlf\r\nlf\n');
  const work = captureState(repo.dir);
  const b = repo.cli(['backup', '--no-push']);
  assert.is(b.code, 0, b.stderr);
  assert.match(b.stdout, 'Uncommitted work saved');
  repo.git('stash', '-u', '-q'); // the tree is clean and holds no attributes file now
  repo.git('stash', 'drop', '-q');
  const r = repo.cli(['rollback', 'full', '--yes']);
  assert.is(r.code, 0, r.stderr);
  assert.is(repo.read('new.crlf').toString(), 'lf only\n');
  assert.is(repo.read('mixed.crlf').toString(), 'crlf\r\nlf\n');
  assert.equal(captureState(repo.dir).files, work.files);
}));

test.run();
