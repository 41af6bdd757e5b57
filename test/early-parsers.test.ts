/**
 * cli.ts starts the parsers' threads of a cold `verify migration` before the CLI is loaded, on a
 * guess made without git (early-parsers.ts). The guess must follow the command line and find
 * the schema cache where git keeps the repository (the main work tree, a linked worktree, a
 * subfolder, -C, GIT_DIR); whatever it says, the check's result is the same (the threads only
 * start sooner), which the verify-migration tests check on cold and warm runs.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { coldVerifyMigration } from '../src/rollback/early-parsers.js';
import { git, makeRepo, tmpDir } from './helpers/repo.js';

test('only `verify migration` (after global options), never its --help', () => {
  const dir = tmpDir();
  git(dir, 'init', '-q');
  assert.ok(coldVerifyMigration(['verify', 'migration'], dir));
  assert.ok(coldVerifyMigration(['--json', 'verify', 'migration', '--against', 'x'], dir));
  assert.ok(coldVerifyMigration(['-C', dir, 'verify', 'migration'], '/'));
  for (const argv of [['verify', 'rollback'], ['verify'], ['backup', 'migration'], ['verify', 'migration', '--help'], ['-h', 'verify', 'migration'], ['migration']]) {
    assert.not.ok(coldVerifyMigration(argv, dir), argv.join(' '));
  }
});

test('the cache found where git keeps it: main work tree, subfolder, linked worktree, GIT_DIR; no repository: no guess', () => {
  const repo = makeRepo();
  const sub = path.join(repo.dir, 'a/b');
  mkdirSync(sub, { recursive: true });
  const linked = path.join(tmpDir(), 'linked');
  repo.git('worktree', 'add', '-q', linked);
  const all = [repo.dir, sub, linked];
  for (const dir of all) assert.ok(coldVerifyMigration(['verify', 'migration'], dir), `no cache yet: ${dir}`);
  mkdirSync(path.join(repo.dir, '.git/reorg-guard/schema-cache'), { recursive: true });
  for (const dir of all) assert.not.ok(coldVerifyMigration(['verify', 'migration'], dir), `a cache: ${dir}`);

  const elsewhere = tmpDir();
  process.env.GIT_DIR = path.join(elsewhere, '.git');
  try {
    assert.ok(coldVerifyMigration(['verify', 'migration'], repo.dir), 'GIT_DIR names another repository');
  } finally {
    delete process.env.GIT_DIR;
  }
  assert.not.ok(coldVerifyMigration(['verify', 'migration'], '/'), 'not in a repository');
});

test.run();
