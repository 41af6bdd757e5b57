/**
 * The path a user takes: `npm pack` of this package, the tarball installed with a real
 * `npm install` into a fresh repository beside husky 9, then init, npm install, a guarded
 * commit, a push, a quick rollback and a migration check, all through npm and git as a user
 * runs them. And what happens when the installed package loses its hook files or goes away.
 * Slow (npm installs): .ci/run also runs it on Node 22 and 24.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { PREFIX, BACKUP_BRANCHES, ROOT, tmpDir, withRepo, type RunResult } from './helpers/repo.js';
import { commit, gitRun, readJson, run } from './helpers/hooks.js';
import { makeGcommonRepo, type GcommonRepo } from './helpers/state.js';

/** npm's cache of the machine (tests get a sandbox HOME, whose empty cache would mean downloads). */
const npmCache = process.env.npm_config_cache || execFileSync('npm', ['config', 'get', 'cache'], { encoding: 'utf8' }).trim();
const NPM_ENV = { npm_config_cache: npmCache, npm_config_prefer_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };

const npm = (repo: GcommonRepo, args: string[], env: Record<string, string> = {}) => run(repo, 'npm', args, { ...NPM_ENV, ...env });
const ok = (r: RunResult, what: string) => assert.is(r.code, 0, `${what}: ${r.stdout}${r.stderr}`);
const remoteBackups = (repo: GcommonRepo) => repo.git('ls-remote', '--heads', 'origin', `${PREFIX}*`);
const backupsNow = (repo: GcommonRepo) => repo.git('for-each-ref', '--format=%(refname)', BACKUP_BRANCHES);

/**
 * Packs this package as `npm pack` would for a release: from a copy of the sources (so that
 * prepack's empty dist/ and prepare's build happen there, not in the checkout under test).
 */
function pack(): { tarball: string; files: string[] } {
  const dir = path.join(tmpDir('rg-pack-'), 'reorg-guard');
  const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' });
  for (const rel of listed.split('\0').filter((f) => f && existsSync(path.join(ROOT, f)))) {
    mkdirSync(path.join(dir, path.dirname(rel)), { recursive: true });
    cpSync(path.join(ROOT, rel), path.join(dir, rel));
  }
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  const out = spawnSync('npm', ['pack', '--json', '--pack-destination', path.dirname(dir)], { cwd: dir, encoding: 'utf8', env: { ...process.env, ...NPM_ENV, NODE_OPTIONS: '' } });
  assert.is(out.status, 0, out.stderr);
  const [info] = JSON.parse(out.stdout.slice(out.stdout.indexOf('[')));
  return { tarball: path.join(path.dirname(dir), info.filename), files: info.files.map((f: { path: string }) => f.path).sort() };
}

let packed: ReturnType<typeof pack>;

/** A team's repository made an npm project, then `npm install -D <tarball> husky@9`, as a user would. */
function installTarball(repo: GcommonRepo): void {
  repo.write('package.json', JSON.stringify({ name: 'team-repo', version: '1.0.0', private: true }, null, 2) + '\n');
  repo.write('.gitignore', 'node_modules\n');
  repo.git('add', '-A');
  repo.git('commit', '-qm', 'npm project');
  ok(npm(repo, ['install', '--save-dev', packed.tarball, 'husky@^9.1.7']), 'npm install of the tarball');
}

test('npm pack ships exactly what the CLI and the hooks need, built', () => {
  packed = pack();
  const { files } = packed;
  const unexpected = files.filter((f) => !/^(dist\/.+\.js|hooks\/[a-z-]+(\.sh)?|package\.json|README\.md|reorg-guard\.schema\.json)$/.test(f));
  assert.equal(unexpected, [], 'nothing but dist/*.js, hooks/, the schema, README and package.json');
  for (const f of ['dist/cli.js', 'hooks/reorg-guard.sh', 'hooks/post-commit', 'hooks/pre-commit', 'hooks/post-checkout', 'hooks/pre-rebase', 'hooks/pre-push', 'reorg-guard.schema.json']) {
    assert.ok(files.includes(f), `${f} is in the package`);
  }
  // Bundles (scripts/build.ts): the two entries and their shared chunks, flat in dist/ (src/paths.ts
  // finds the package's root one level up), and no module of src/ left unbundled.
  const dist = files.filter((f) => f.startsWith('dist/'));
  assert.ok(dist.includes('dist/proto-schema-worker.js'), 'the worker of verify migration is in the package');
  assert.equal(dist.filter((f) => !/^dist\/(cli|proto-schema-worker|chunk-[A-Z0-9]+)\.js$/.test(f)), [], 'dist/ holds bundles only, flat');
});

test('installed from the tarball beside husky 9: init, npm install, guarded commit, push, rollback, verify', withRepo(() => makeGcommonRepo(0.01), (repo) => {
  installTarball(repo);
  assert.ok(existsSync(path.join(repo.dir, 'node_modules/reorg-guard/reorg-guard.schema.json')), 'the schema is installed');

  const version = run(repo, 'npx', ['--no-install', 'reorg-guard', '--version']);
  ok(version, 'reorg-guard --version');
  assert.is(version.stdout.trim(), JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version);
  ok(run(repo, 'npx', ['--no-install', 'reorg-guard', 'init']), 'reorg-guard init');
  assert.is(readJson(repo, 'package.json').scripts['rollback:quick'], 'reorg-guard rollback quick');
  ok(npm(repo, ['install']), 'npm install after init');
  assert.is(repo.git('config', 'core.hooksPath'), '.husky/_', 'husky set up by npm install');
  repo.git('add', '-A');
  repo.git('commit', '-qm', 'reorg-guard installed', '--no-verify');

  // The migration, committed: a guarded commit backs up by itself.
  const reorg = repo.reorganize();
  repo.git('add', '-A');
  const c = gitRun(repo, ['commit', '-q', '-m', 'move protos']);
  ok(c, 'guarded commit');
  const backups = backupsNow(repo);
  assert.ok(backups, `a backup branch after the guarded commit (${c.stdout}${c.stderr})`);
  assert.is(remoteBackups(repo), '', 'not pushed yet: the commit hook works offline');

  ok(gitRun(repo, ['push', '-q', 'origin', 'main']), 'git push');
  for (const ref of backups.split('\n')) assert.match(remoteBackups(repo), ref, `${ref} pushed with git push`);

  // The same check as test/verify.test.ts, through the npm script: what the migration lost.
  const verify = npm(repo, ['run', '--silent', 'migration:verify', '--', '--json']);
  assert.is(verify.code, reorg.lost.length ? 1 : 0, verify.stderr);
  assert.equal(JSON.parse(verify.stdout).lost.map((d: { kind: string; name: string }) => `${d.kind} ${d.name}`).sort(), [...reorg.lost].sort());

  const quick = npm(repo, ['run', 'rollback:quick', '--', '--yes']);
  ok(quick, 'npm run rollback:quick -- --yes');
  assert.not.ok(existsSync(path.join(repo.dir, 'proto/gcommon/v1')), 'the new layout is gone');
  assert.is(repo.read('buf.yaml').toString(), repo.layout.files.get('buf.yaml'), 'buf.yaml back');
  for (const [rel, content] of repo.layout.files) if (rel.endsWith('.proto')) assert.is(repo.read(rel).toString(), content, rel);
}));

test('from the packed install: hook files gone, or the package gone, say so in one line and git goes on (unless strict)', withRepo(() => makeGcommonRepo(0.005), (repo) => {
  installTarball(repo);
  ok(run(repo, 'npx', ['--no-install', 'reorg-guard', 'init']), 'reorg-guard init');
  ok(npm(repo, ['install']), 'npm install after init');
  repo.git('add', '-A');
  repo.git('commit', '-qm', 'reorg-guard installed', '--no-verify');
  const hooks = path.join(repo.dir, 'node_modules/reorg-guard/hooks');
  const config = JSON.parse(repo.read('reorg-guard.config.json').toString());

  // Installed without its hooks/ folder: one line, the commit is made.
  renameSync(hooks, `${hooks}.gone`);
  let c = commit(repo, { 'proto/a.proto': 'syntax = "proto3";\n' });
  assert.is(c.code, 0, c.out);
  assert.equal(c.out.trim().split('\n'), [c.out.trim()], `one line: ${c.out}`);
  assert.match(c.out, /reorg-guard: node_modules\/reorg-guard\/hooks\/post-commit is missing \(reorg-guard is not installed\), no backup taken: run 'npm install'/);
  assert.is(repo.git('log', '-1', '--format=%s'), 'change proto/a.proto');

  // init from that package refuses, and writes nothing.
  const before = repo.git('status', '--porcelain');
  const init = run(repo, 'npx', ['--no-install', 'reorg-guard', 'init']);
  assert.is(init.code, 1, init.stderr);
  assert.match(init.stderr, /This reorg-guard package has no hook files .*: reinstall it/);
  assert.is(repo.git('status', '--porcelain'), before);

  // strict: the same, but the commit is blocked.
  renameSync(`${hooks}.gone`, hooks);
  repo.write('reorg-guard.config.json', JSON.stringify({ ...config, strict: true }));
  ok(run(repo, 'npx', ['--no-install', 'reorg-guard', 'init']), 'init again: strict installs pre-commit');
  c = commit(repo, { 'proto/b.proto': 'syntax = "proto3";\n' }); // the hook reads the new config
  assert.is(c.code, 0, c.out);
  renameSync(hooks, `${hooks}.gone`);
  const head = repo.git('rev-parse', 'HEAD');
  c = commit(repo, { 'proto/c.proto': 'syntax = "proto3";\n' });
  assert.is(c.code, 1, c.out);
  assert.match(c.out, /is missing .*\n.*blocked because "strict" is on/);
  assert.is(repo.git('rev-parse', 'HEAD'), head, 'nothing committed');
  renameSync(`${hooks}.gone`, hooks);
  repo.write('reorg-guard.config.json', JSON.stringify(config));
  ok(run(repo, 'npx', ['--no-install', 'reorg-guard', 'init']), 'init again: no strict, no pre-commit');
  c = commit(repo, { 'proto/d.proto': 'syntax = "proto3";\n' });
  assert.is(c.code, 0, c.out);

  // npm uninstall reorg-guard, without 'reorg-guard uninstall': one line, git goes on.
  ok(npm(repo, ['uninstall', 'reorg-guard']), 'npm uninstall reorg-guard');
  assert.not.ok(existsSync(path.join(repo.dir, 'node_modules/reorg-guard')));
  c = commit(repo, { 'proto/e.proto': 'syntax = "proto3";\n' });
  assert.is(c.code, 0, c.out);
  assert.equal(c.out.trim().split('\n').length, 1, c.out);
  assert.match(c.out, /reorg-guard is not installed/);
  const p = gitRun(repo, ['push', '-q', 'origin', 'main']);
  assert.is(p.code, 0, p.stderr);
  assert.is(p.stderr.trim().split('\n').length, 1, p.stderr);
  assert.match(p.stderr, /hooks\/pre-push is missing/);
  assert.is(repo.git('rev-parse', 'origin/main'), repo.git('rev-parse', 'HEAD'), 'pushed');
}));

test.run();
