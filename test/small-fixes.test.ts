/**
 * Small corners (issue 15, item 9): a backslash in a file name, the option a message names,
 * what a snapshot-less backup claims, and package.json's formatting through init + uninstall.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { BACKUP_BRANCHES, withRepo } from './helpers/repo.js';

test("selective --file 'back\\slash' restores that file, never back/slash", withRepo({ files: { 'back\\slash': 'original\n', 'README.md': '# x\n' } }, (repo) => {
  assert.is(repo.cli(['backup', '--no-push']).code, 0);
  repo.write('back\\slash', 'changed\n');
  const r = repo.cli(['rollback', 'selective', '--file', 'back\\slash', '--yes']);
  assert.is(r.code, 0, r.stderr);
  assert.is(repo.read('back\\slash').toString(), 'original\n');
  assert.not.ok(existsSync(path.join(repo.dir, 'back')), 'no folder back/ made');
  // on this system a backslash is a character, so '..\\x' is a name, not a way out; '../x' still is
  const out = repo.cli(['rollback', 'selective', '--file', '../x', '--yes']);
  assert.is(out.code, 2);
}));

test('verify migration without any backup names its own option, --against', withRepo((repo) => {
  const r = repo.cli(['verify', 'migration']);
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, '--against');
  assert.not.match(r.stderr, '--to');
  const full = repo.cli(['rollback', 'full', '--dry-run']);
  assert.match(full.stderr, 'with --to', 'rollback still names --to');
}));

test('a post-checkout backup with an untracked file around never claims nothing was uncommitted', withRepo({ files: { 'README.md': '# x\n', 'proto/a.proto': 'syntax = "proto3";\n' } }, (repo) => {
  const first = repo.git('rev-parse', 'HEAD');
  repo.write('proto/a.proto', 'syntax = "proto3";\nmessage A {}\n');
  repo.git('commit', '-qam', 'proto changed');
  const second = repo.git('rev-parse', 'HEAD');
  repo.write('notes.txt', 'untracked, present all along\n');
  // what git runs after `git checkout <first>` from <second>: the switch changes a guarded path
  const hook = repo.cli(['hook', 'post-checkout', second, first, '1']);
  assert.is(hook.code, 0, hook.stderr);
  const name = repo.git('for-each-ref', '--format=%(refname:short)', BACKUP_BRANCHES);
  assert.ok(name, hook.stdout + hook.stderr);
  const r = repo.cli(['rollback', 'full', '--to', name, '--dry-run']);
  assert.is(r.code, 0, r.stderr);
  assert.not.match(r.stdout + r.stderr, /nothing was uncommitted/i);
  assert.match(r.stdout + r.stderr, 'holds a commit only');
}));

const INDENTED = '{\n    "name": "x",\n    "version": "1.0.0",\n    "files": ["a", "b"],\n    "scripts": {\n        "test": "echo"\n    }\n}';
test("uninstall after init gives package.json back byte for byte: indent, inline arrays, no final newline", withRepo({ files: { 'package.json': INDENTED } }, (repo) => {
  assert.is(repo.cli(['init']).code, 0);
  const installed = repo.read('package.json').toString();
  assert.match(installed, /^ {4}"name"/m, 'init keeps the indent');
  assert.not.ok(installed.endsWith('\n'), 'and the missing final newline');
  const r = repo.cli(['uninstall']);
  assert.is(r.code, 0, r.stderr);
  assert.is(repo.read('package.json').toString(), INDENTED);
}));

const CRLF_TABS = '{\r\n\t"name": "x",\r\n\t"scripts": {\r\n\t\t"test": "echo"\r\n\t}\r\n}\r\n';
test('CRLF and tabs survive init and uninstall, and an edit made in between stays', withRepo({ files: { 'package.json': CRLF_TABS } }, (repo) => {
  assert.is(repo.cli(['init']).code, 0);
  const installed = repo.read('package.json').toString();
  assert.not.match(installed.replace(/\r\n/g, ''), '\n', 'init writes CRLF only');
  repo.write('package.json', installed.replace('"test": "echo"', '"test": "echo",\r\n\t\t"lint": "eslint ."'));
  assert.is(repo.cli(['uninstall']).code, 0);
  const after = repo.read('package.json').toString();
  assert.is(after, '{\r\n\t"name": "x",\r\n\t"scripts": {\r\n\t\t"test": "echo",\r\n\t\t"lint": "eslint ."\r\n\t}\r\n}\r\n');
}));

test('verify migration: a moved file whose name holds a newline keeps its package in the moved list', withRepo({ files: { 'README.md': '# x\n', 'pkg/auth/proto/user.proto': 'syntax = "proto3";\npackage gcommon.v1.auth;\nmessage User { string id = 1; }\n' } }, (repo) => {
  assert.is(repo.cli(['backup', '--no-push']).code, 0);
  repo.write('proto/gcommon/v1/auth/us er\nx.proto', repo.read('pkg/auth/proto/user.proto'));
  repo.git('rm', '-q', 'pkg/auth/proto/user.proto');
  const r = repo.cli(['verify', 'migration']);
  assert.is(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, 'proto/gcommon/v1/auth/us er\nx.proto (1 declaration)');
  assert.not.match(r.stdout, '-> none');
}));

test("push to a remote that cannot be read: git's reason ends the sentence once, not with '..'", withRepo((repo) => {
  assert.is(repo.cli(['backup', '--no-push']).code, 0);
  // a transport that fails at once: git's last word is 'fatal: Could not read from remote repository.'
  repo.git('config', 'protocol.ext.allow', 'always');
  repo.git('remote', 'set-url', 'origin', 'ext::false');
  const r = repo.cli(['push']);
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, 'still unpushed');
  assert.not.match(r.stderr, /\.\.\s*$/m);
}));

test.run();
