import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { gunzipFile } from '../src/backup/gunzip-file.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'rg-gunzip-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

/** What gunzipFile hands over, joined, and the largest piece. */
async function inflate(file: string, stream: boolean): Promise<{ bytes: Buffer; largest: number }> {
  const pieces: Buffer[] = [];
  await gunzipFile(file, (p) => pieces.push(Buffer.from(p)), { stream });
  return { bytes: Buffer.concat(pieces), largest: Math.max(0, ...pieces.map((p) => p.length)) };
}

// two members (as archives are: the manifest's, then the tree's), 3 MiB that do not compress, 9 MiB that do
const first = randomBytes(3 << 20);
const second = Buffer.alloc(9 << 20, 'reorg-guard ');
const whole = Buffer.concat([gzipSync(first), gzipSync(second)]);
const file = path.join(dir, 'two.gz');
writeFileSync(file, whole);

for (const stream of [false, true]) {
  const way = stream ? 'node\'s stream' : 'zlib\'s handle';

  test(`${way}: concatenated members inflate to every byte, in pieces of at most 1 MiB`, async () => {
    const { bytes, largest } = await inflate(file, stream);
    assert.ok(bytes.equals(Buffer.concat([first, second])));
    assert.ok(largest <= 1 << 20, `largest piece ${largest}`);
  });

  test(`${way}: a stream cut short is an error, as gunzipSync says`, async () => {
    const cut = path.join(dir, `cut-${stream}.gz`);
    writeFileSync(cut, whole.subarray(0, whole.length - 100));
    assert.throws(() => gunzipSync(whole.subarray(0, whole.length - 100)));
    const err = await inflate(cut, stream).then(() => null, (e: NodeJS.ErrnoException) => e);
    assert.ok(err, 'no error');
    assert.is(err!.code, 'Z_BUF_ERROR');
  });

  test(`${way}: a flipped byte in the data is an error`, async () => {
    const bad = Buffer.from(gzipSync(second));
    bad[bad.length >> 1] ^= 0xff;
    const f = path.join(dir, `bad-${stream}.gz`);
    writeFileSync(f, bad);
    const err = await inflate(f, stream).then(() => null, (e: NodeJS.ErrnoException) => e);
    assert.ok(err, 'no error');
    assert.match(String(err!.code), /^Z_/);
  });

  test(`${way}: \`read\` sees every byte of the file as read, before it is inflated`, async () => {
    const read: Buffer[] = [];
    await gunzipFile(file, () => {}, { stream, read: (p) => read.push(Buffer.from(p)) });
    assert.ok(Buffer.concat(read).equals(whole));
  });

  test(`${way}: an error thrown by the receiver stops the read and is the one rejected`, async () => {
    let calls = 0;
    const err = await gunzipFile(file, () => {
      calls++;
      throw new Error('enough');
    }, { stream }).then(() => null, (e: Error) => e);
    assert.is(err?.message, 'enough');
    assert.is(calls, 1);
  });
}

test('buffers given to read and inflate into are the ones used: pieces no longer than they are, every byte', async () => {
  const input = Buffer.alloc(64 * 1024);
  const out = Buffer.alloc(100 * 1000);
  const pieces: Buffer[] = [];
  let outside = 0;
  await gunzipFile(file, (p) => {
    if (p.buffer !== out.buffer) outside++;
    pieces.push(Buffer.from(p));
  }, { buffers: [input, out], read: (p) => void (p.buffer !== input.buffer && outside++) });
  assert.is(outside, 0);
  assert.ok(Math.max(...pieces.map((p) => p.length)) <= out.length);
  assert.ok(Buffer.concat(pieces).equals(Buffer.concat([first, second])));
});

test('a missing file is the file system\'s error (its syscall named)', async () => {
  const err = await gunzipFile(path.join(dir, 'none.gz'), () => {}).then(() => null, (e: NodeJS.ErrnoException) => e);
  assert.is(err?.code, 'ENOENT');
  assert.ok(err?.syscall);
});

test.run();
