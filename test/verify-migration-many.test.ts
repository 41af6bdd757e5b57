/**
 * verify migration on enough protos that worker threads parse them (cold: no cache yet), in the
 * middle of a migration (both layouts in the tree): the same findings as the files say, whether
 * a file is read from the disk by a worker, from git (the backup's files gone from the disk), or
 * from git because the bytes on disk are not the blob (a checkout filter: eol=crlf).
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { makeRepo } from './helpers/repo.js';
import type { Finding } from '../src/rollback/proto-compare.js';

const DOMAINS = ['auth', 'queue', 'web'];
const PER_DOMAIN = 90; // 270 files a side: more than a worker's start is worth

const oldPath = (d: string, i: number) => `pkg/${d}/proto/item_${i}.proto`;
const newPath = (d: string, i: number) => `proto/gcommon/v1/${d}/messages/item_${i}.proto`;
const content = (d: string, i: number, where: string) => `syntax = "proto3";
package gcommon.v1.${d};

option go_package = "example.com/${where}";

// ${d} item ${i}: message Fake { in a comment
message ${d[0].toUpperCase()}${d.slice(1)}Item${i} {
  string id = 1;
  int64 units = 2;
  repeated string tags = 3;
}

enum ${d[0].toUpperCase()}${d.slice(1)}State${i} {
  STATE_${d.toUpperCase()}_${i}_UNSPECIFIED = 0;
  STATE_${d.toUpperCase()}_${i}_DONE = 1;
}
`;

const brief = (f: Finding) => `${f.kind} ${f.declaration}${f.field ? ` ${f.field}` : ''}: ${f.before} -> ${f.after}`;

/**
 * The whole check, its CLI runs with REORG_GUARD_PARSE_THREADS=`threads`: the new layout's files
 * are twins of the old one's (only go_package differs), made from their owners' records,
 * parsed on whichever thread.
 */
function manyFiles(threads: string): void {
  const env = { REORG_GUARD_PARSE_THREADS: threads };
  const files: Record<string, string> = { '.gitattributes': '*.proto text eol=crlf\n' };
  for (const d of DOMAINS) for (let i = 0; i < PER_DOMAIN; i++) files[oldPath(d, i)] = content(d, i, `pkg/${d}`);
  const repo = makeRepo({ files });
  try {
    const b = repo.cli(['backup', '--reason', 'before the move']);
    assert.is(b.code, 0, b.stderr);
    // copied to the new layout (the old one kept: both in the tree), two changes on the way
    for (const d of DOMAINS) {
      for (let i = 0; i < PER_DOMAIN; i++) {
        let s = content(d, i, `proto/${d}`);
        if (d === 'queue' && i === 7) s = s.replace('  int64 units = 2;\n', '');
        if (d === 'web' && i === 42) s = s.replace('_DONE = 1;', '_DONE = 2;');
        repo.write(newPath(d, i), s);
      }
    }
    repo.git('add', '-A');
    repo.git('commit', '-q', '-m', 'copy to the new layout');
    // checked out again: on disk with CRLF, so no file on disk is its blob
    for (const d of DOMAINS) rmSync(path.join(repo.dir, 'proto', 'gcommon', 'v1', d), { recursive: true });
    rmSync(path.join(repo.dir, 'pkg'), { recursive: true });
    repo.git('checkout', '--', '.');
    assert.ok(repo.read(newPath('web', 1)).includes('\r\n'), 'CRLF on disk');
    const cache = path.join(repo.dir, '.git/reorg-guard/schema-cache');
    const run = () => {
      const r = repo.cli(['verify', 'migration', '--json'], { env });
      assert.is(r.code, 1, r.stderr);
      // the threads' V8 settings differ by node version: one V8 does not know (and prints) another's
      assert.is(r.stderr, '', 'nothing on stderr');
      return (JSON.parse(r.stdout) as { findings: Finding[] }).findings;
    };
    const expected = [
      'field-removed message gcommon.v1.queue.QueueItem7 units: int64 units = 2 -> null',
      'enum-value-renumbered enum gcommon.v1.web.WebState42 STATE_WEB_42_DONE: 1 -> 2',
    ];
    // no cache and a backup that does not exist: the threads started with the command and the
    // tree's files being parsed already end with it (one line, exit 2, nothing kept)
    rmSync(cache, { recursive: true, force: true });
    const none = repo.cli(['verify', 'migration', '--against', 'no-such-backup'], { env });
    assert.is(none.code, 2, none.stderr);
    assert.is(none.stderr.trim().split('\n').length, 1, none.stderr);
    assert.match(none.stderr, 'no-such-backup');
    rmSync(cache, { recursive: true, force: true });
    const cold = run();
    assert.equal(cold.filter((f) => f.severity === 'error').map(brief), expected);
    assert.is(cold.filter((f) => f.kind === 'declaration-moved').length, 2 * DOMAINS.length * PER_DOMAIN, 'every declaration found moved');
    const lost = cold.find((f) => f.kind === 'field-removed')!;
    assert.equal([lost.file, lost.line], [newPath('queue', 7), 7]);
    // each distinct file recorded once: the backup's (the old layout, the same blobs now) and the new layout's (twins, made from their owners)
    const records = readdirSync(cache).filter((f) => f.endsWith('.pack')).flatMap((f) => readFileSync(path.join(cache, f), 'utf8').split('\n').slice(1).filter(Boolean));
    assert.is(records.length, 2 * DOMAINS.length * PER_DOMAIN);
    // the backup's files gone from the disk: read from git
    rmSync(path.join(repo.dir, 'pkg'), { recursive: true });
    repo.git('rm', '-q', '-r', '--cached', 'pkg');
    rmSync(cache, { recursive: true, force: true });
    const moved = run();
    assert.equal(moved.filter((f) => f.severity === 'error').map(brief), expected);
    assert.equal(run(), moved, 'the same from the cache');
  } finally {
    repo.cleanup();
  }
}

test('many files, parsed by a worker thread and this one, from the disk and from git (eol=crlf on disk): the findings the files say', () => manyFiles('1'));
test('the same parsed on one thread (two cores: no worker)', () => manyFiles('0'));

test.run();
