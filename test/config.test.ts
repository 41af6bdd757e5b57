import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { makeRepo } from './helpers/repo.js';

function expectRefused(files: Record<string, string>, pattern: RegExp): void {
  const repo = makeRepo();
  try {
    for (const [p, c] of Object.entries(files)) repo.write(p, c);
    const before = repo.git('for-each-ref');
    const r = repo.cli(['backup']);
    assert.is(r.code, 2, r.stderr);
    assert.is(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, pattern);
    assert.is(repo.git('for-each-ref'), before, 'nothing changed');
  } finally {
    repo.cleanup();
  }
}

test('malformed JSON names the file', () => {
  expectRefused({ 'reorg-guard.config.json': '{ "remote": ' }, /reorg-guard\.config\.json is not valid JSON/);
});

test('an unknown key names the key and the file', () => {
  expectRefused({ 'reorg-guard.config.json': '{ "remtoe": "origin" }' }, /reorg-guard\.config\.json: unknown key "remtoe"/);
});

test('a wrong type names the key, the file and the type wanted', () => {
  expectRefused({ 'reorg-guard.config.json': '{ "push": "yes" }' }, /reorg-guard\.config\.json: "push" must be true or false/);
  expectRefused({ 'reorg-guard.config.json': '{ "guardedPaths": "proto/" }' }, /"guardedPaths" must be a list of non-empty strings/);
  expectRefused({ 'reorg-guard.config.json': '{ "keepBranches": -1 }' }, /"keepBranches" must be a whole number/);
  expectRefused({ 'reorg-guard.config.json': '[1, 2]' }, /must be a JSON object/);
  expectRefused({ 'reorg-guard.config.json': '{ "branchPrefix": "-evil" }' }, /"branchPrefix" must be a valid branch name prefix/);
});

test('the "reorgGuard" key of package.json is read and checked', () => {
  const repo = makeRepo({ files: { 'package.json': JSON.stringify({ name: 'x', reorgGuard: { branchPrefix: 'safe-', push: false } }) } });
  try {
    repo.git('rm', '-q', '--cached', 'reorg-guard.config.json');
    repo.write('.gitignore', 'reorg-guard.config.json\n');
    // reorg-guard.config.json wins when both exist; drop it to read package.json
    repo.git('commit', '-qam', 'config in package.json');
    repo.git('clean', '-fqX');
    const r = repo.cli(['backup', '--json']);
    assert.is(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.match(out.branch, /^safe-\d{8}_\d{6}$/);
    assert.is(out.pushed, false);
  } finally {
    repo.cleanup();
  }
});

test('a bad "reorgGuard" key in package.json names package.json', () => {
  const repo = makeRepo({ files: { 'package.json': JSON.stringify({ reorgGuard: { strict: 1 } }) } });
  try {
    repo.git('rm', '-q', '--cached', 'reorg-guard.config.json');
    repo.git('commit', '-qm', 'no own config');
    repo.git('clean', '-fq');
    const r = repo.cli(['list']);
    assert.is(r.code, 2);
    assert.match(r.stderr, /package\.json#reorgGuard: "strict" must be true or false/);
  } finally {
    repo.cleanup();
  }
});

test.run();
