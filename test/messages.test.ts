/**
 * The messages: one file a feature joined into `msg`, counts and cut lists written one way.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './helpers/repo.js';
import { msg } from '../src/messages.js';
import { count, firstOf, plural } from '../src/messages/format.js';

test('every message of every feature file is in msg, and no two files name the same one', async () => {
  const dir = path.join(ROOT, 'src/messages');
  const seen = new Map<string, string>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'format.ts')) {
    const mod = (await import(path.join(dir, file))) as Record<string, Record<string, unknown>>;
    for (const group of Object.values(mod))
      for (const key of Object.keys(group)) {
        assert.not.ok(seen.has(key), `${key} is in ${file} and in ${seen.get(key)}: one would hide the other in msg`);
        seen.set(key, file);
        assert.is((msg as Record<string, unknown>)[key], group[key], key);
      }
  }
  assert.is(Object.keys(msg).length, seen.size, 'msg holds nothing that no feature file has');
});

test('a count says "1 file" and "2 files"; irregular plurals are given', () => {
  assert.is(count(0, 'file'), '0 files');
  assert.is(count(1, 'file'), '1 file');
  assert.is(count(2, 'backup branch', 'backup branches'), '2 backup branches');
  assert.is(plural(1, 'is', 'are'), 'is');
  assert.is(msg.cleanupDone(1, 0, 2), 'Deleted 1 local backup, 0 on the remote, 2 archives.');
  assert.is(msg.pushedBackups(1, 'origin'), 'Pushed 1 backup branch to origin.');
});

test('a cut list names the first ones and how many more', () => {
  assert.is(firstOf(['a', 'b'], 2), 'a, b');
  assert.is(firstOf(['a', 'b', 'c', 'd'], 2), 'a, b, ... and 2 more');
  assert.is(firstOf(['a', 'b', 'c'], 1, '; '), 'a; ... and 2 more');
  const refs = Array.from({ length: 7 }, (_, i) => `refs/heads/b${i}`);
  assert.match(msg.cleanupRemoteFailed(refs, 'rejected'), /: refs\/heads\/b0, .*refs\/heads\/b4, \.\.\. and 2 more$/);
});

test.run();
