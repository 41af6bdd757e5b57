import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { chmodSync, rmSync, existsSync, linkSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { CLI, cli, makeRepo, testEnv, tmpDir, withRepo, type TestRepo } from './helpers/repo.js';
import { craftArchive, flipByte, truncateArchive, type CraftEntry } from './helpers/archives.js';

/** path → "type mode size sha256|target" for every entry below `root`, `skip` left out. */
function treeOf(root: string, skip: string[] = []): Record<string, string> {
  const out: Record<string, string> = {};
  const visit = (rel: string) => {
    for (const name of readdirSync(path.join(root, rel)).sort()) {
      const p = rel ? `${rel}/${name}` : name;
      if (skip.includes(p)) continue;
      const abs = path.join(root, p);
      const st = lstatSync(abs);
      const mode = (st.mode & 0o7777).toString(8);
      if (st.isSymbolicLink()) out[p] = `link -> ${readlinkSync(abs)}`;
      else if (st.isDirectory()) {
        out[p] = `dir ${mode}`;
        visit(p);
      } else out[p] = `file ${mode} ${st.size} ${createHash('sha256').update(readFileSync(abs)).digest('hex')}`;
    }
  };
  visit('');
  return out;
}

/** The CLI under a strict umask: restored modes must come from the manifest, not the umask. */
function cliUmask(cwd: string, args: string[]) {
  const r = spawnSync('sh', ['-c', 'umask 077; exec "$0" "$@"', process.execPath, CLI, ...args], { cwd, env: testEnv(), encoding: 'utf8', input: '' });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function archiveOf(repo: TestRepo): string {
  const r = repo.cli(['archive', '--json']);
  assert.is(r.code, 0, r.stderr);
  return JSON.parse(r.stdout).path;
}

test('restore reproduces the tree byte for byte, modes included, whatever the umask', withRepo((repo, defer) => {
  defer(() => chmodSync(path.join(repo.dir, 'ro'), 0o755));
  repo.write('bin/run.sh', '#!/bin/sh\necho hi\n');
  chmodSync(path.join(repo.dir, 'bin/run.sh'), 0o755);
  repo.write('secret/key.pem', 'k');
  chmodSync(path.join(repo.dir, 'secret/key.pem'), 0o600);
  chmodSync(path.join(repo.dir, 'secret'), 0o700);
  repo.write('ro/frozen.txt', 'frozen');
  chmodSync(path.join(repo.dir, 'ro/frozen.txt'), 0o444);
  chmodSync(path.join(repo.dir, 'ro'), 0o555);
  repo.write('shared/group.txt', 'g');
  chmodSync(path.join(repo.dir, 'shared/group.txt'), 0o664);
  repo.write('odd names/ünïcode file.txt', 'u');
  repo.write('odd names/new\nline', 'n');
  repo.write('empty', '');
  repo.write('blob.bin', Buffer.from([0, 1, 2, 255, 254, 0]));
  symlinkSync('bin/run.sh', path.join(repo.dir, 'run-link'));
  repo.write('a/b/c.txt', 'deep');
  symlinkSync('../../bin', path.join(repo.dir, 'a/b/up-link'));
  // two names for one file: archived as two files, never as a tar hard link
  linkSync(path.join(repo.dir, 'blob.bin'), path.join(repo.dir, 'blob-twin.bin'));
  const archive = archiveOf(repo);
  const dest = path.join(repo.base, 'restored');
  const r = cliUmask(repo.dir, ['restore', archive, '--to', dest]);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /every file matches the manifest/);
  assert.equal(treeOf(dest), treeOf(repo.dir, ['.git']));
  assert.not.ok(existsSync(path.join(dest, '.reorg-guard-manifest.json')));
  assert.is(readdirSync(repo.base).filter((n) => n.startsWith('.reorg-guard-restore-')).length, 0, 'no temp folder left');
}));

test('a damaged archive restores nothing: truncated, a flipped byte, no manifest (exit 1)', withRepo({ files: { 'README.md': '# r\n', 'data.bin': Buffer.alloc(200_000, 7) } }, async (repo) => {
  const archive = archiveOf(repo);
  const copy = (name: string) => {
    const f = path.join(repo.base, name);
    writeFileSync(f, readFileSync(archive));
    return f;
  };
  const truncated = copy('truncated.tar.gz');
  truncateArchive(truncated, 0.6);
  const flipped = copy('flipped.tar.gz');
  flipByte(flipped);
  const foreign = path.join(repo.base, 'foreign.tar.gz');
  await craftArchive(foreign, [{ path: 'x.txt', type: 'File', body: 'x' }], { manifest: false });
  for (const [file, why] of [[truncated, /unexpected end of file|Truncated/], [flipped, /damaged|differs/], [foreign, /no manifest/]] as const) {
    const dest = path.join(repo.base, `out-${path.basename(file)}`);
    const r = repo.cli(['restore', file, '--to', dest]);
    assert.is(r.code, 1, `${file}: ${r.stderr}`);
    assert.match(r.stderr, why);
    assert.match(r.stderr, /nothing was restored/);
    assert.not.ok(existsSync(dest));
  }
}));

const ATTACKS: Array<{ name: string; entries: (outside: string) => CraftEntry[]; refuses: RegExp }> = [
  { name: '../x', entries: () => [{ path: '../x', type: 'File', body: 'pwned' }], refuses: /"\.\.\/x" contains '\.\.'/ },
  { name: 'a/../../x', entries: () => [{ path: 'a/../../x', type: 'File', body: 'pwned' }], refuses: /"a\/\.\.\/\.\.\/x" contains '\.\.'/ },
  { name: 'absolute path', entries: (out) => [{ path: `${out}/x`, type: 'File', body: 'pwned' }], refuses: /has an absolute path/ },
  { name: 'symlink to /', entries: () => [{ path: 'root', type: 'SymbolicLink', linkpath: '/' }], refuses: /symlink "root" -> "\/" points outside/ },
  {
    name: 'symlink out, then a file through it',
    entries: (out) => [{ path: 'escape', type: 'SymbolicLink', linkpath: out }, { path: 'escape/x', type: 'File', body: 'pwned' }],
    refuses: /symlink "escape" -> .* points outside/,
  },
  {
    name: 'relative symlink out, then a file through it',
    entries: () => [{ path: 'd', type: 'Directory' }, { path: 'd/up', type: 'SymbolicLink', linkpath: '../..' }, { path: 'd/up/x', type: 'File', body: 'pwned' }],
    refuses: /symlink "d\/up" -> "\.\.\/\.\." points outside/,
  },
  {
    name: 'symlink inside, then a file through it',
    entries: () => [{ path: 'd', type: 'Directory' }, { path: 'l', type: 'SymbolicLink', linkpath: 'd' }, { path: 'l/x', type: 'File', body: 'x' }],
    refuses: /"l\/x" would be written through the symlink "l"/,
  },
  {
    name: 'symlink climbing through another symlink',
    entries: () => [{ path: 'here', type: 'SymbolicLink', linkpath: '.' }, { path: 'sub', type: 'Directory' }, { path: 'sub/l', type: 'SymbolicLink', linkpath: '../here/..' }],
    refuses: /symlink "sub\/l" -> "\.\.\/here\/\.\." points outside/,
  },
  { name: 'hard link', entries: () => [{ path: 'f', type: 'File', body: 'f' }, { path: 'h', type: 'Link', linkpath: 'f' }], refuses: /"h" is a hard link/ },
  { name: 'device file', entries: () => [{ path: 'null', type: 'CharacterDevice' }], refuses: /"null" is a device file/ },
  { name: 'setuid file', entries: () => [{ path: 'su', type: 'File', body: 's', mode: 0o4755 }], refuses: /"su" has a set-user-ID/ },
];

test('restore refuses every hostile archive, naming the entry, writing nothing (exit 2)', async () => {
  const base = tmpDir();
  try {
    for (const [i, attack] of ATTACKS.entries()) {
      const outside = path.join(base, `outside-${i}`);
      mkdirSync(outside);
      const file = path.join(base, `evil-${i}.tar.gz`);
      await craftArchive(file, attack.entries(outside));
      const dest = path.join(base, `dest-${i}`, 'into');
      const r = cli(base, ['restore', file, '--to', dest]);
      assert.is(r.code, 2, `${attack.name}: ${r.stderr}`);
      assert.match(r.stderr, attack.refuses, attack.name);
      assert.is(r.stderr.trim().split('\n').length, 1, `${attack.name}: one line`);
      assert.not.ok(existsSync(dest), `${attack.name}: nothing restored`);
      assert.equal(readdirSync(outside), [], `${attack.name}: nothing written outside`);
    }
    assert.not.ok(existsSync(path.join(base, 'x')));
    assert.equal(readdirSync(base).filter((n) => !/^(outside|evil|dest)-\d+/.test(n)), [], 'nothing else written');
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
});

test('a symlink already in DIR is never written through, even with --force', withRepo(async (repo) => {
  const outside = path.join(repo.base, 'outside');
  mkdirSync(outside);
  const dest = path.join(repo.base, 'dest');
  mkdirSync(dest);
  symlinkSync(outside, path.join(dest, 'conf'));
  const file = path.join(repo.base, 'plain.tar.gz');
  await craftArchive(file, [{ path: 'conf', type: 'Directory' }, { path: 'conf/app.yaml', type: 'File', body: 'x: 1\n' }]);
  const r = repo.cli(['restore', file, '--to', dest, '--force', '--yes']);
  assert.is(r.code, 2, r.stderr);
  assert.match(r.stderr, /conf is a symlink in .* written through it/);
  assert.equal(readdirSync(outside), []);
}));

test('a non-empty DIR needs --force; without a terminal replacing files needs --yes; other files stay', withRepo(async (repo) => {
  const file = path.join(repo.base, 'plain.tar.gz');
  await craftArchive(file, [{ path: 'a.txt', type: 'File', body: 'from archive\n' }]);
  const dest = path.join(repo.base, 'dest');
  mkdirSync(dest);
  writeFileSync(path.join(dest, 'a.txt'), 'mine\n');
  writeFileSync(path.join(dest, 'keep.txt'), 'keep\n');
  let r = repo.cli(['restore', file, '--to', dest]);
  assert.is(r.code, 2);
  assert.match(r.stderr, /not empty: pass --force/);
  r = repo.cli(['restore', file, '--to', dest, '--force']);
  assert.is(r.code, 2);
  assert.match(r.stderr, /pass --yes/);
  r = repo.cli(['restore', file, '--to', dest, '--force', '--dry-run']);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /replacing 1: a\.txt/);
  assert.is(readFileSync(path.join(dest, 'a.txt'), 'utf8'), 'mine\n');
  r = repo.cli(['restore', file, '--to', dest, '--force', '--yes']);
  assert.is(r.code, 0, r.stderr);
  assert.is(readFileSync(path.join(dest, 'a.txt'), 'utf8'), 'from archive\n');
  assert.is(readFileSync(path.join(dest, 'keep.txt'), 'utf8'), 'keep\n');
}));

test('restoring into the work tree is journaled with a safety snapshot; replaced files are moved aside', withRepo({ files: { 'README.md': 'v1\n', 'proto/a.proto': 'syntax = "proto3";\n' } }, (repo) => {
  const archive = archiveOf(repo);
  repo.write('README.md', 'v2, not committed\n');
  const r = repo.cli(['restore', archive, '--to', '.', '--force', '--yes', '--json']);
  assert.is(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.is(readFileSync(path.join(repo.dir, 'README.md'), 'utf8'), 'v1\n');
  assert.is(readFileSync(path.join(out.movedAsideTo, 'README.md'), 'utf8'), 'v2, not committed\n');
  const journal = readFileSync(path.join(repo.dir, '.git/reorg-guard/journal.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const ops = journal.filter((e) => e.op === 'restore');
  assert.equal(ops.map((e) => e.status), ['started', 'done']);
  const safety = ops[0].safety.ref;
  assert.is(repo.git('show', `${safety}:README.md`), 'v2, not committed');
}));

test('a restore that fails while it moves the files into DIR leaves no extracted folder beside DIR', withRepo({ files: { 'README.md': 'v1\n' } }, (repo) => {
  const archive = archiveOf(repo);
  repo.write('README.md', 'v2, not committed\n');
  // the folder the replaced files are moved aside into cannot be made: the move fails after the extraction
  mkdirSync(path.join(repo.dir, '.git/reorg-guard'), { recursive: true });
  writeFileSync(path.join(repo.dir, '.git/reorg-guard/replaced'), 'in the way\n');
  const r = repo.cli(['restore', archive, '--to', '.', '--force', '--yes']);
  assert.is(r.code, 1, r.stdout + r.stderr);
  assert.is(readFileSync(path.join(repo.dir, 'README.md'), 'utf8'), 'v2, not committed\n', 'nothing replaced');
  assert.equal(readdirSync(repo.base).filter((n) => n.startsWith('.reorg-guard-restore-')), [], 'nothing left beside DIR');
}));

test('a work tree git refuses to open (dubious ownership) is an error, never a plain overwrite', () => {
  if (process.getuid?.() !== 0) return; // needs root to give the folder to another user
  const repo = makeRepo({ files: { 'README.md': 'v1\n' } });
  try {
    const archive = archiveOf(repo);
    repo.write('README.md', 'v2, not committed\n');
    spawnSync('chown', ['-R', '65534', repo.dir]);
    const r = repo.cli(['restore', archive, '--to', '.', '--force', '--yes']);
    assert.is(r.code, 1, r.stdout);
    assert.match(r.stderr, /dubious ownership/);
    assert.is(readFileSync(path.join(repo.dir, 'README.md'), 'utf8'), 'v2, not committed\n', 'nothing restored');
  } finally {
    spawnSync('chown', ['-R', String(process.getuid?.() ?? 0), repo.dir]);
    repo.cleanup();
  }
});

test('a broken config is named, not taken for "archive not found"', withRepo((repo) => {
  const archive = archiveOf(repo);
  repo.write('reorg-guard.config.json', '{"keepBranches": "five"}');
  const r = repo.cli(['restore', path.basename(archive), '--to', tmpDir()]);
  assert.is(r.code, 2);
  assert.match(r.stderr, /keepBranches/);
  assert.not.match(r.stderr, /not found|No archive/i);
}));

test('over an existing folder, nothing is restored into .git', withRepo(async (repo) => {
  const file = path.join(repo.base, 'hooks.tar.gz');
  await craftArchive(file, [{ path: '.git', type: 'Directory' }, { path: '.git/hooks', type: 'Directory' }, { path: '.git/hooks/post-checkout', type: 'File', body: '#!/bin/sh\necho pwned\n', mode: 0o755 }]);
  const r = repo.cli(['restore', file, '--to', '.', '--force', '--yes']);
  assert.is(r.code, 2, r.stderr);
  assert.match(r.stderr, /nothing is restored into \.git/);
  assert.not.ok(existsSync(path.join(repo.dir, '.git/hooks/post-checkout')));
}));

test('restore: bad usage is one line and exit 2', withRepo((repo) => {
  assert.is(repo.cli(['restore']).code, 2);
  assert.is(repo.cli(['restore', 'nope.tar.gz', '--to', 'x']).code, 2);
  const r = repo.cli(['restore', 'README.md', '--to', '.git/x']);
  assert.is(r.code, 2);
  assert.match(r.stderr, /inside a \.git folder/);
  assert.is(repo.cli(['restore', 'README.md']).code, 2);
}));

test('a name with a backslash (one file on POSIX, as git keeps it) is archived, restored, and counted when it would be replaced', withRepo({ files: { 'README.md': '# r\n', 'back\\slash.txt': 'one file\n', 'pkg\\proto\\x.proto': 'syntax = "proto3";\n' } }, (repo) => {
  const archive = archiveOf(repo);
  const dest = path.join(repo.base, 'restored');
  const r = repo.cli(['restore', archive, '--to', dest]);
  assert.is(r.code, 0, r.stderr);
  assert.equal(treeOf(dest), treeOf(repo.dir, ['.git']));
  assert.is(readFileSync(path.join(dest, 'back\\slash.txt'), 'utf8'), 'one file\n');
  // over a folder that has that file: the plan names it, and without --yes nothing is replaced
  const over = path.join(repo.base, 'over');
  mkdirSync(over);
  writeFileSync(path.join(over, 'back\\slash.txt'), 'mine\n');
  const dry = repo.cli(['restore', archive, '--to', over, '--force', '--dry-run']);
  assert.is(dry.code, 0, dry.stderr);
  assert.match(dry.stdout, 'replacing 1: back\\slash.txt');
  assert.is(repo.cli(['restore', archive, '--to', over, '--force']).code, 2);
  assert.is(readFileSync(path.join(over, 'back\\slash.txt'), 'utf8'), 'mine\n');
}));

test('restore over a tree: files already as the archive has them are not counted as replaced, nor moved aside; symlinks are counted', withRepo((repo) => {
  repo.write('a.txt', 'a\n');
  repo.write('b.txt', 'b\n');
  symlinkSync('a.txt', path.join(repo.dir, 'a-link'));
  const archive = archiveOf(repo);
  const fresh = JSON.parse(repo.cli(['restore', archive, '--to', path.join(repo.base, 'fresh'), '--json']).stdout);
  const files: number = fresh.files;
  assert.is(fresh.symlinks, 1);
  // over the very tree it was made of: nothing to replace
  let dry = repo.cli(['restore', archive, '--to', repo.dir, '--force', '--dry-run']);
  assert.is(dry.code, 0, dry.stderr);
  assert.match(dry.stdout, `${files} files and 1 symlink would be restored`);
  assert.not.match(dry.stdout, 'replacing');
  assert.match(dry.stdout, `${files + 1} already as the archive has them`);
  // one file edited, one with other permission bits, the link pointing elsewhere: those three
  repo.write('a.txt', 'edited\n');
  chmodSync(path.join(repo.dir, 'b.txt'), 0o600);
  rmSync(path.join(repo.dir, 'a-link'));
  symlinkSync('b.txt', path.join(repo.dir, 'a-link'));
  dry = repo.cli(['restore', archive, '--to', repo.dir, '--force', '--dry-run', '--json']);
  assert.is(dry.code, 0, dry.stderr);
  const planned = JSON.parse(dry.stdout);
  assert.equal(planned.replacesPaths.sort(), ['a-link', 'a.txt', 'b.txt']);
  assert.is(planned.unchanged, files - 2);
  const r = repo.cli(['restore', archive, '--to', repo.dir, '--force', '--yes', '--json']);
  assert.is(r.code, 0, r.stderr);
  const done = JSON.parse(r.stdout);
  assert.is(done.replaced, 3);
  assert.is(done.symlinks, 1);
  assert.equal(readdirSync(done.movedAsideTo).sort(), ['a-link', 'a.txt', 'b.txt']);
  assert.is(repo.read('a.txt').toString(), 'a\n');
  assert.is(lstatSync(path.join(repo.dir, 'b.txt')).mode & 0o777, 0o644 & ~process.umask());
  assert.is(readlinkSync(path.join(repo.dir, 'a-link')), 'a.txt');
}));

test.run();
