/**
 * Bytes are bytes (issue 15, item 4): whatever git's attributes say (eol, text, ident, a custom
 * filter driver), a snapshot holds the work tree's exact bytes and a restore writes them back.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { makeRepo, withRepo, type TestRepo } from './helpers/repo.js';
import { openRepo } from '../src/git/repo.js';
import { conversionInPlay, indexWithout } from '../src/git/filters.js';
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

test('a file git converts whose name starts with a quote, unchanged since checkout, is nothing uncommitted', withRepo(withAttributes, (repo) => {
  // hash-object --stdin-paths reads a line that starts with '"' as C-quoted: `"q".crlf` unquoted is `q`
  repo.write('"q".crlf', 'one\r\ntwo\r\n');
  repo.git('add', '-A');
  repo.git('commit', '-qm', 'a name that starts with a quote');
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

test('a .gitattributes only in a sub-folder is seen whatever the index format (2, 3, 4, split, sparse); an index without one spares ls-files', withRepo({ files: { 'README.md': '# x\n', 'proto/a.proto': 'syntax = "proto3";\n' } }, async (repo) => {
  const r = await openRepo(repo.dir);
  const index = path.join(repo.dir, '.git/index');
  assert.ok(indexWithout(index, '.gitattributes'), 'version 2, none: known without git');
  assert.is(await conversionInPlay(r), null);
  repo.write('proto/.gitattributes', '*.proto text eol=crlf\n');
  repo.git('add', 'proto/.gitattributes');
  for (const [label, ...steps] of [['2'], ['3', '--index-version 3'], ['4', '--index-version 4'], ['split', '--index-version 2', '--split-index']]) {
    for (const step of steps) repo.git('update-index', ...step.split(' '));
    assert.not.ok(indexWithout(index, '.gitattributes'), label);
    assert.ok(await conversionInPlay(r), `index ${label}: the sub-folder's attributes are in play`);
  }
  // without the attributes file: version 4 and a split index are not read here (git is asked), 2 and 3 are
  repo.git('rm', '-q', '--cached', 'proto/.gitattributes');
  rmSync(path.join(repo.dir, 'proto/.gitattributes'));
  assert.ok(readdirSync(path.join(repo.dir, '.git')).some((f) => f.startsWith('sharedindex.')), 'split');
  assert.not.ok(indexWithout(index, '.gitattributes'), 'split');
  assert.is(await conversionInPlay(r), null);
  repo.git('update-index', '--no-split-index', '--index-version', '4');
  assert.not.ok(indexWithout(index, '.gitattributes'), 'version 4');
  repo.git('update-index', '--index-version', '3');
  assert.ok(indexWithout(index, '.gitattributes'), 'version 3');
  // a sparse index folds a folder's entries into one: not read here
  repo.git('sparse-checkout', 'set', '--sparse-index', 'nothing');
  assert.not.ok(indexWithout(index, '.gitattributes'), 'sparse');
  assert.not.ok(indexWithout(path.join(repo.dir, '.git/no-such-index'), '.gitattributes'), 'no index');
}));

test('an index larger than one read: a .gitattributes far in, or across two reads, is seen', withRepo({ files: { 'README.md': '# x\n' } }, (repo) => {
  // a real index of some 2,000 entries (well past the 64 KB indexWithout reads at a time)
  for (let i = 0; i < 2000; i++) repo.write(`pkg/part${i % 20}/some_generated_file_${i}.pb.go`, `package p${i}\n`);
  repo.git('add', '-A');
  const index = path.join(repo.dir, '.git/index');
  assert.ok(statSync(index).size > 3 * 65536, 'the index spans several reads');
  assert.ok(indexWithout(index, '.gitattributes'), 'none in it');
  repo.write('zz/last/.gitattributes', '*.proto text\n');
  repo.git('add', 'zz/last/.gitattributes');
  assert.not.ok(indexWithout(index, '.gitattributes'), 'the last entry, in the last read');
  // the name across the border of two reads, at every split point: the index's bytes with the name moved there
  const bytes = readFileSync(index);
  const at = bytes.indexOf('zz/last/.gitattributes') + 'zz/last/'.length;
  const other = path.join(repo.dir, '.git/index-copy');
  const without = Buffer.from(bytes).fill('x', at, at + '.gitattributes'.length);
  writeFileSync(other, without);
  assert.ok(indexWithout(other, '.gitattributes'), 'the same bytes without the name: none');
  for (let split = 1; split < '.gitattributes'.length; split++) {
    const copy = Buffer.from(bytes);
    copy.fill('x', at, at + '.gitattributes'.length); // the name gone from where it was...
    copy.write('.gitattributes', 65536 - split, 'latin1'); // ...and written across the first border
    writeFileSync(other, copy);
    assert.not.ok(indexWithout(other, '.gitattributes'), `split after ${split} bytes`);
  }
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
