/**
 * What a user meets when the machine gets in the way: a disk that fills up while an archive is
 * written, Ctrl-C in the middle of a command, a command killed while git was writing a file.
 * Each case checks what is left on the disk and what reorg-guard says about it.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { CLI, testEnv, withRepo, type TestRepo } from './helpers/repo.js';

/** Files whose names and hashes make a manifest of some 30 KB once compressed, and a body of random bytes. */
function fillRepo(repo: TestRepo): void {
  for (let i = 0; i < 400; i++) repo.write(`pkg/many/file_with_a_long_name_${String(i).padStart(4, '0')}.txt`, `${i}\n`);
  repo.write('pkg/blob.bin', randomBytes(200 * 1024));
  repo.git('add', '-A');
  repo.git('commit', '-qm', 'files');
}

/** The CLI with a limit on the size of any file it (or git) writes, in KiB: a disk that fills up at that size. */
function cliWithFileLimit(repo: TestRepo, kib: number, args: string[]) {
  // bash counts ulimit -f in KiB (POSIX sh in 512-byte blocks)
  const r = spawnSync('bash', ['-c', `ulimit -f ${kib} && exec "$0" "$@"`, process.execPath, CLI, ...args], { cwd: repo.dir, env: testEnv(), encoding: 'utf8' });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

test('archive on a disk that fills up: one sentence about the space, exit 1, nothing left behind', withRepo((repo) => {
  fillRepo(repo);
  const dir = path.join(repo.base, 'full');
  const first = repo.cli(['archive', '--dir', dir, '--json']);
  assert.is(first.code, 0, first.stderr);
  const size = statSync(JSON.parse(first.stdout).path).size;
  const before = readdirSync(dir);
  // room for the packed tree (the archive less its ~30 KB manifest), not for the whole archive
  const r = cliWithFileLimit(repo, Math.floor(size / 1024) - 8, ['archive', '--dir', dir]);
  assert.is(r.code, 1, r.stdout + r.stderr);
  assert.not.match(r.stderr, /changed while archiving/, 'no file changed: the disk was full');
  assert.not.match(r.stderr, /Unexpected error/);
  assert.match(r.stderr, /no room|space/i);
  assert.match(r.stderr, new RegExp(dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  assert.is(r.stderr.trim().split('\n').length, 1, 'one line');
  assert.equal(readdirSync(dir), before, 'no partial file left in the backup folder');
}));

test.run();
