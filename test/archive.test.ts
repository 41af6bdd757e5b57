import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash } from 'node:crypto';
import { chmodSync, closeSync, existsSync, openSync, readdirSync, readFileSync, statSync, symlinkSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { list as tarList } from 'tar';
import { spawnSync } from 'node:child_process';
import { makeRepo, withRepo } from './helpers/repo.js';
import { inTerminal } from './helpers/terminal.js';
import { verifyArchive } from '../src/backup/verify-archive.js';
import { headerBlocks, TarGzWriter, type TarHeader } from '../src/backup/tar-writer.js';
import { checkWritten } from '../src/backup/check-written.js';
import { gunzipSync } from 'node:zlib';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';

interface Entry {
  path: string;
  type: string;
  linkpath?: string;
}

async function entries(file: string): Promise<Entry[]> {
  const out: Entry[] = [];
  await tarList({ file, onReadEntry: (e) => out.push({ path: e.path.replace(/\/$/, ''), type: e.type, linkpath: e.linkpath }) });
  return out;
}

async function manifestOf(file: string): Promise<{ entries: Array<{ path: string; type: string; size: number; sha256?: string; mode: number }> }> {
  let text = '';
  await tarList({
    file,
    filter: (p) => p === '.reorg-guard-manifest.json',
    onReadEntry: (e) => e.on('data', (c: Buffer) => (text += c.toString())),
  });
  return JSON.parse(text);
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

test('excludes match whole segments: .github and .gitignore kept, .git, node_modules, logs dropped', async () => {
  const repo = makeRepo({
    files: {
      '.github/workflows/ci.yml': 'on: push\n',
      '.gitignore': 'node_modules/\n',
      'src/app.go': 'package app\n',
      'src/.gitkeep': '',
      'node_modules/x/index.js': 'x\n',
      'pkg/node_modules_like/keep.txt': 'kept: not the segment node_modules\n',
      'run.log': 'dropped\n',
      'logs/today.txt': 'dropped\n',
      'catalog.txt': 'kept: contains "log" only as a substring\n',
    },
  });
  try {
    const r = repo.cli(['archive', '--json']);
    assert.is(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    const names = (await entries(out.path)).map((e) => e.path);
    for (const kept of ['.github/workflows/ci.yml', '.gitignore', 'src/app.go', 'src/.gitkeep', 'pkg/node_modules_like/keep.txt', 'catalog.txt', 'reorg-guard.config.json']) {
      assert.ok(names.includes(kept), `kept: ${kept}`);
    }
    for (const dropped of ['.git', 'node_modules', 'node_modules/x/index.js', 'run.log', 'logs', 'logs/today.txt']) {
      assert.not.ok(names.includes(dropped), `dropped: ${dropped}`);
    }
    assert.not.ok(names.some((n) => n.startsWith('.git/')), 'nothing from .git/');
  } finally {
    repo.cleanup();
  }
});

test('the manifest comes first and matches every file: path, size, sha256, mode', withRepo({ files: { 'a.txt': 'alpha\n', 'dir/b.bin': Buffer.from([0, 255, 1, 2]), 'odd name ü\nx.txt': 'odd\n', 'q"uote\\back\tslash.txt': 'q\n', 'run.sh': '#!/bin/sh\n' } }, async (repo) => {
  repo.git('update-index', '--chmod=+x', 'run.sh');
  const { path: file, files, bytes } = JSON.parse(repo.cli(['archive', '--json']).stdout);
  const all = await entries(file);
  assert.is(all[0].path, '.reorg-guard-manifest.json');
  const manifest = await manifestOf(file);
  const onDisk = manifest.entries.filter((e) => e.type === 'file');
  assert.is(files, onDisk.length);
  assert.is(bytes, onDisk.reduce((n, e) => n + e.size, 0));
  for (const e of onDisk) {
    const content = readFileSync(path.join(repo.dir, e.path));
    assert.is(e.size, content.length, e.path);
    assert.is(e.sha256, sha(content), e.path);
    assert.is(e.mode, statSync(path.join(repo.dir, e.path)).mode & 0o7777, e.path);
  }
  assert.ok(onDisk.some((e) => e.path === 'odd name ü\nx.txt'));
  assert.ok(onDisk.some((e) => e.path === 'q"uote\\back\tslash.txt'), 'a name JSON escapes');
  assert.equal(all.slice(1).map((e) => e.path).sort(), manifest.entries.map((e) => e.path).sort());
}));

test("the manifest's head is HEAD's commit, and null before the first commit (the repository and HEAD come from one git call)", withRepo({ files: { 'a.txt': 'a\n' } }, async (repo) => {
  const { path: file } = JSON.parse(repo.cli(['archive', '--json']).stdout);
  assert.is(((await manifestOf(file)) as unknown as { head: string | null }).head, repo.git('rev-parse', 'HEAD'));
  const empty = makeRepo({ files: {}, origin: false });
  writeFileSync(path.join(empty.dir, 'b.txt'), 'b\n');
  const made = empty.cli(['archive', '--json']);
  assert.is(made.code, 0, made.stderr);
  assert.is(((await manifestOf(JSON.parse(made.stdout).path)) as unknown as { head: string | null }).head, null);
}));

test('folder 0700, archive 0600, name <repo>-backup-<stamp>.tar.gz, no temp file left', withRepo((repo) => {
  const dir = path.join(repo.base, 'new-backups');
  const r1 = JSON.parse(repo.cli(['archive', '--dir', dir, '--json']).stdout);
  const r2 = JSON.parse(repo.cli(['archive', '--dir', dir, '--json']).stdout);
  assert.is(statSync(dir).mode & 0o777, 0o700);
  for (const r of [r1, r2]) {
    assert.is(statSync(r.path).mode & 0o777, 0o600);
    assert.match(path.basename(r.path), /^work-backup-\d{8}_\d{6}(-\d+)?\.tar\.gz$/);
  }
  assert.is.not(r1.path, r2.path);
  assert.equal(readdirSync(dir).filter((n) => !n.endsWith('.tar.gz')), []);
}));

test('symlinks are stored as links, never followed', withRepo(async (repo) => {
  mkdirSync(path.join(repo.dir, 'links'));
  symlinkSync('/etc', path.join(repo.dir, 'links/etc'));
  symlinkSync('../README.md', path.join(repo.dir, 'links/readme'));
  const { path: file } = JSON.parse(repo.cli(['archive', '--json']).stdout);
  const all = await entries(file);
  const etc = all.find((e) => e.path === 'links/etc');
  assert.is(etc?.type, 'SymbolicLink');
  assert.is(etc?.linkpath, '/etc');
  assert.not.ok(all.some((e) => e.path.startsWith('links/etc/')), 'not followed');
}));

test('a crash before the archive is complete leaves no archive under a final name', withRepo({ files: { 'a.txt': 'a\n' } }, (repo) => {
  const dir = path.join(repo.base, 'crash');
  const r = repo.cli(['archive', '--dir', dir], { env: { REORG_GUARD_CRASH_AT: 'archive:written' } });
  assert.is.not(r.code, 0);
  assert.equal(readdirSync(dir).filter((n) => n.endsWith('.tar.gz')), []);
  assert.is(JSON.parse(repo.cli(['list', '--json']).stdout).archives.length, 0);
}));

test('a failed archive exits 1 with one line and leaves nothing behind', withRepo((repo) => {
  const blocker = path.join(repo.base, 'a-file');
  writeFileSync(blocker, 'not a folder');
  const r = repo.cli(['archive', '--dir', path.join(blocker, 'sub')]);
  assert.is(r.code, 1);
  assert.is(r.stderr.trim().split('\n').length, 1, r.stderr);
  assert.not.ok(existsSync(path.join(blocker, 'sub')));
}));

test('a progress line on a terminal, none without one', withRepo({ files: { 'a.txt': 'a\n', 'b.txt': 'b\n' } }, (repo) => {
  const piped = repo.cli(['archive']);
  assert.is(piped.code, 0);
  assert.not.match(piped.stderr, /archiving:/);
  const r = inTerminal(repo, ['archive']);
  assert.is(r.code, 0, r.stdout);
  assert.match(r.stdout, /archiving: \d+ files, /);
  // the read-back counts bytes: it compares them, it does not take the archive apart into files
  assert.match(r.stdout, /verifying: [\d.]+ (B|KB|MB)/);
}));

test('GNU tar reads the archive back byte for byte: files of several MiB, paths over 100 bytes, empty files, modes', () => {
  const long = `${'deep/'.repeat(30)}generated_file_with_a_long_name.pb.go`;
  const big = Buffer.alloc(3 * 1024 * 1024 + 123);
  for (let i = 0; i < big.length; i++) big[i] = (i * 7 + (i >> 12)) & 0xff;
  const repo = makeRepo({ files: { [long]: 'package deep\n', 'big.bin': big, 'empty.txt': '', 'run.sh': '#!/bin/sh\n' } });
  try {
    chmodSync(path.join(repo.dir, 'run.sh'), 0o755);
    const r = repo.cli(['archive', '--json']);
    assert.is(r.code, 0, r.stderr);
    const out = path.join(repo.base, 'extracted');
    mkdirSync(out);
    const tar = spawnSync('tar', ['-xzf', JSON.parse(r.stdout).path, '-C', out], { encoding: 'utf8' });
    assert.is(tar.status, 0, tar.stderr);
    for (const f of [long, 'big.bin', 'empty.txt', 'run.sh']) {
      assert.ok(readFileSync(path.join(out, f)).equals(readFileSync(path.join(repo.dir, f))), f);
      assert.is(statSync(path.join(out, f)).mode & 0o777, statSync(path.join(repo.dir, f)).mode & 0o777, f);
    }
    const listed = spawnSync('tar', ['-tzf', JSON.parse(r.stdout).path], { encoding: 'utf8' }).stdout.split('\n');
    assert.is(listed[0], '.reorg-guard-manifest.json');
  } finally {
    repo.cleanup();
  }
});
test('headers as ustar and pax: GNU tar, node-tar and verify read the same names, link targets and bytes', async () => {
  // a name of exactly 100 bytes, one split into ustar's prefix and name, one too long for both
  // (pax), names that are not ASCII (pax), a symlink target over 100 bytes (pax linkpath)
  const exact = `${'x'.repeat(96)}.txt`;
  const split = `${'split/'.repeat(25)}file.go`;
  const long = `${'a-folder-name-of-some-length/'.repeat(12)}leaf.pb.go`;
  const accents = 'données/café ☕.proto';
  const target = `${'../'.repeat(2)}${'t'.repeat(120)}`;
  const files: Record<string, string | Buffer> = { [exact]: 'exact\n', [split]: 'split\n', [long]: 'long\n', [accents]: 'syntax = "proto3";\n', 'b.bin': Buffer.alloc(1025, 9) };
  const repo = makeRepo({ files });
  try {
    symlinkSync(target, path.join(repo.dir, 'far-link'));
    const r = repo.cli(['archive', '--json']);
    assert.is(r.code, 0, r.stderr);
    const file = JSON.parse(r.stdout).path as string;
    assert.ok(Buffer.byteLength(exact) === 100 && Buffer.byteLength(split) > 100 && Buffer.byteLength(long) > 255);
    // node-tar
    const listed = await entries(file);
    for (const name of Object.keys(files)) assert.ok(listed.some((e) => e.path === name && e.type === 'File'), `node-tar: ${name}`);
    assert.ok(listed.some((e) => e.path === 'far-link' && e.type === 'SymbolicLink' && e.linkpath === target), 'node-tar: the long link target');
    // GNU tar
    const out = path.join(repo.base, 'gnu');
    mkdirSync(out);
    const x = spawnSync('tar', ['-xzf', file, '-C', out], { encoding: 'utf8' });
    assert.is(x.status, 0, x.stderr);
    for (const [name, body] of Object.entries(files)) assert.ok(readFileSync(path.join(out, name)).equals(Buffer.from(body)), `GNU tar: ${name}`);
    const link = spawnSync('readlink', [path.join(out, 'far-link')], { encoding: 'utf8' }).stdout.trim();
    assert.is(link, target, 'GNU tar: the long link target');
    // our own reader
    const v = repo.cli(['verify', 'backups', '--json']);
    assert.is(v.code, 0, v.stdout + v.stderr);
    assert.is(JSON.parse(v.stdout).archives[0].files, Object.keys(files).length + 1, 'every file read back (and the config)');
  } finally {
    repo.cleanup();
  }
});


test('a highly compressible file (100 MB of zeros) archives, verifies and lists as sound; restore keeps its ratio guard', withRepo({ files: { 'a.txt': 'a\n' } }, (repo) => {
  writeFileSync(path.join(repo.dir, 'zeros.bin'), Buffer.alloc(100 * 1024 * 1024));
  const r = repo.cli(['archive', '--json']);
  assert.is(r.code, 0, r.stderr);
  const { path: file, bytes } = JSON.parse(r.stdout);
  assert.ok(bytes >= 100 * 1024 * 1024);
  assert.ok(statSync(file).size < 1024 * 1024, 'it really is compressed beyond the ratio guard');
  const v = repo.cli(['verify', 'backups', '--json']);
  assert.is(v.code, 0, v.stdout + v.stderr);
  // restore reads archives that may come from elsewhere: the decompression-ratio guard stays there
  const back = repo.cli(['restore', file, '--to', path.join(repo.base, 'restored')]);
  assert.is(back.code, 1);
  assert.match(back.stderr, /decompression ratio/);
  assert.not.ok(existsSync(path.join(repo.base, 'restored', 'zeros.bin')));
}));

test("the archive's own check reads the file back and wants the very bytes written: the manifest's gzip member and entry byte for byte, then the tree's members by their sha256 and lengths", withRepo({ files: { 'a.txt': 'alpha\n', 'b.txt': 'beta\n' } }, async (repo) => {
  const { path: file } = JSON.parse(repo.cli(['archive', '--json']).stdout);
  const bytes = readFileSync(file);
  // the manifest's member ends where the file's first bytes inflate on their own (gzip members follow one another)
  let end = 20;
  for (; end < bytes.length; end++) {
    try {
      gunzipSync(bytes.subarray(0, end));
      break;
    } catch {
      // not the end of a member yet
    }
  }
  const all = gunzipSync(bytes);
  const tar = gunzipSync(bytes.subarray(0, end));
  assert.is(tar.toString('latin1', 0, 26), '.reorg-guard-manifest.json');
  const written = { manifest: { gz: bytes.subarray(0, end), tar }, tree: { sha256: sha(bytes.subarray(end)), bytes: bytes.length - end, tarBytes: all.length - tar.length } };
  assert.is(await checkWritten(file, written), null);
  // another manifest of the same length (one byte of a digest changed), as compressed or as tar: not the one written
  const changed = Buffer.from(tar);
  const at = changed.indexOf('"sha256":"') + 10;
  changed[at] = changed[at] === 0x30 ? 0x31 : 0x30;
  const manifestDiffers = 'the manifest in the archive is not the one written';
  assert.is(await checkWritten(file, { ...written, manifest: { ...written.manifest, tar: changed } }), manifestDiffers);
  const gz = Buffer.from(written.manifest.gz);
  gz[gz.length - 5] ^= 1;
  assert.is(await checkWritten(file, { ...written, manifest: { ...written.manifest, gz } }), manifestDiffers);
  // the tree: another digest, another length, another number of tar bytes
  const differs = 'the archive read back is not the bytes that were written';
  assert.is(await checkWritten(file, { ...written, tree: { ...written.tree, sha256: '0'.repeat(64) } }), differs);
  assert.is(await checkWritten(file, { ...written, tree: { ...written.tree, bytes: written.tree.bytes + 1 } }), differs);
  assert.is(await checkWritten(file, { ...written, tree: { ...written.tree, tarBytes: written.tree.tarBytes + 512 } }), differs);
  // the file on disk: a byte changed in the tree's member, or cut short
  const flipped = Buffer.from(bytes);
  flipped[flipped.length - 20] ^= 0xff;
  writeFileSync(file, flipped);
  assert.match((await checkWritten(file, written)) ?? '', /^(archive is damaged: |the archive read back is not the bytes that were written$)/);
  writeFileSync(file, bytes.subarray(0, bytes.length - 100));
  assert.match((await checkWritten(file, written)) ?? '', /^archive is damaged: /);
}));

test('a file that is not the size its stat said is never packed short or long: the writer says how many bytes there were', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rg-writer-'));
  const src = path.join(dir, 'src.txt');
  writeFileSync(src, 'x'.repeat(1000));
  const read = async <T>(how: (fd: number) => T): Promise<Awaited<T>> => {
    const fd = openSync(src, 'r');
    try {
      return await how(fd);
    } finally {
      closeSync(fd);
    }
  };
  try {
    const w = new TarGzWriter(path.join(dir, 'out.tar.gz'));
    // it grew since its stat (one byte more is asked for, to see it), or it shrank: not packed
    assert.is((await read((fd) => w.smallFile(fd, 'grew.txt', 0o644, 999, 0)))?.length, 1000);
    assert.is((await read((fd) => w.smallFile(fd, 'shrank.txt', 0o644, 1001, 0)))?.length, 1000);
    assert.is((await read((fd) => w.smallFile(fd, 'same.txt', 0o644, 1000, 0)))?.length, 1000);
    await w.end();
    // the archive holds the one whose size held, and nothing of the others
    const tar = gunzipSync(readFileSync(path.join(dir, 'out.tar.gz')));
    assert.is(tar.length, 512 + 1024 + 1024);
    assert.is(tar.toString('latin1', 0, 8), 'same.txt');
    assert.ok(tar.subarray(512, 1512).equals(Buffer.from('x'.repeat(1000))));
    // a large file, by pieces: the bytes read say the same (the archive then fails whole)
    const big = new TarGzWriter(path.join(dir, 'big.tar.gz'));
    assert.is(await read((fd) => big.copyFrom(fd, 999, () => {})), 1000);
    assert.is(await read((fd) => big.copyFrom(fd, 1001, () => {})), 1000);
    await big.abort();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('headers written byte by byte (plain ustar) are the bytes of the planned encoder, for every shape', async () => {
  const names = ['a', 'dir/x.go', 'x'.repeat(99), 'x'.repeat(100), 'ü.txt', `${'a/'.repeat(60)}b`, 'tab\there', 'dir/'];
  const headers: TarHeader[] = [];
  for (const type of ['File', 'Directory', 'SymbolicLink'] as const)
    for (const p of names)
      for (const size of type === 'File' ? [0, 511, 2048, 8 ** 10 - 1, 8 ** 10, 8 ** 11 - 1] : [0])
        for (const mode of [0o644, 0o755, 0o4777, 0o000])
          for (const mtimeMs of [undefined, 0, 1796188493782.7, 8 ** 11 * 1000 + 5, -5])
            headers.push({ path: p, type, mode, size, mtimeMs, linkpath: type === 'SymbolicLink' ? (mode === 0o755 ? 'ü' : `../${p}`) : undefined });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rg-headers-'));
  try {
    const file = path.join(dir, 'h.tar.gz');
    const w = new TarGzWriter(file);
    for (const h of headers) await w.header(h);
    await w.end();
    const want = Buffer.concat([...headers.map((h) => headerBlocks(h)), Buffer.alloc(1024)]);
    const got = gunzipSync(readFileSync(file));
    assert.is(got.length, want.length);
    for (let at = 0, i = 0; i < headers.length; at += headerBlocks(headers[i]).length, i++) {
      const n = headerBlocks(headers[i]).length;
      assert.ok(got.subarray(at, at + n).equals(want.subarray(at, at + n)), JSON.stringify(headers[i]));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('archive --dir inside the work tree follows the backupDir rule: refused (exit 2, nothing written) unless git ignores it', withRepo({ files: { 'a.txt': 'a\n' } }, (repo) => {
  const r = repo.cli(['archive', '--dir', 'archives']);
  assert.is(r.code, 2, r.stdout + r.stderr);
  assert.match(r.stderr, '--dir archives is refused: archives there would be untracked files of the work tree (archives)');
  assert.is(r.stderr.trim().split('\n').length, 1);
  assert.not.ok(existsSync(path.join(repo.dir, 'archives')), 'nothing written');
  repo.write('.gitignore', 'archives/\n');
  const ok = repo.cli(['archive', '--dir', 'archives', '--json']);
  assert.is(ok.code, 0, ok.stderr);
  assert.ok(existsSync(JSON.parse(ok.stdout).path));
  assert.is(repo.cli(['archive', '--dir', path.join(repo.base, 'elsewhere')]).code, 0, 'outside the work tree: fine');
}));

test('a backupDir inside the work tree (ignored by git): no archive packs the archives before it, nor itself', withRepo({ files: { 'a.txt': 'a\n', '.gitignore': 'vault/\n' } }, async (repo) => {
  repo.write('reorg-guard.config.json', JSON.stringify({ backupDir: path.join(repo.dir, 'vault') }) + '\n');
  const first = repo.cli(['archive', '--json']);
  assert.is(first.code, 0, first.stderr);
  const second = repo.cli(['archive', '--json']);
  assert.is(second.code, 0, second.stderr);
  const names: string[] = [];
  await tarList({ file: JSON.parse(second.stdout).path, onReadEntry: (e) => names.push(e.path) });
  assert.equal(names.filter((n) => n.startsWith('vault')), [], names.join(', '));
  assert.is(JSON.parse(second.stdout).files, JSON.parse(first.stdout).files, 'the same files each time');
  assert.ok(names.includes('a.txt'));
}));

test.run();
