import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BACKUP_BRANCHES, cliAsync, git, makeRepo, testEnv, tmpDir, withRepo } from './helpers/repo.js';
import { makeGcommonRepo, captureState } from './helpers/state.js';
import { refFormatProblem } from '../src/util/validate.js';

function expectRefused(files: Record<string, string>, pattern: RegExp): void {
  const repo = makeRepo();
  try {
    for (const [p, c] of Object.entries(files)) repo.write(p, c);
    const before = repo.git('for-each-ref');
    const r = repo.cli(['backup']);
    assert.is(r.code, 2, r.stderr);
    assert.is(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, pattern);
    assert.is(repo.git('for-each-ref'), before, 'nothing changed');
  } finally {
    repo.cleanup();
  }
}

test('malformed JSON names the file', () => {
  expectRefused({ 'reorg-guard.config.json': '{ "remote": ' }, /reorg-guard\.config\.json is not valid JSON/);
});

test('an unknown key names the key and the file', () => {
  expectRefused({ 'reorg-guard.config.json': '{ "remtoe": "origin" }' }, /reorg-guard\.config\.json: unknown key "remtoe"/);
});

test('a wrong type names the key, the file and the type wanted', () => {
  expectRefused({ 'reorg-guard.config.json': '{ "push": "yes" }' }, /reorg-guard\.config\.json: "push" must be true or false/);
  expectRefused({ 'reorg-guard.config.json': '{ "guardedPaths": "proto/" }' }, /"guardedPaths" must be a list of non-empty strings/);
  expectRefused({ 'reorg-guard.config.json': '{ "keepBranches": -1 }' }, /"keepBranches" must be a whole number/);
  expectRefused({ 'reorg-guard.config.json': '[1, 2]' }, /must be a JSON object/);
  expectRefused({ 'reorg-guard.config.json': '{ "branchPrefix": "-evil" }' }, /"branchPrefix" must be a valid branch name prefix/);
});

test('the "reorgGuard" key of package.json is read and checked', withRepo({ files: { 'package.json': JSON.stringify({ name: 'x', reorgGuard: { branchPrefix: 'safe-', push: false } }) } }, (repo) => {
  repo.git('rm', '-q', '--cached', 'reorg-guard.config.json');
  repo.write('.gitignore', 'reorg-guard.config.json\n');
  // reorg-guard.config.json wins when both exist; drop it to read package.json
  repo.git('commit', '-qam', 'config in package.json');
  repo.git('clean', '-fqX');
  const r = repo.cli(['backup', '--json']);
  assert.is(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.match(out.branch, /^safe-\d{8}_\d{6}$/);
  assert.is(out.pushed, false);
}));

test('a bad "reorgGuard" key in package.json names package.json', withRepo({ files: { 'package.json': JSON.stringify({ reorgGuard: { strict: 1 } }) } }, (repo) => {
  repo.git('rm', '-q', '--cached', 'reorg-guard.config.json');
  repo.git('commit', '-qm', 'no own config');
  repo.git('clean', '-fq');
  const r = repo.cli(['list']);
  assert.is(r.code, 2);
  assert.match(r.stderr, /package\.json#reorgGuard: "strict" must be true or false/);
}));

const config = (c: Record<string, unknown>) => ({ 'reorg-guard.config.json': JSON.stringify(c) });

test('a newRoot that overlaps oldLayout is refused, and rollback quick deletes nothing', withRepo(() => makeGcommonRepo(0.01), (repo) => {
  repo.reorganize();
  const cfg = JSON.parse(repo.read('reorg-guard.config.json').toString());
  repo.write('reorg-guard.config.json', JSON.stringify({ ...cfg, newRoot: 'pkg/' }));
  const before = captureState(repo.dir);
  const r = repo.cli(['rollback', 'quick', '--yes']);
  assert.is(r.code, 2, r.stderr);
  assert.is(r.stderr.trim().split('\n').length, 1, r.stderr);
  assert.match(r.stderr, /reorg-guard\.config\.json: "newRoot" "pkg\/" is refused: it overlaps "oldLayout" "pkg\/<domain>\/proto\/"/);
  assert.equal(captureState(repo.dir), before, 'nothing changed');
}));

test('layouts that overlap in either direction, or leave the repository, are refused', () => {
  const refused: Array<[Record<string, unknown>, RegExp]> = [
    [{ newRoot: 'pkg/auth/proto/v1/' }, /"newRoot" "pkg\/auth\/proto\/v1\/" is refused: it overlaps "oldLayout"/],
    [{ newRoot: './pkg' }, /"newRoot" ".\/pkg" is refused: it overlaps/],
    [{ oldLayout: 'proto/<domain>/', newRoot: 'proto/gcommon/v1/' }, /"newRoot" .* overlaps "oldLayout" "proto\/<domain>\/"/],
    [{ oldLayout: 'src/<domain>-old/', newRoot: 'src/auth-old/x/' }, /"newRoot" .* overlaps/],
    [{ newRoot: '/' }, /"newRoot" "\/" is refused: it must be relative to the repository/],
    [{ newRoot: '.' }, /"newRoot" "." is refused: it names the whole repository/],
    [{ newRoot: './' }, /"newRoot" ".\/" is refused: it names the whole repository/],
    [{ newRoot: '../' }, /"newRoot" "..\/" is refused: '..' would leave the repository/],
    [{ newRoot: 'proto/../../x/' }, /"newRoot" .* '..' would leave the repository/],
    [{ newRoot: '/tmp/new/' }, /"newRoot" "\/tmp\/new\/" is refused: it must be relative/],
    [{ oldLayout: '../<domain>/proto/' }, /"oldLayout" .* '..' would leave the repository/],
    [{ oldLayout: '/' }, /"oldLayout" "\/" is refused/],
    [{ configFiles: ['buf.yaml', '../buf.yaml'] }, /"configFiles" "..\/buf.yaml" is refused: '..' would leave the repository/],
    [{ configFiles: ['/etc/passwd'] }, /"configFiles" "\/etc\/passwd" is refused: it must be relative/],
    [{ configFiles: ['.'] }, /"configFiles" "." is refused: it names the whole repository/],
  ];
  for (const [c, pattern] of refused) expectRefused(config(c), pattern);
  // Side by side, or a name that only starts alike, is fine.
  const repo = makeRepo({ files: config({ oldLayout: 'pkg/<domain>/proto/', newRoot: 'pkg2/', configFiles: ['conf/buf.yaml'] }) });
  try {
    const r = repo.cli(['list']);
    assert.is(r.code, 0, r.stderr);
  } finally {
    repo.cleanup();
  }
});

test('branch prefixes git check-ref-format refuses are refused', () => {
  expectRefused(config({ branchPrefix: 'refs/heads/' }), /"branchPrefix" "refs\/heads\/" is refused: give the prefix of the branch name itself/);
  expectRefused(config({ branchPrefix: 'a.lock/' }), /"branchPrefix" "a.lock\/" is refused: git refuses the branch names it makes \(git check-ref-format: its part "a.lock" ends with '.lock'\)/);
  expectRefused(config({ branchPrefix: 'backup//' }), /"branchPrefix" "backup\/\/" is refused: git refuses/);
  expectRefused(config({ branchPrefix: 'x/.hidden-' }), /"branchPrefix" "x\/.hidden-" is refused: git refuses .* starts with '.'/);
  expectRefused(config({ branchPrefix: 'a@{' }), /"branchPrefix" "a@\{" is refused/);
  expectRefused(config({ branchPrefix: 'tab\there-' }), /"branchPrefix" .* is refused/);
  const repo = makeRepo({ files: config({ branchPrefix: 'backups/proto.', push: false }) });
  try {
    const r = repo.cli(['backup', '--json']);
    assert.is(r.code, 0, r.stderr);
    assert.match(JSON.parse(r.stdout).branch, /^backups\/proto\.\d{8}_\d{6}$/);
  } finally {
    repo.cleanup();
  }
});

test('the ref-name rules agree with git check-ref-format on a table of names', () => {
  const dir = tmpDir();
  const names = [
    'a', 'a/b', 'a.lock/b', 'a/b.lock', 'a/b.lockx', '.a/b', 'a/.b', 'a/b.', 'a..b', 'a/./b', 'a//b', '/a', 'a/',
    'a@{b', 'a@b', '@', 'a/@', 'a b', 'a\tb', 'a~b', 'a^b', 'a:b', 'a?b', 'a*b', 'a[b', 'a\\b', 'a\x7fb', 'a\x01b',
    'ünï/cödé', 'a-/b_', 'a/{b}', 'a/b!', 'a/b#', "a/b'", 'a/b"', 'a$/b', 'a/.lock', 'a/lock', 'a..', '.', '..',
  ];
  for (const base of names) {
    for (const name of [`refs/heads/${base}`, `refs/heads/${base}20260101_000000`]) {
      const real = spawnSync('git', ['check-ref-format', name], { cwd: dir, env: testEnv() }).status === 0;
      assert.is(refFormatProblem(name) === null, real, `${JSON.stringify(name)}: git says ${real ? 'valid' : 'invalid'}`);
    }
  }
});

test('a backupDir inside the work tree is refused unless git ignores it', () => {
  expectRefused(config({ backupDir: 'backups' }), /reorg-guard\.config\.json: "backupDir" ".*\/work\/backups" is refused: archives there would be untracked files of the work tree \(backups\)/);
  expectRefused(config({ backupDir: '.' }), /"backupDir" .* is refused: archives there would be untracked files of the work tree \(\.\)/);
  const repo = makeRepo({ files: { ...config({ backupDir: 'local/backups' }), '.gitignore': '/local/\n' } });
  try {
    const r = repo.cli(['archive', '--json']);
    assert.is(r.code, 0, r.stderr);
    const archives = readdirSync(path.join(repo.dir, 'local/backups'));
    assert.is(archives.length, 1);
    assert.ok(existsSync(JSON.parse(r.stdout).path));
    assert.ok(JSON.parse(r.stdout).path.startsWith(path.join(repo.dir, 'local/backups') + path.sep));
  } finally {
    repo.cleanup();
  }
});

test('"$schema" is accepted and never fetched', async () => {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(req.url ?? '');
    res.end('{}');
  });
  server.on('connection', () => hits.push('connection'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const repo = makeRepo({ files: config({ $schema: `http://127.0.0.1:${port}/reorg-guard.schema.json`, push: false }) });
  try {
    for (const args of [['backup', '--json'], ['list'], ['recover']]) {
      const r = await cliAsync(repo.dir, args);
      assert.ok(r.code === 0 || (args[0] === 'recover' && r.code === 1), `${args.join(' ')}: ${r.stderr}`);
    }
    assert.is(git(repo.dir, 'for-each-ref', '--format=%(refname)', BACKUP_BRANCHES).split('\n').length, 1);
    assert.equal(hits, []);
  } finally {
    server.close();
    repo.cleanup();
  }
});

test.run();
