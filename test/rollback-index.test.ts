/**
 * rollback full and undo let git write the files and the index together (`read-tree -u
 * --reset`, as `git reset --hard` does): the index they leave must hold the stat data of what
 * they wrote (git status and git diff then read none of those files again), the state must be
 * exactly the one asked for, and what they remove must stay in the safety snapshot.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { chmodSync, existsSync, lstatSync, mkdtempSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { withRepo } from './helpers/repo.js';
import { captureState, makeGcommonRepo, type GcommonRepo } from './helpers/state.js';

/**
 * Index entries (`ls-files --debug`) whose stat data is not the work tree file's, but for files
 * changed and not staged (their entry holds the staged content): git would read them again.
 */
function staleEntries(repo: GcommonRepo): string[] {
  const unstaged = new Set(repo.git('diff', '--name-only').split('\n'));
  const out = repo.git('ls-files', '--debug');
  const stale: string[] = [];
  let seen = 0;
  // "<path>\n  ctime: s:ns\n  mtime: s:ns\n  dev: d\tino: i\n  uid: u\tgid: g\n  size: n\tflags: f"
  for (const m of out.matchAll(/^(\S.*)\n\s+ctime: \d+:\d+\n\s+mtime: (\d+):\d+\n\s+dev: \d+\tino: (\d+)\n.*\n\s+size: (\d+)\t/gm)) {
    const [, p, mtime, ino, size] = m;
    seen++;
    const st = lstatSync(path.join(repo.dir, p), { throwIfNoEntry: false });
    if (unstaged.has(p)) continue;
    if (!st || Math.floor(st.mtimeMs / 1000) !== Number(mtime) || st.ino !== Number(ino) || st.size !== Number(size)) stale.push(p);
  }
  assert.is(seen, repo.git('ls-files').split('\n').length, 'every index entry read');
  return stale;
}

/** A backup of uncommitted work, the reorganization committed, more work on top; the states at both times. */
function scene() {
  const repo = makeGcommonRepo(0.01);
  repo.write('README.md', 'staged edit\n');
  repo.git('add', 'README.md');
  repo.write('NOTES.md', 'untracked at backup time\n');
  repo.write('.env', 'ignored, never touched\n');
  assert.is(repo.cli(['backup', '--no-push']).code, 0);
  const atBackup = { state: captureState(repo.dir), status: repo.git('status', '--porcelain', '--untracked-files=all') };
  repo.reorganize();
  repo.git('add', '-A');
  repo.git('commit', '-q', '-m', 'reorganize');
  repo.write('later.txt', 'untracked, made after the backup\n');
  repo.write('buf.yaml', 'edited after the move\n');
  const moved = { state: captureState(repo.dir), status: repo.git('status', '--porcelain', '--untracked-files=all') };
  return { repo, atBackup, moved };
}

test('rollback full, then undo: each state exact, the index with fresh stat data of every file, status and diff as they were', withRepo(scene, ({ repo, atBackup, moved }) => {
  const back = repo.cli(['rollback', 'full', '--yes', '--json']);
  assert.is(back.code, 0, back.stderr);
  assert.equal(captureState(repo.dir), atBackup.state);
  assert.equal(staleEntries(repo), []);
  assert.is(repo.git('status', '--porcelain', '--untracked-files=all'), atBackup.status);
  // the staged edit is staged, nothing else differs from the index
  assert.is(repo.git('diff', '--name-only'), '');
  assert.is(repo.git('diff', '--cached', '--name-only'), 'README.md');
  // what the rollback removed is in its safety snapshot
  const { safety } = JSON.parse(back.stdout);
  assert.not.ok(existsSync(path.join(repo.dir, 'later.txt')));
  assert.is(repo.git('show', `${safety}:later.txt`), 'untracked, made after the backup');
  assert.is(repo.read('.env').toString(), 'ignored, never touched\n');

  const undo = repo.cli(['undo', '--yes']);
  assert.is(undo.code, 0, undo.stderr);
  assert.equal(captureState(repo.dir), moved.state);
  assert.equal(staleEntries(repo), []);
  assert.is(repo.git('status', '--porcelain', '--untracked-files=all'), moved.status);
  assert.is(repo.git('diff', '--name-only'), 'buf.yaml');
  assert.is(repo.read('.env').toString(), 'ignored, never touched\n');
}));

test('rollback full over a file left unstaged: the backup\'s unstaged edit stays unstaged, the index holds what was staged', withRepo(() => {
  const repo = makeGcommonRepo(0.01);
  repo.write('README.md', 'staged\n');
  repo.git('add', 'README.md');
  repo.write('README.md', 'unstaged on top\n');
  assert.is(repo.cli(['backup', '--no-push']).code, 0);
  const atBackup = captureState(repo.dir);
  repo.git('add', '-A');
  repo.git('commit', '-q', '-m', 'commit it all');
  return { repo, atBackup };
}, ({ repo, atBackup }) => {
  const r = repo.cli(['rollback', 'full', '--yes']);
  assert.is(r.code, 0, r.stderr);
  assert.equal(captureState(repo.dir), atBackup);
  assert.is(repo.read('README.md').toString(), 'unstaged on top\n');
  assert.is(repo.git('show', ':README.md'), 'staged');
  assert.is(repo.git('diff', '--name-only'), 'README.md');
}));


test('an ignored file where rollback full writes is kept in the safety snapshot: undo gives its bytes back', withRepo((repo) => {
  // buf.gen.yaml was tracked at backup time; the migration generates it and ignores it, and the
  // user keeps a local one (no git add would ever take it); so are two odd ones
  const odd = 'gen/odd name é\nline.yaml';
  repo.write('buf.gen.yaml', 'version: v2 # tracked\n');
  repo.write(odd, 'tracked odd\n');
  repo.write('gen/run.sh', '#!/bin/sh\necho tracked\n');
  repo.write('build/info.txt', 'tracked folder\n');
  repo.git('add', '-A');
  repo.git('commit', '-qm', 'generated files tracked');
  const b = repo.cli(['backup', '--no-push', '--json']);
  assert.is(b.code, 0, b.stderr);
  repo.git('rm', '-q', '--cached', 'buf.gen.yaml', odd, 'gen/run.sh');
  repo.git('rm', '-q', 'build/info.txt');
  repo.write('.gitignore', 'buf.gen.yaml\ngen/\nbuild\n');
  repo.git('add', '.gitignore');
  repo.git('commit', '-qm', 'generated files are ignored now');
  repo.write('buf.gen.yaml', 'MY LOCAL buf.gen.yaml\n');
  repo.write(odd, 'my odd one\n');
  repo.write('gen/run.sh', '#!/bin/sh\necho mine\n');
  chmodSync(path.join(repo.dir, 'gen/run.sh'), 0o755);
  repo.write('build', 'my build file, where the folder was\n');
  const ignored = repo.git('status', '--porcelain', '--ignored');

  const r = repo.cli(['rollback', 'full', '--yes', '--json']);
  assert.is(r.code, 0, r.stderr);
  assert.is(repo.read('buf.gen.yaml').toString(), 'version: v2 # tracked\n');
  assert.is(repo.read(odd).toString(), 'tracked odd\n');
  assert.is(repo.read('build/info.txt').toString(), 'tracked folder\n');
  const u = repo.cli(['undo', '--yes']);
  assert.is(u.code, 0, u.stderr);
  assert.is(repo.read('buf.gen.yaml').toString(), 'MY LOCAL buf.gen.yaml\n');
  assert.is(repo.read(odd).toString(), 'my odd one\n');
  assert.is(repo.read('gen/run.sh').toString(), '#!/bin/sh\necho mine\n');
  assert.ok(lstatSync(path.join(repo.dir, 'gen/run.sh')).mode & 0o100, 'still executable');
  assert.is(repo.read('build').toString(), 'my build file, where the folder was\n');
  assert.is(repo.git('status', '--porcelain', '--ignored'), ignored, 'ignored again, nothing tracked');
}));

test('ignored files in a folder where rollback full writes a file, a link where it needs a folder, names git would unquote: all come back', withRepo((repo, defer) => {
  const shared = mkdtempSync(path.join(os.tmpdir(), 'rg-shared-'));
  defer(() => rmSync(shared, { recursive: true, force: true }));
  writeFileSync(path.join(shared, 'lib.txt'), 'shared, not ours\n');
  repo.write('out', 'tracked file\n');
  repo.write('vendor/lib.txt', 'tracked vendored\n');
  repo.write('"q"', 'tracked quoted\n');
  repo.write('q', 'tracked plain\n');
  repo.write('cr\r', 'tracked cr\n');
  repo.git('add', '-A');
  repo.git('commit', '-qm', 'tracked');
  assert.is(repo.cli(['backup', '--no-push']).code, 0);
  repo.git('rm', '-q', 'out', 'vendor/lib.txt');
  repo.git('rm', '-q', '--cached', '"q"', 'cr\r');
  repo.write('.gitignore', 'out/\nvendor\n"*\ncr*\n');
  repo.git('add', '.gitignore');
  repo.git('commit', '-qm', 'generated, ignored');
  repo.write('out/deep/PRECIOUS.bin', 'mine, in an ignored folder\n');
  symlinkSync(shared, path.join(repo.dir, 'vendor'));
  repo.write('"q"', 'mine quoted\n');
  repo.write('cr\r', 'mine cr\n');
  const ignored = repo.git('status', '--porcelain', '--ignored');

  const r = repo.cli(['rollback', 'full', '--yes']);
  assert.is(r.code, 0, r.stderr);
  assert.is(repo.read('out').toString(), 'tracked file\n');
  assert.is(repo.read('vendor/lib.txt').toString(), 'tracked vendored\n');
  assert.is(readFileSync(path.join(shared, 'lib.txt'), 'utf8'), 'shared, not ours\n', 'nothing written through the link');
  const u = repo.cli(['undo', '--yes']);
  assert.is(u.code, 0, u.stderr);
  assert.is(repo.read('out/deep/PRECIOUS.bin').toString(), 'mine, in an ignored folder\n');
  assert.is(readlinkSync(path.join(repo.dir, 'vendor')), shared);
  assert.is(repo.read('"q"').toString(), 'mine quoted\n');
  assert.is(repo.read('q').toString(), 'tracked plain\n');
  assert.is(repo.read('cr\r').toString(), 'mine cr\n');
  assert.is(repo.git('status', '--porcelain', '--ignored'), ignored);
}));

test('rollback full removes what the backup lacks: tracked files and their folders (git), untracked and git add -N ones (reorg-guard); undo brings all back', withRepo((repo) => {
  assert.is(repo.cli(['backup', '--no-push']).code, 0);
  repo.write('gen/deep/tracked.txt', 'tracked after the backup\n');
  repo.git('add', '-A');
  repo.git('commit', '-qm', 'gen');
  repo.write('scratch/deep/untracked.txt', 'untracked\n');
  repo.write('gen/deep/untracked too.txt', 'untracked, beside a tracked one\n');
  repo.write('intended.txt', 'git add -N\n');
  repo.git('add', '-N', 'intended.txt');
  const before = captureState(repo.dir);
  const r = repo.cli(['rollback', 'full', '--yes', '--json']);
  assert.is(r.code, 0, r.stderr);
  assert.is(JSON.parse(r.stdout).plan.delete.length, 4);
  for (const gone of ['gen', 'scratch', 'intended.txt']) assert.not.ok(existsSync(path.join(repo.dir, gone)), `${gone} removed`);
  assert.is(repo.git('status', '--porcelain', '--untracked-files=all'), '');
  assert.is(repo.cli(['undo', '--yes']).code, 0);
  assert.equal(captureState(repo.dir), before);
  assert.match(repo.git('status', '--porcelain', '--untracked-files=all'), / A intended\.txt/);
}));

test.run();
