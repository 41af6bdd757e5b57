/**
 * cli.ts starts the parsers' threads of a cold `verify migration` before the CLI is loaded, on a
 * guess made without git (early-parsers.ts). The guess must follow the command line (-C in every
 * form main reads) and find the schema cache and the index where git keeps them (the main work
 * tree, a subfolder, a linked worktree, GIT_DIR, GIT_COMMON_DIR), and start nothing for a small
 * repository; whatever it says, the check's result is the same (the threads only start sooner),
 * which the verify-migration tests check on cold and warm runs.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { coldVerifyMigration } from '../src/rollback/early-parsers.js';
import { makeRepo, tmpDir, type TestRepo } from './helpers/repo.js';

const VERIFY = ['verify', 'migration'];
/** Enough files that the index says the threads pay (200 entries or more). */
const bigRepo = (): TestRepo => makeRepo({ files: Object.fromEntries(Array.from({ length: 260 }, (_, i) => [`proto/a/file_${i}.proto`, `// ${i}\n`])) });
const noEnv = {};

test('only `verify migration` (after global options, -C in every form), never its --help', () => {
  const repo = bigRepo();
  const parent = path.dirname(repo.dir);
  const name = path.basename(repo.dir);
  assert.ok(coldVerifyMigration(VERIFY, repo.dir, noEnv));
  assert.ok(coldVerifyMigration(['--json', ...VERIFY, '--against', 'x'], repo.dir, noEnv));
  for (const c of [['-C', repo.dir], ['-C', name], [`-C${name}`], [`--C=${name}`], ['-C', '/', '-C', name]]) {
    assert.ok(coldVerifyMigration([...c, ...VERIFY], parent, noEnv), c.join(' '));
  }
  assert.not.ok(coldVerifyMigration(['-C', name, '-C', '/', ...VERIFY], parent, noEnv), 'the last -C counts');
  for (const argv of [['verify', 'rollback'], ['verify'], ['backup', 'migration'], [...VERIFY, '--help'], ['-h', ...VERIFY], ['migration']]) {
    assert.not.ok(coldVerifyMigration(argv, repo.dir, noEnv), argv.join(' '));
  }
});

test('the cache and index found where git keeps them: work tree, subfolder, linked worktree, GIT_DIR, GIT_COMMON_DIR', () => {
  const repo = bigRepo();
  const sub = path.join(repo.dir, 'a/b');
  mkdirSync(sub, { recursive: true });
  const linked = path.join(tmpDir(), 'linked');
  repo.git('worktree', 'add', '-q', linked);
  const all = [repo.dir, sub, linked];
  for (const dir of all) assert.ok(coldVerifyMigration(VERIFY, dir, noEnv), `no cache yet: ${dir}`);
  // git's own variables, as a hook in a linked worktree has them: the worktree's git dir, relative
  const worktreeGitDir = path.relative(linked, path.join(repo.dir, '.git/worktrees/linked'));
  assert.ok(coldVerifyMigration(VERIFY, linked, { GIT_DIR: worktreeGitDir }), 'GIT_DIR of a linked worktree');

  mkdirSync(path.join(repo.dir, '.git/reorg-guard/schema-cache'), { recursive: true });
  for (const dir of all) assert.not.ok(coldVerifyMigration(VERIFY, dir, noEnv), `a cache: ${dir}`);
  assert.not.ok(coldVerifyMigration(VERIFY, linked, { GIT_DIR: worktreeGitDir }), 'GIT_DIR of a linked worktree: its commondir followed');

  const other = bigRepo();
  assert.ok(coldVerifyMigration(VERIFY, repo.dir, { GIT_DIR: path.join(other.dir, '.git') }), 'GIT_DIR names another repository');
  assert.ok(coldVerifyMigration(VERIFY, repo.dir, { GIT_COMMON_DIR: path.join(other.dir, '.git') }), 'GIT_COMMON_DIR names where the cache would be');
  assert.not.ok(coldVerifyMigration(VERIFY, '/', noEnv), 'not in a repository');
});

test('no early threads for a small repository, or a .git file that names no git dir', () => {
  const small = makeRepo();
  assert.not.ok(coldVerifyMigration(VERIFY, small.dir, noEnv), 'a few files: the threads would cost more than they save');
  const big = bigRepo();
  assert.not.ok(coldVerifyMigration(VERIFY, big.dir, { GIT_INDEX_FILE: path.join(small.dir, '.git/index') }), 'GIT_INDEX_FILE read');
  const odd = tmpDir();
  writeFileSync(path.join(odd, '.git'), 'not a gitdir line\n');
  assert.not.ok(coldVerifyMigration(VERIFY, odd, noEnv));
});

test.run();
