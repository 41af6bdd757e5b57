import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import path from 'node:path';
import { withRepo, type TestRepo } from './helpers/repo.js';
import { craftArchive, flipByte, manifestFor, repack, truncateArchive } from './helpers/archives.js';
import { inTerminal } from './helpers/terminal.js';
import { verifyArchive } from '../src/backup/verify-archive.js';

interface Item {
  name: string;
  ok: boolean;
  problems: string[];
  notes: string[];
  remote?: string;
}

function verify(repo: TestRepo, ...args: string[]) {
  const r = repo.cli(['verify', 'backups', '--json', ...args]);
  return { code: r.code, stderr: r.stderr, report: JSON.parse(r.stdout || '{}') as { ok: boolean; branches: Item[]; snapshots: Item[]; archives: Item[] } };
}

function backup(repo: TestRepo, ...args: string[]): { branch: string; snapshot: string | null } {
  const r = repo.cli(['backup', '--json', ...args]);
  assert.is(r.code, 0, r.stderr);
  return JSON.parse(r.stdout);
}

test('sound backups verify: branches on the remote, snapshots whole, archives read in full; unpushed ones are named', withRepo((repo) => {
  repo.write('wip.txt', 'work in progress\n');
  const a = backup(repo);
  const b = backup(repo, '--no-push');
  repo.cli(['archive']);
  const { code, report } = verify(repo);
  assert.is(code, 0);
  assert.ok(report.ok);
  const byName = Object.fromEntries(report.branches.map((x) => [x.name, x]));
  assert.is(byName[a.branch].remote, 'same');
  assert.is(byName[b.branch].remote, 'unpushed');
  assert.match(byName[b.branch].notes.join(), /unpushed/);
  assert.is(report.snapshots.length, 2);
  assert.is(report.archives.length, 1);
  assert.ok(report.archives[0].ok);
  const text = repo.cli(['verify', 'backups']);
  assert.is(text.code, 0, text.stderr);
  assert.match(text.stdout, new RegExp(`! ${b.branch} .*unpushed`));
}));

test('a remote copy that is missing or at another commit fails, by name (exit 1)', withRepo((repo) => {
  const gone = backup(repo).branch;
  const moved = backup(repo).branch;
  repo.git('--git-dir', repo.origin, 'update-ref', '-d', `refs/heads/${gone}`);
  repo.git('commit', '-q', '--allow-empty', '-m', 'other');
  repo.git('push', '-q', '--force', 'origin', `HEAD:refs/heads/${moved}`);
  repo.git('update-ref', `refs/heads/${moved}`, 'HEAD~1');
  const { code, report } = verify(repo);
  assert.is(code, 1);
  const byName = Object.fromEntries(report.branches.map((x) => [x.name, x]));
  assert.is(byName[gone].remote, 'missing');
  assert.match(byName[gone].problems.join(), /not on origin/);
  assert.is(byName[moved].remote, 'differs');
  assert.match(byName[moved].problems.join(), /different commit/);
}));

test('a backup branch committed on since it was taken fails, by name, with the commit it was taken at; list says the same', withRepo((repo) => {
  const b = backup(repo, '--no-push').branch;
  const taken = repo.git('rev-parse', b);
  repo.git('checkout', '-q', b);
  repo.write('README.md', '# changed on the backup branch\n');
  repo.git('commit', '-qam', 'oops: on the backup branch');
  repo.git('checkout', '-q', 'main');
  const { code, report } = verify(repo, '--quick');
  assert.is(code, 1);
  const item = report.branches.find((x) => x.name === b)!;
  assert.not.ok(item.ok);
  assert.match(item.problems.join(), `moved since it was taken at ${taken.slice(0, 10)}`);
  assert.match(item.problems.join(), `git branch -f ${b} ${taken.slice(0, 10)}`);
  assert.match(repo.cli(['list']).stdout, `moved since it was taken at ${taken.slice(0, 10)}`);
  // put back as it says: sound again
  repo.git('branch', '-f', b, taken);
  assert.is(verify(repo, '--quick').code, 0);
}));

test('a snapshot with a missing blob fails, by name (exit 1)', withRepo((repo) => {
  repo.write('unique.txt', `only in the snapshot ${Date.now()}\n`);
  const b = backup(repo);
  assert.ok(b.snapshot);
  const blob = repo.git('rev-parse', `${b.snapshot}:unique.txt`);
  rmSync(path.join(repo.dir, '.git/objects', blob.slice(0, 2), blob.slice(2)));
  const { code, report } = verify(repo);
  assert.is(code, 1);
  assert.is(report.snapshots[0].ok, false);
  assert.match(report.snapshots[0].problems.join(), new RegExp(`missing object: ${blob}`));
  assert.ok(report.branches.every((x) => x.ok), 'the branch itself is fine');
}));

test('damaged archives are each reported by name: truncated, flipped byte, missing file, extra entry, no manifest', withRepo({ files: { 'README.md': '# r\n', 'proto/a.proto': 'syntax = "proto3";\n', 'data.bin': Buffer.alloc(300_000, 3) } }, async (repo) => {
  const r = repo.cli(['archive', '--json']);
  assert.is(r.code, 0, r.stderr);
  const good = JSON.parse(r.stdout).path as string;
  const dir = path.dirname(good);
  const make = (stampText: string) => {
    const f = path.join(dir, `work-backup-${stampText}.tar.gz`);
    copyFileSync(good, f);
    return f;
  };
  truncateArchive(make('20200101_000001'), 0.5);
  flipByte(make('20200101_000002'));
  await repack(make('20200101_000003'), { drop: ['proto/a.proto'] });
  await repack(make('20200101_000004'), { add: { 'smuggled.sh': 'echo hi\n' } });
  const foreign = path.join(dir, 'work-backup-20200101_000005.tar.gz');
  await craftArchive(foreign, [{ path: 'README.md', type: 'File', body: 'not ours' }], { manifest: false });
  const quick = verify(repo, '--quick');
  assert.is(quick.code, 0, 'quick only lists');
  assert.is(quick.report.archives.length, 6);
  const { code, report } = verify(repo);
  assert.is(code, 1);
  const why = Object.fromEntries(report.archives.map((a) => [a.name.slice('work-backup-'.length, -'.tar.gz'.length), a.problems.join(' | ')]));
  assert.match(why['20200101_000001'], /unexpected end of file|Truncated/);
  assert.match(why['20200101_000002'], /damaged|differs/);
  assert.match(why['20200101_000003'], /missing from archive: proto\/a\.proto/);
  assert.match(why['20200101_000004'], /extra entry not in manifest: smuggled\.sh/);
  assert.match(why['20200101_000005'], /no manifest/);
  assert.ok(report.archives.find((a) => a.name === path.basename(good))!.ok, 'the good one passes');
  const text = repo.cli(['verify', 'backups']);
  assert.match(text.stdout, /✖ work-backup-20200101_000003\.tar\.gz .*missing from archive: proto\/a\.proto/);
  assert.match(text.stderr, /5 backup items failed/);
}));
/** The plain tar inside an archive, changed by `edit`, gzipped again under `file`. */
function rewriteTar(good: string, file: string, edit: (tar: Buffer) => Buffer): void {
  writeFileSync(file, gzipSync(edit(gunzipSync(readFileSync(good)))));
}

/** A tar made by GNU tar of one file `name` in a fresh folder (`format`: gnu, ustar, ...). */
function gnuTar(base: string, name: string, format: string): Buffer {
  const dir = path.join(base, `gnu-${format}`);
  mkdirSync(path.join(dir, path.dirname(name)), { recursive: true });
  writeFileSync(path.join(dir, name), 'smuggled\n');
  const r = spawnSync('tar', [`--format=${format}`, '-cf', '-', name], { cwd: dir });
  assert.is(r.status, 0, String(r.stderr));
  return r.stdout;
}

test('the tar inside our archives is read strictly: bad header checksum, data after the end, no end blocks, unknown entry types, hard links, empty', withRepo({ files: { 'README.md': '# r\n', 'proto/a.proto': 'syntax = "proto3";\n' } }, async (repo) => {
  const r = repo.cli(['archive', '--json']);
  assert.is(r.code, 0, r.stderr);
  const good = JSON.parse(r.stdout).path as string;
  const dir = path.dirname(good);
  const at = (n: number) => path.join(dir, `work-backup-20200101_00000${n}.tar.gz`);
  const END = 1024; // our archives end with two zero blocks
  // a header byte changed: its mode, in the header of README.md
  rewriteTar(good, at(1), (tar) => {
    const h = tar.indexOf(Buffer.from('README.md\0'));
    assert.ok(h > 0);
    tar[h + 100 + 3] ^= 1;
    return tar;
  });
  // a file after the end-of-archive blocks (GNU tar and node-tar stop reading there and never see it)
  rewriteTar(good, at(2), (tar) => Buffer.concat([tar, gnuTar(repo.base, 'smuggled.sh', 'ustar')]));
  // the end-of-archive blocks cut off, the gzip stream whole
  rewriteTar(good, at(3), (tar) => tar.subarray(0, tar.length - END));
  // a GNU long-name entry (type L), which our writer never writes
  rewriteTar(good, at(4), (tar) => Buffer.concat([tar.subarray(0, tar.length - END), gnuTar(repo.base, `${'long/'.repeat(25)}x.go`, 'gnu')]));
  // a hard link named in the manifest as a file
  const crafted = path.join(repo.base, 'crafted.tar.gz');
  await craftArchive(crafted, [{ path: 'f', type: 'File', body: 'f' }, { path: 'h', type: 'Link', linkpath: 'f' }]);
  copyFileSync(crafted, at(5));
  // an empty file under an archive's name
  writeFileSync(at(6), '');
  const { code, report } = verify(repo);
  assert.is(code, 1);
  const why = Object.fromEntries(report.archives.map((a) => [a.name.slice('work-backup-'.length, -'.tar.gz'.length), a.problems.join(' | ')]));
  assert.match(why['20200101_000001'], /archive is damaged: header checksum failure/);
  assert.match(why['20200101_000002'], /archive is damaged: data after the end-of-archive blocks/);
  assert.match(why['20200101_000003'], /archive is damaged: unexpected end of file \(no end-of-archive blocks\)/);
  assert.match(why['20200101_000004'], /archive is damaged: unsupported entry type "L"/);
  assert.match(why['20200101_000005'], /h: is a Link in the archive/);
  assert.is(why['20200101_000006'], 'archive is empty');
  assert.ok(report.archives.find((a) => a.name === path.basename(good))!.ok, 'the good one passes');
}));


test('entries in another order than the manifest verify (both readers); an entry twice or missing is still named', withRepo(async (repo) => {
  const files = ['a.txt', 'b.txt', 'c.txt'].map((p) => ({ path: p, type: 'File' as const, body: `${p}\n` }));
  const manifest = { path: '.reorg-guard-manifest.json', type: 'File' as const, body: manifestFor(files) };
  const craft = async (name: string, order: typeof files) => {
    const f = path.join(repo.base, name);
    await craftArchive(f, [manifest, ...order], { manifest: false });
    return f;
  };
  const reversed = await craft('reversed.tar.gz', [...files].reverse());
  const twice = await craft('twice.tar.gz', [files[1], files[0], files[1]]);
  for (const ownArchive of [true, false]) {
    const ok = await verifyArchive(reversed, undefined, { ownArchive });
    assert.equal(ok.problems, [], `ownArchive ${ownArchive}`);
    assert.is(ok.files, 3);
    const bad = await verifyArchive(twice, undefined, { ownArchive });
    assert.equal(bad.problems, ['entry appears twice: b.txt', 'missing from archive: c.txt'], `ownArchive ${ownArchive}`);
  }
}));

test('a progress line while archives are read, on a terminal only', withRepo({ files: { 'a.txt': 'a\n' } }, (repo) => {
  repo.cli(['archive']);
  assert.not.match(repo.cli(['verify', 'backups']).stderr, /verifying/);
  const r = inTerminal(repo, ['verify', 'backups']);
  assert.is(r.code, 0, r.stdout);
  assert.match(r.stdout, /verifying work-backup-\d{8}_\d{6}\.tar\.gz: \d+ files, /);
}));

test('verify: unreachable remote fails; no backups is fine; unknown check is exit 2', withRepo((repo) => {
  assert.is(repo.cli(['verify', 'backups']).code, 0);
  assert.is(repo.cli(['verify']).code, 2);
  assert.is(repo.cli(['verify', 'everything']).code, 2);
  backup(repo);
  renameSync(repo.origin, `${repo.origin}.away`);
  const r = repo.cli(['verify', 'backups']);
  assert.is(r.code, 1);
  assert.match(r.stderr, /Cannot reach "origin"/);
}));

test.run();
