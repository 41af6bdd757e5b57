/**
 * What the bundle (scripts/build.ts) must keep true: verify migration's schema cache names the
 * parser's code by the hash of the file that holds it, and in dist/ that file is a chunk shared
 * by the CLI and its worker threads: a build whose parser code differs never reads a cache that
 * another build wrote.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT, withRepo } from './helpers/repo.js';
import { makeGcommonRepo } from './helpers/state.js';

const DIST = path.join(ROOT, 'dist');

test("the schema cache's key holds the hash of the built file with the parser's code", withRepo(() => makeGcommonRepo(0.02), (repo) => {
  const holders = readdirSync(DIST).filter((f) => readFileSync(path.join(DIST, f), 'utf8').includes('// src/rollback/proto-schema.ts'));
  assert.equal(holders.length, 1, `one file of dist/ holds the parser's code: ${holders}`);
  assert.match(holders[0], /^chunk-/, 'a chunk: the CLI and the worker share it');
  const hash = createHash('sha256').update(readFileSync(path.join(DIST, holders[0]))).digest('hex');

  assert.is(repo.cli(['backup', '--reason', 'before']).code, 0);
  repo.reorganize();
  const r = repo.cli(['verify', 'migration', '--json']);
  assert.ok(r.code === 0 || r.code === 1, r.stderr);
  const cache = path.join(repo.dir, '.git/reorg-guard/schema-cache');
  const packs = readdirSync(cache).filter((f) => f.endsWith('.pack'));
  assert.ok(packs.length > 0, 'records kept');
  for (const p of packs) {
    const header = readFileSync(path.join(cache, p), 'utf8').split('\n')[0];
    assert.ok(header.endsWith(` ${hash}`), header);
  }
}));

test.run();
