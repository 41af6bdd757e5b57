/**
 * The parsers' scheduler (proto-parsers.ts) on its own. Run from the TypeScript sources there is
 * no worker script, so every worker fails at its start and is handled as a lost worker: this
 * thread must then parse what there was, in order, every item once. And close(): a parse not
 * finished, or asked for after, fails instead of waiting forever. (The workers' own path is
 * verify-migration-many's, through the built CLI.)
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseItem, startParsers, type ParseItem } from '../src/rollback/proto-parsers.js';
import { availableParallelism } from 'node:os';
import { threadCount, threadsFor } from '../src/rollback/parser-threads.js';

const items = (n: number, tag: string): ParseItem[] =>
  Array.from({ length: n }, (_, i) => ({ id: `${tag}${i}`, text: `syntax = "proto3";\npackage p${i};\nmessage M${i} { string a = ${i + 1}; }\n` }));

test('workers that cannot start: every item parsed here, in order, once; jobs asked one after another all answered', async () => {
  const parsers = startParsers(2);
  try {
    const a = items(40, 'a');
    const b = items(25, 'b');
    const [ra, rb] = await Promise.all([parsers.parse(a), parsers.parse(b)]);
    assert.equal(ra, a.map(parseItem));
    assert.equal(rb, b.map(parseItem));
    assert.is(ra[7]!.record.decls[0].local, 'M7');
    assert.equal(await parsers.parse([]), []);
  } finally {
    parsers.close();
  }
});

test('close(): a parse not finished fails, and so does one asked for after', async () => {
  const parsers = startParsers(1);
  const pending = parsers.parse(items(500, 'c'));
  parsers.close();
  parsers.close(); // idempotent
  await pending.then(
    () => assert.unreachable('a closed parse answered'),
    (err: Error) => assert.match(err.message, 'closed'),
  );
  await parsers.parse(items(1, 'd')).then(
    () => assert.unreachable('a parse after close answered'),
    (err: Error) => assert.match(err.message, 'closed'),
  );
});

test('threadCount and threadsFor: REORG_GUARD_PARSE_THREADS when set (at most three), else one a core beyond two, and on two cores one for a big tree', () => {
  const saved = process.env.REORG_GUARD_PARSE_THREADS;
  try {
    const count = (v: string | undefined) => {
      if (v === undefined) delete process.env.REORG_GUARD_PARSE_THREADS;
      else process.env.REORG_GUARD_PARSE_THREADS = v;
      return threadCount();
    };
    assert.is(count('0'), 0);
    assert.is(count('2'), 2);
    assert.is(count('9'), 3);
    const byCores = Math.max(0, Math.min(3, availableParallelism() - 2));
    assert.is(count(undefined), byCores);
    assert.is(count('many'), byCores, 'not a number: the default');
    assert.is(count('-1'), byCores, 'below zero: the default');
    // on two cores a worker only for a big tree; beyond two, one a core beyond two; the variable always wins
    delete process.env.REORG_GUARD_PARSE_THREADS;
    assert.equal([threadsFor(1_300_000, 2), threadsFor(4_600_000, 2), threadsFor(1_000, 4), threadsFor(1_000, 8), threadsFor(9e9, 1)], [0, 1, 2, 3, 0]);
    process.env.REORG_GUARD_PARSE_THREADS = '0';
    assert.is(threadsFor(4_600_000, 2), 0);
  } finally {
    if (saved === undefined) delete process.env.REORG_GUARD_PARSE_THREADS;
    else process.env.REORG_GUARD_PARSE_THREADS = saved;
  }
});

test.run();
