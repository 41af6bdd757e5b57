/** init and uninstall with the real husky 9 and lint-staged 16 in the test repositories. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { BACKUP_BRANCHES, withRepo, type TestRepo } from './helpers/repo.js';
import { linkPackages } from '../scripts/lib/link-packages.js';
import { backupBranches, commit, gitRun, makeNpmProject, readJson, runHuskyPrepare } from './helpers/hooks.js';

const FILES = { 'README.md': '# team\n', 'proto/gcommon/v1/queue/queue.proto': 'syntax = "proto3";\n' };

/** Every file under .husky (but husky's own _/) and package.json, as text. */
function installedState(repo: TestRepo): Record<string, string> {
  const out: Record<string, string> = { 'package.json': repo.read('package.json').toString() };
  const husky = path.join(repo.dir, '.husky');
  if (existsSync(husky)) for (const f of readdirSync(husky).filter((f) => f !== '_')) out[`.husky/${f}`] = readFileSync(path.join(husky, f), 'utf8');
  return out;
}

test('husky in use: init adds blocks beside what is there, twice is a no-op, uninstall restores it', withRepo({ files: FILES }, (repo) => {
  makeNpmProject(repo, { scripts: { test: 'echo ok', backup: 'echo mine' } });
  runHuskyPrepare(repo);
  repo.write('.husky/pre-commit', 'echo "team check ran" >&2\n');
  const before = installedState(repo);

  let r = repo.cli(['init']);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, 'installed (husky)');
  assert.match(r.stderr, 'kept your scripts.backup ("echo mine")');
  assert.is(repo.read('.husky/pre-commit').toString(), 'echo "team check ran" >&2\n', 'without strict, no pre-commit block');
  for (const hook of ['post-commit', 'post-checkout', 'pre-rebase', 'pre-push']) assert.ok(existsSync(path.join(repo.dir, '.husky', hook)), hook);
  const scripts = readJson(repo, 'package.json').scripts;
  assert.is(scripts.backup, 'echo mine');
  assert.is(scripts['rollback:quick'], 'reorg-guard rollback quick');
  assert.is(scripts['backups:verify'], 'reorg-guard verify backups');
  assert.is(scripts['emergency-stop'], 'reorg-guard emergency-stop');
  assert.is(Object.keys(scripts).length, 2 + 10);

  const installed = installedState(repo);
  r = repo.cli(['init']);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, 'nothing changed');
  assert.equal(installedState(repo), installed);

  let c = commit(repo, { 'README.md': 'edited\n' });
  assert.is(c.code, 0, c.out);
  assert.match(c.out, 'team check ran');
  assert.equal(backupBranches(repo), []);
  c = commit(repo, { 'proto/gcommon/v1/queue/queue.proto': 'syntax = "proto3";\nmessage Job {}\n' });
  assert.is(c.code, 0, c.out);
  assert.match(c.out, 'backed up to');
  assert.is(backupBranches(repo).length, 1);
  c = commit(repo, { 'proto/gcommon/v1/queue/queue.proto': 'HUSKY=0\n' }, { HUSKY: '0' });
  assert.is(c.code, 0, c.out);
  assert.is(backupBranches(repo).length, 1, 'HUSKY=0 skips every hook');

  r = repo.cli(['uninstall']);
  assert.is(r.code, 0, r.stderr);
  assert.equal(installedState(repo), before);
  assert.not.ok(existsSync(path.join(repo.dir, '.husky/_/reorg-guard.env')));
  r = repo.cli(['uninstall']);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, 'Nothing of reorg-guard was installed here.');
}));

test('package.json without husky: init adds husky and prepare; npm install (husky) turns the hooks on', withRepo({ files: FILES }, (repo) => {
  makeNpmProject(repo);
  const before = installedState(repo);
  const r = repo.cli(['init', '--json']);
  assert.is(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.is(out.mode, 'package');
  const pkg = readJson(repo, 'package.json');
  assert.is(pkg.devDependencies.husky, '^9.1.7');
  assert.is(pkg.scripts.prepare, 'husky');
  assert.match(repo.read('.husky/pre-push').toString(), 'node_modules/reorg-guard/hooks/pre-push');

  runHuskyPrepare(repo); // what `npm install` runs through "prepare"
  const c = commit(repo, { 'buf.yaml': 'version: v2\n' });
  assert.is(c.code, 0, c.out);
  assert.match(c.out, 'backed up to');
  assert.ok(existsSync(path.join(repo.dir, '.husky/_/reorg-guard.env')), 'the env file sits in husky\'s hooks folder');

  const u = repo.cli(['uninstall']);
  assert.is(u.code, 0, u.stderr);
  assert.equal(installedState(repo), before);
  // What husky's install set up goes with husky: git runs its hooks as before init.
  assert.match(u.stdout, "Unset core.hooksPath, which husky's install had set.");
  assert.is(gitRun(repo, ['config', '--local', 'core.hooksPath']).code, 1);
  assert.not.ok(existsSync(path.join(repo.dir, '.husky')));
}));

test("package.json whose own prepare never runs husky: init says the hooks stay off until it does, and never claims 'npm install' turns them on", withRepo({ files: FILES }, (repo) => {
  makeNpmProject(repo, { scripts: { prepare: 'npm run build', build: 'true' } });
  const r = repo.cli(['init']);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stderr, `your scripts.prepare ("npm run build") does not run husky, so 'npm install' will not turn the hooks on`);
  assert.match(r.stderr, 'make it "husky && npm run build"');
  assert.not.match(r.stdout, 'which turns the hooks on');
  assert.is(readJson(repo, 'package.json').scripts.prepare, 'npm run build', 'the project\'s own script is kept');
  assert.is(JSON.parse(repo.cli(['init', '--json']).stdout).prepareWithoutHusky, 'npm run build');
  // one that runs husky somewhere is fine as it is
  const pkg = readJson(repo, 'package.json');
  pkg.scripts.prepare = 'npm run build && husky';
  writeFileSync(path.join(repo.dir, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');
  const again = JSON.parse(repo.cli(['init', '--json']).stdout);
  assert.is(again.prepareWithoutHusky, null);
  assert.not.match(repo.cli(['init']).stderr, 'does not run husky');
}));

test('husky: strict adds the pre-commit block, which blocks; without strict, init takes it out again', withRepo({ files: FILES }, (repo) => {
  makeNpmProject(repo);
  runHuskyPrepare(repo);
  repo.write('.husky/pre-commit', 'echo "team check ran" >&2\n');
  const cfg = JSON.parse(repo.read('reorg-guard.config.json').toString());
  repo.write('reorg-guard.config.json', JSON.stringify({ ...cfg, strict: true }));
  let r = repo.cli(['init']);
  assert.is(r.code, 0, r.stderr);
  assert.match(repo.read('.husky/pre-commit').toString(), 'node_modules/reorg-guard/hooks/pre-commit');

  const parent = repo.git('rev-parse', 'HEAD');
  let c = commit(repo, { 'proto/gcommon/v1/queue/queue.proto': 'v2\n' });
  assert.is(c.code, 0, c.out);
  assert.match(c.out, 'team check ran');
  assert.equal(backupBranches(repo).map((b) => repo.git('rev-parse', b)), [parent]);
  // The backup cannot be made (a branch `vault` is in the way of `vault/...`): no commit.
  const head = repo.git('rev-parse', 'HEAD');
  repo.git('branch', 'vault');
  repo.write('reorg-guard.config.json', JSON.stringify({ ...cfg, strict: true, branchPrefix: 'vault/backup-' }));
  c = commit(repo, { 'buf.yaml': 'version: v2\n' });
  assert.is.not(c.code, 0, c.out);
  assert.match(c.out, /reorg-guard pre-commit: .*Blocked because "strict" is on/);
  assert.is(repo.git('rev-parse', 'HEAD'), head);

  repo.write('reorg-guard.config.json', JSON.stringify(cfg));
  r = repo.cli(['init']);
  assert.is(r.code, 0, r.stderr);
  assert.is(repo.read('.husky/pre-commit').toString(), 'echo "team check ran" >&2\n');
}));

test('--lint-staged: lint-staged runs the backup for guarded files only', withRepo({ files: FILES }, (repo) => {
  makeNpmProject(repo);
  runHuskyPrepare(repo);
  const r = repo.cli(['init', '--lint-staged']);
  assert.is(r.code, 0, r.stderr);
  const pkg = readJson(repo, 'package.json');
  assert.equal(pkg['lint-staged'], {
    '**/{proto,buf.yaml,buf.gen.yaml}{,/**}': 'reorg-guard backup --reason lint-staged',
  });
  assert.match(repo.read('.husky/pre-commit').toString(), /\nlint-staged\n/);
  assert.not.match(repo.read('.husky/pre-commit').toString(), 'hooks/pre-commit');

  let c = commit(repo, { 'README.md': 'edited\n' });
  assert.is(c.code, 0, c.out);
  assert.equal(backupBranches(repo), []);
  c = commit(repo, { 'proto/gcommon/v1/queue/queue.proto': 'syntax = "proto3";\nmessage Job {}\n' });
  assert.is(c.code, 0, c.out);
  const [name] = backupBranches(repo);
  assert.ok(name, c.out);
  assert.match(repo.git('log', '-1', '--format=%B', `refs/reorg-guard/snapshots/${name}`), 'lint-staged');
  assert.is(repo.git('show', 'HEAD:proto/gcommon/v1/queue/queue.proto'), 'syntax = "proto3";\nmessage Job {}');
}));

test('init refuses --lint-staged without package.json, and outside a repository', withRepo({ files: FILES }, (repo) => {
  let r = repo.cli(['init', '--lint-staged']);
  assert.is(r.code, 2);
  assert.match(r.stderr, '--lint-staged needs a package.json');
  assert.not.ok(existsSync(path.join(repo.dir, '.git/hooks/pre-commit')));
  r = repo.cli(['-C', repo.base, 'init']);
  assert.is(r.code, 2);
  assert.match(r.stderr, 'is not inside a git repository');
}));

/** An npm project with husky, reorg-guard's init run and its hook files committed. */
function huskyInitCommitted(repo: TestRepo): void {
  makeNpmProject(repo);
  runHuskyPrepare(repo);
  assert.is(repo.cli(['init']).code, 0);
  repo.git('add', '-A');
  repo.git('commit', '-qm', 'reorg-guard hooks');
}

test("husky: a new linked worktree gets the hooks 'npm install' would write, and its commits back up", withRepo({ files: FILES }, (repo) => {
  huskyInitCommitted(repo);
  // husky's .husky/_ and node_modules are ignored: the new work tree has neither
  const wt = path.join(repo.base, 'linked');
  const add = gitRun(repo, ['worktree', 'add', '-q', '-b', 'reorg', wt]);
  assert.is(add.code, 0, add.stderr);
  assert.match(add.stdout + add.stderr, 'this new worktree had no git hooks (.husky/_ is written by');
  assert.not.ok(existsSync(path.join(wt, 'node_modules')));
  assert.is(readFileSync(path.join(wt, '.husky/_/h'), 'utf8'), readFileSync(path.join(repo.dir, '.husky/_/h'), 'utf8'));
  assert.is(gitRun({ ...repo, dir: wt }, ['status', '--porcelain']).stdout, '', 'the copied hooks are ignored there too');

  const before = repo.git('-C', wt, 'rev-parse', 'HEAD');
  writeFileSync(path.join(wt, 'buf.yaml'), 'version: v2\n');
  repo.git('-C', wt, 'add', 'buf.yaml');
  const c = gitRun({ ...repo, dir: wt }, ['commit', '-q', '-m', 'buf.yaml of the new layout']);
  assert.is(c.code, 0, c.stderr);
  assert.match(c.stdout + c.stderr, 'backed up to');
  assert.equal(backupBranches(repo).map((b) => repo.git('rev-parse', b)), [before]);
  // and so does every new worktree after it
  const again = gitRun(repo, ['worktree', 'add', '-q', '--detach', path.join(repo.base, 'second')]);
  assert.is(again.code, 0, again.stderr);
  assert.match(again.stdout + again.stderr, 'copied them from');
}));

test('husky in worktrees of a bare repository: a worktree added from one of them is armed, and its commits back up', withRepo({ files: FILES }, (repo) => {
  huskyInitCommitted(repo);
  repo.git('push', '-q', 'origin', 'main');
  // the team works in worktrees of the bare repository: no main work tree, node_modules in the first one only
  const first = { ...repo, dir: path.join(repo.base, 'first') };
  repo.git('-C', repo.origin, 'worktree', 'add', '-q', first.dir, 'main');
  linkPackages(first.dir);
  runHuskyPrepare(first);
  const second = { ...repo, dir: path.join(repo.base, 'second') };
  const add = gitRun(first, ['worktree', 'add', '-q', '-b', 'reorg', second.dir]);
  assert.is(add.code, 0, add.stderr);
  assert.match(add.stdout + add.stderr, `copied them from ${first.dir}`, add.stdout + add.stderr);
  assert.not.ok(existsSync(path.join(second.dir, 'node_modules')));

  const before = repo.git('-C', second.dir, 'rev-parse', 'HEAD');
  writeFileSync(path.join(second.dir, 'buf.yaml'), 'version: v2\n');
  repo.git('-C', second.dir, 'add', 'buf.yaml');
  const c = gitRun(second, ['commit', '-q', '-m', 'buf.yaml of the new layout']);
  assert.is(c.code, 0, c.stderr);
  assert.not.match(c.stdout + c.stderr, 'is missing');
  assert.match(c.stdout + c.stderr, 'backed up to');
  const backups = repo.git('-C', repo.origin, 'for-each-ref', '--format=%(objectname)', BACKUP_BRANCHES).split('\n');
  assert.equal(backups, [before]);
}));

test('rollback full to a backup from before init keeps the hook files init added its block to: the commits after it still back up', withRepo({ files: FILES }, (repo) => {
  makeNpmProject(repo);
  runHuskyPrepare(repo);
  // the team's own post-commit, from before reorg-guard
  repo.write('.husky/post-commit', 'echo "team post-commit" >&2\n');
  repo.git('add', '-A');
  repo.git('commit', '-qm', 'team hook');
  assert.is(repo.cli(['backup']).code, 0);
  assert.is(repo.cli(['init']).code, 0);
  repo.git('add', '-A');
  repo.git('commit', '-qm', 'reorg-guard hooks');
  const armed = repo.read('.husky/post-commit').toString();
  assert.match(armed, 'reorg-guard');

  const r = repo.cli(['rollback', 'full', '--yes']);
  assert.is(r.code, 0, r.stderr);
  assert.is(repo.read('.husky/post-commit').toString(), armed, 'our block is still there');
  assert.match(r.stdout + r.stderr, '.husky/post-commit');
  // two guarded commits: the state before the second one is no backup yet
  assert.is(commit(repo, { 'proto/gcommon/v1/queue/queue.proto': 'syntax = "proto3";\nmessage Job {}\n' }).code, 0);
  const before = backupBranches(repo).length;
  const c = commit(repo, { 'proto/gcommon/v1/queue/queue.proto': 'syntax = "proto3";\nmessage Job { string id = 1; }\n' });
  assert.is(c.code, 0, c.out);
  assert.match(c.out, 'backed up to');
  assert.is(backupBranches(repo).length, before + 1);
}));

test.run();
