/** The hooks in plain git (no package.json): real commits, checkouts, rebases and pushes. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync, readdirSync, writeFileSync, chmodSync, rmSync } from 'node:fs';
import path from 'node:path';
import { PREFIX, BACKUP_BRANCHES, makeRepo, withRepo, type TestRepo } from './helpers/repo.js';
import { backupBranches, commit, gitRun } from './helpers/hooks.js';

const FILES = { 'README.md': '# team\n', 'proto/gcommon/v1/queue/queue.proto': 'syntax = "proto3";\n' };

function initRepo(config: Record<string, unknown> = {}): TestRepo {
  const repo = makeRepo({ files: FILES });
  if (Object.keys(config).length) {
    const cfg = JSON.parse(repo.read('reorg-guard.config.json').toString());
    repo.write('reorg-guard.config.json', JSON.stringify({ ...cfg, ...config }, null, 2) + '\n');
    repo.git('commit', '-q', '-am', 'config');
  }
  const r = repo.cli(['init']);
  assert.is(r.code, 0, r.stderr);
  return repo;
}

const hooksDir = (repo: TestRepo) => path.join(repo.dir, '.git/hooks');
const envFile = (repo: TestRepo) => path.join(hooksDir(repo), 'reorg-guard.env');

test('a commit that touches no guarded path makes no backup; a guarded one backs up the state before it', withRepo(initRepo, (repo) => {
  assert.not.ok(existsSync(path.join(hooksDir(repo), 'pre-commit')), 'no pre-commit hook without "strict"');
  let r = commit(repo, { 'README.md': '# team, edited\n' });
  assert.is(r.code, 0, r.out);
  assert.equal(backupBranches(repo), []);
  assert.is(r.out, '');

  const parent = repo.git('rev-parse', 'HEAD');
  repo.write('proto/gcommon/v1/queue/queue.proto', 'syntax = "proto3";\nmessage Job {}\n');
  repo.git('add', 'proto');
  repo.write('notes.txt', 'not staged\n');
  const c = gitRun(repo, ['commit', '-q', '-m', 'job']);
  r = { ...c, out: c.stdout + c.stderr };
  assert.is(r.code, 0, r.out);
  assert.match(r.out, `backed up to ${PREFIX}`);
  assert.match(r.out, `the state before this commit (${parent.slice(0, 10)})`);
  const [name] = backupBranches(repo);
  assert.is(repo.git('rev-parse', name), parent, 'the branch is at the commit before');
  assert.is(repo.git('rev-parse', 'HEAD^'), parent);
  // The state before the commit is the parent: no snapshot of what is committed or left out.
  assert.is(repo.git('for-each-ref', 'refs/reorg-guard/snapshots/'), '');
  const record = repo.git('log', '-1', '--format=%B', `refs/reorg-guard/records/${name}`);
  assert.match(record, 'reorg-guard-trigger: post-commit');
  assert.match(record, 'reorg-guard-branch: refs/heads/main');
  assert.match(record, 'job', 'the reason is the commit subject');
  assert.is(repo.git('rev-parse', `refs/reorg-guard/unpushed/${name}`), parent);
  assert.is(repo.git('status', '--porcelain'), '?? notes.txt', 'the work tree and index are left alone');
}));

test('a hook process ends by itself, without process.exit, and never loads simple-git (whose timers would keep it waiting)', withRepo(initRepo, (repo) => {
  // A probe loaded into every node process git starts: what each hook process did at its end.
  const probe = path.join(repo.dir, '.git/probe.cjs');
  const log = path.join(repo.dir, '.git/probe.log');
  writeFileSync(probe, `
    let exitCalled = false;
    const exit = process.exit;
    process.exit = (...a) => { exitCalled = true; return exit.apply(process, a); };
    process.on('exit', (code) => {
      const simpleGit = Object.keys(require('module')._cache).some((k) => k.includes('simple-git'));
      require('fs').appendFileSync(${JSON.stringify(log)}, JSON.stringify({ hook: process.argv[3], exitCalled, simpleGit, code }) + '\\n');
    });
  `);
  const env = { NODE_OPTIONS: `--require ${probe}` };
  let r = commit(repo, { 'proto/gcommon/v1/queue/queue.proto': 'syntax = "proto3";\nmessage Job {}\n' }, env);
  assert.match(r.out, `backed up to ${PREFIX}`);
  const c = gitRun(repo, ['push', '-q', 'origin', 'main'], env);
  assert.is(c.code, 0, c.stderr);
  assert.match(c.stdout + c.stderr, 'backup branch pushed to origin');
  r = { ...gitRun(repo, ['checkout', '-q', 'HEAD~1'], env), out: '' };
  assert.is(r.code, 0, r.stderr);
  const ends = readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(ends.map((e) => e.hook), ['post-commit', 'pre-push', 'post-checkout']);
  for (const e of ends) assert.equal({ exitCalled: e.exitCalled, simpleGit: e.simpleGit, code: e.code }, { exitCalled: false, simpleGit: false, code: 0 }, e.hook);
}));

test('the first commit of a repository (nothing before it) goes through, quietly and without a backup', withRepo({ files: {} }, (repo) => {
  assert.is(repo.cli(['init']).code, 0);
  // node is not even started: a CLI that is not there would say so.
  writeFileSync(envFile(repo), readFileSync(envFile(repo), 'utf8').replace(/^rg_cli=.*$/m, "rg_cli='/nowhere/cli.js'"));
  const r = commit(repo, { 'proto/gcommon/v1/queue/queue.proto': 'syntax = "proto3";\n' });
  assert.is(r.code, 0, r.out);
  assert.is(r.out, '');
  assert.equal(backupBranches(repo), []);
}));

test('amend: the commit it replaced is backed up; a new message alone changes no guarded path', withRepo(initRepo, (repo) => {
  commit(repo, { 'proto/gcommon/v1/queue/queue.proto': 'v2\n' });
  assert.is(backupBranches(repo).length, 1);
  const replaced = repo.git('rev-parse', 'HEAD');
  let r = gitRun(repo, ['commit', '-q', '--amend', '-m', 'reworded']);
  assert.is(r.code, 0, r.stderr);
  assert.is(backupBranches(repo).length, 1, 'same guarded content before and after');

  const reworded = repo.git('rev-parse', 'HEAD');
  repo.write('proto/gcommon/v1/queue/queue.proto', 'v3\n');
  r = gitRun(repo, ['commit', '-q', '-a', '--amend', '-m', 'v3 instead']);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout + r.stderr, `the commit this amend replaced (${reworded.slice(0, 10)})`);
  const branches = backupBranches(repo);
  assert.is(branches.length, 2);
  assert.is(repo.git('rev-parse', branches[1]), reworded, 'not the parent: the commit no branch holds any more');
  assert.is(repo.git('show', `${branches[1]}:proto/gcommon/v1/queue/queue.proto`), 'v2');
  assert.is.not(reworded, replaced);
}));

test('--no-verify skips no backup; a concluded merge backs up the branch it was concluded on', withRepo(initRepo, (repo) => {
  const before = repo.git('rev-parse', 'HEAD');
  repo.write('buf.yaml', 'version: v2\n');
  repo.git('add', 'buf.yaml');
  let r = gitRun(repo, ['commit', '-q', '--no-verify', '-m', 'buf']);
  assert.is(r.code, 0, r.stderr);
  assert.equal(backupBranches(repo).map((b) => repo.git('rev-parse', b)), [before]);

  repo.git('checkout', '-q', '-b', 'side', 'HEAD^');
  commit(repo, { 'proto/gcommon/v1/queue/queue.proto': 'side\n' }, { REORG_GUARD: '0' });
  repo.git('checkout', '-q', 'main');
  commit(repo, { 'proto/gcommon/v1/queue/queue.proto': 'main\n' }, { REORG_GUARD: '0' });
  const main = repo.git('rev-parse', 'HEAD');
  assert.is(gitRun(repo, ['merge', '-q', 'side']).code, 1, 'a conflict');
  repo.write('proto/gcommon/v1/queue/queue.proto', 'both\n');
  repo.git('add', '-A');
  r = gitRun(repo, ['commit', '-q', '--no-edit']);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout + r.stderr, `the branch before this merge (${main.slice(0, 10)})`);
  const branches = backupBranches(repo);
  assert.is(repo.git('rev-parse', branches[branches.length - 1]), main);
  assert.is(repo.git('rev-list', '--count', '--no-walk', '--min-parents=2', 'HEAD'), '1');
}));

test('rebase and cherry-pick: no backup per picked commit', withRepo(initRepo, (repo) => {
  // Set up without hooks (a switch that changes guarded paths would back up).
  const off = { REORG_GUARD: '0' };
  repo.git('checkout', '-q', '-b', 'topic');
  for (const n of [1, 2, 3]) commit(repo, { [`proto/gcommon/v1/queue/t${n}.proto`]: `${n}\n` }, off);
  gitRun(repo, ['checkout', '-q', 'main'], off);
  commit(repo, { 'README.md': 'main moved\n' }, off);
  const mainBefore = repo.git('rev-parse', 'HEAD');
  const topic = repo.git('rev-parse', 'topic');

  // Three guarded commits picked onto main: the state before the first is backed up, once.
  let r = gitRun(repo, ['cherry-pick', 'main..topic']);
  assert.is(r.code, 0, r.stderr);
  assert.equal(backupBranches(repo).map((b) => repo.git('rev-parse', b)), [mainBefore]);
  assert.match(r.stdout + r.stderr, `the state before this cherry-pick or revert began (${mainBefore.slice(0, 10)})`);

  // A rebase of three guarded commits: pre-rebase's backup of the branch, nothing per pick
  // (the switch to topic as the rebase starts has its backup of topic already).
  repo.git('reset', '-q', '--hard', mainBefore);
  r = gitRun(repo, ['rebase', '-q', 'main', 'topic']);
  assert.is(r.code, 0, r.stderr);
  const backedUp = backupBranches(repo).map((b) => repo.git('rev-parse', b));
  assert.equal([...new Set(backedUp)], [mainBefore, topic]);
  assert.is(backedUp.length, 2, backedUp.join(' '));
  assert.is(repo.git('rev-list', '--count', 'main..topic'), '3');
}));

test('without a reflog entry (reflogs off), the parent is the state before', withRepo(initRepo, (repo) => {
  repo.git('config', 'core.logAllRefUpdates', 'false');
  rmSync(path.join(repo.dir, '.git/logs'), { recursive: true, force: true });
  const parent = repo.git('rev-parse', 'HEAD');
  let r = commit(repo, { 'README.md': 'not guarded\n' });
  assert.is(r.out, '');
  r = commit(repo, { 'buf.yaml': 'version: v2\n' });
  assert.is(r.code, 0, r.out);
  const next = repo.git('rev-parse', 'HEAD^');
  assert.is.not(next, parent);
  assert.equal(backupBranches(repo).map((b) => repo.git('rev-parse', b)), [next]);
}));

test('pre-push pushes the backups the remote lacks, once, and checks the newest', withRepo(initRepo, (repo) => {
  commit(repo, { 'buf.yaml': 'version: v2\n' });
  const [name] = backupBranches(repo);
  let r = gitRun(repo, ['push', '-q', 'origin', 'main']);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout + r.stderr, `1 backup branch pushed to origin; newest backup ${name} checked`);
  assert.is(repo.git('--git-dir', repo.origin, 'rev-parse', `refs/heads/${name}`), repo.git('rev-parse', name));
  assert.is(repo.git('for-each-ref', 'refs/reorg-guard/unpushed/'), '');
  assert.is(repo.git('--git-dir', repo.origin, 'rev-parse', 'main'), repo.git('rev-parse', 'main'));

  commit(repo, { 'README.md': 'more\n' });
  r = gitRun(repo, ['push', '-q', 'origin', 'main']);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout + r.stderr, `newest backup ${name} checked`);
  assert.not.match(r.stdout + r.stderr, 'pushed to');
}));

test('node starts without NODE_EXTRA_CA_CERTS; the git commands it runs get the value back', withRepo(initRepo, (repo) => {
  // The remote records what its receive-pack got when reorg-guard pushed a backup branch.
  const seen = path.join(repo.base, 'ca-seen');
  const hook = path.join(repo.origin, 'hooks/post-receive');
  writeFileSync(hook, `#!/bin/sh\ngrep -q ${PREFIX} && printf '%s' "\${NODE_EXTRA_CA_CERTS-unset}" > '${seen}'\nexit 0\n`);
  chmodSync(hook, 0o755);
  // A file node cannot read: node would say so as it starts ("Ignoring extra certs from ...").
  const env = { NODE_EXTRA_CA_CERTS: path.join(repo.base, 'no-such-bundle.pem') };
  const c = commit(repo, { 'buf.yaml': 'version: v2\n' }, env);
  assert.is(c.code, 0, c.out);
  assert.match(c.out, 'backed up to');
  assert.not.match(c.out, /extra certs/i);
  const r = gitRun(repo, ['push', '-q', 'origin', 'main'], env);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout + r.stderr, '1 backup branch pushed to origin');
  assert.is(readFileSync(seen, 'utf8'), env.NODE_EXTRA_CA_CERTS);
}));

test('"push": false: pre-push lists the backups instead of pushing them', withRepo(() => initRepo({ push: false }), (repo) => {
  commit(repo, { 'buf.yaml': 'version: v2\n' });
  const [name] = backupBranches(repo);
  const r = gitRun(repo, ['push', '-q', 'origin', 'main']);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout + r.stderr, `not on the remote ("push" is off in the config): ${name}`);
  assert.is(repo.git('--git-dir', repo.origin, 'for-each-ref', BACKUP_BRANCHES), '');
}));

test('the hooks work in a linked worktree (git sets GIT_DIR and GIT_INDEX_FILE there)', withRepo(initRepo, (repo) => {
  const wt = path.join(repo.base, 'linked');
  repo.git('worktree', 'add', '-q', '-b', 'side', wt);
  const before = repo.git('-C', wt, 'rev-parse', 'HEAD');
  writeFileSync(path.join(wt, 'buf.yaml'), 'version: v2 # side\n');
  repo.git('-C', wt, 'add', 'buf.yaml');
  let c = gitRun({ ...repo, dir: wt }, ['commit', '-q', '-m', 'side: buf']);
  assert.is(c.code, 0, c.stderr);
  assert.match(c.stdout + c.stderr, 'backed up to');
  assert.equal(backupBranches(repo).map((b) => repo.git('rev-parse', b)), [before]);
  // Its own rebase (its git dir is named by a .git file): no backup per picked commit.
  repo.write('README.md', 'main moved\n');
  repo.git('commit', '-qam', 'main moved');
  c = gitRun({ ...repo, dir: wt }, ['rebase', '-q', 'main']);
  assert.is(c.code, 0, c.stderr);
  assert.is(backupBranches(repo).length, 2, "pre-rebase's backup of side, and no other");
}));

test('post-checkout keeps work made on a detached HEAD that a switch leaves behind', withRepo(initRepo, (repo) => {
  repo.git('checkout', '-q', '-b', 'topic');
  let r = gitRun(repo, ['checkout', '-q', 'main']);
  assert.is(r.stdout + r.stderr, '', 'a switch that leaves nothing behind and changes no guarded path is silent');

  repo.git('checkout', '-q', '--detach');
  commit(repo, { 'scratch.txt': 'an experiment\n' });
  const lost = repo.git('rev-parse', 'HEAD');
  r = gitRun(repo, ['checkout', '-q', 'main']);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout + r.stderr, `${lost.slice(0, 10)} kept on ${PREFIX}`);
  const [name] = backupBranches(repo);
  assert.is(repo.git('rev-parse', name), lost);
  // what took it is said once: "post-checkout: no branch ...", never "post-checkout: post-checkout: ..."
  const l = repo.cli(['list']);
  assert.match(l.stdout, 'post-checkout: no branch or tag held the commits you left');
  assert.not.match(l.stdout, 'post-checkout: post-checkout');
  const plan = repo.cli(['rollback', 'full', '--to', name, '--dry-run']);
  assert.match(plan.stdout, 'taken by post-checkout: "no branch or tag held the commits you left"');
}));

test('post-checkout backs up when the switch changes guarded paths; pre-rebase backs up the rebased branch', withRepo(initRepo, (repo) => {
  repo.git('checkout', '-q', '-b', 'topic');
  repo.write('proto/gcommon/v1/queue/job.proto', 'syntax = "proto3";\n');
  repo.git('add', '-A');
  gitRun(repo, ['commit', '-q', '-m', 'job'], { REORG_GUARD: '0' });
  const topic = repo.git('rev-parse', 'HEAD');
  assert.equal(backupBranches(repo), [], 'REORG_GUARD=0 skips the hooks');

  let r = gitRun(repo, ['checkout', '-q', 'main']);
  assert.match(r.stdout + r.stderr, 'the switch changes guarded paths');
  assert.is(repo.git('rev-parse', backupBranches(repo)[0]), topic);
  for (let i = 0; i < 2; i++) {
    gitRun(repo, ['checkout', '-q', 'topic']);
    gitRun(repo, ['checkout', '-q', 'main']);
  }
  assert.is(backupBranches(repo).length, 2, 'switching back and forth backs up each side once');

  // topic moves on with no hook: its new tip is on no backup branch yet
  const off = { REORG_GUARD: '0' };
  gitRun(repo, ['checkout', '-q', 'topic'], off);
  commit(repo, { 'proto/gcommon/v1/queue/job2.proto': 'syntax = "proto3";\n' }, off);
  gitRun(repo, ['checkout', '-q', 'main'], off);
  const tip = repo.git('rev-parse', 'topic');
  commit(repo, { 'README.md': 'main moved\n' });
  r = gitRun(repo, ['rebase', '-q', 'main', 'topic']);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout + r.stderr, 'pre-rebase: topic is rebased onto main');
  const branches = backupBranches(repo);
  assert.is(branches.length, 3);
  assert.is(repo.git('rev-parse', branches[2]), tip, 'the tip of topic before the rebase');
  assert.is.not(repo.git('rev-parse', 'topic'), tip);
}));

test('pre-rebase backs up a commit once: rebasing the same commits again makes no new backup', withRepo(initRepo, (repo) => {
  const off = { REORG_GUARD: '0' };
  commit(repo, { 'proto/gcommon/v1/queue/job.proto': 'syntax = "proto3";\n' }, off);
  commit(repo, { 'README.md': 'more\n' }, off);
  const head = repo.git('rev-parse', 'HEAD');
  let r = gitRun(repo, ['rebase', '-q', '-x', 'true', 'HEAD~2']);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout + r.stderr, 'pre-rebase: the current branch is rebased onto HEAD~2');
  assert.equal(backupBranches(repo).map((b) => repo.git('rev-parse', b)), [head]);
  for (let i = 0; i < 2; i++) {
    r = gitRun(repo, ['rebase', '-q', '-x', 'true', 'HEAD~2']);
    assert.is(r.code, 0, r.stderr);
    assert.not.match(r.stdout + r.stderr, 'reorg-guard');
  }
  assert.is(repo.git('rev-parse', 'HEAD'), head, 'the rebases kept the same commits');
  assert.equal(backupBranches(repo).map((b) => repo.git('rev-parse', b)), [head], 'one backup of that commit, not three');

  // Another branch named to rebase: its tip is the commit compared.
  repo.git('branch', 'topic', head);
  r = gitRun(repo, ['rebase', '-q', 'HEAD~2', 'topic']);
  assert.is(r.code, 0, r.stderr);
  assert.not.match(r.stdout + r.stderr, 'reorg-guard');
  assert.is(backupBranches(repo).length, 1);
}));

test('strict blocks the git command with the reason and the way around it; non-strict warns', () => {
  // Backups go to a remote that cannot be reached; the user pushes to origin.
  const repo = initRepo({ remote: 'vault' });
  try {
    repo.git('remote', 'add', 'vault', path.join(repo.base, 'missing.git'));
    commit(repo, { 'buf.gen.yaml': 'version: v2\n' });
    let r = gitRun(repo, ['push', '-q', 'origin', 'main']);
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stderr, /warning: reorg-guard pre-push: cannot reach vault.*Your git command goes on without it/);

    const cfg = JSON.parse(repo.read('reorg-guard.config.json').toString());
    repo.write('reorg-guard.config.json', JSON.stringify({ ...cfg, strict: true }));
    repo.git('commit', '-q', '-am', 'strict');
    r = gitRun(repo, ['push', '-q', 'origin', 'main']);
    assert.is.not(r.code, 0);
    assert.match(r.stderr, /cannot reach vault.*Blocked because "strict" is on.*REORG_GUARD=0/);
    assert.is.not(repo.git('--git-dir', repo.origin, 'rev-parse', 'main'), repo.git('rev-parse', 'main'));
    r = gitRun(repo, ['push', '-q', 'origin', 'main'], { REORG_GUARD: '0' });
    assert.is(r.code, 0, r.stderr);
  } finally {
    repo.cleanup();
  }
});

test('a missing reorg-guard never blocks a commit unless strict; a non-guarded commit does not look for it', withRepo(initRepo, (repo) => {
  const env = readFileSync(envFile(repo), 'utf8').replace(/^rg_cli=.*$/m, "rg_cli='/nowhere/cli.js'");
  writeFileSync(envFile(repo), env);
  let r = commit(repo, { 'README.md': 'x\n' });
  assert.is(r.code, 0, r.out);
  assert.is(r.out, '', 'node was not needed, so nobody noticed it is missing');
  r = commit(repo, { 'proto/a.proto': 'a\n' });
  assert.is(r.code, 0, r.out);
  assert.match(r.out, 'could not run reorg-guard, no backup taken');
  assert.not.match(r.out, 'blocked');
  assert.equal(backupBranches(repo), []);
}));

test('a backup post-commit cannot make: one warning, and the commit stands', withRepo(() => initRepo({ branchPrefix: 'vault/backup-' }), (repo) => {
  repo.git('branch', 'vault'); // in the way of vault/backup-*
  const r = commit(repo, { 'buf.yaml': 'version: v2\n' });
  assert.is(r.code, 0, r.out);
  assert.match(r.out, /reorg-guard post-commit: .*'refs\/heads\/vault' exists.*Your commit is made; nothing was backed up\./);
  assert.is(r.out.trim().split('\n').length, 1);
  assert.is(repo.git('log', '-1', '--format=%s'), 'change buf.yaml');
}));

test('strict: pre-commit backs up before the commit, and blocks it when it cannot', withRepo(() => initRepo({ strict: true }), (repo) => {
  assert.ok(existsSync(path.join(hooksDir(repo), 'pre-commit')), 'strict installs pre-commit');
  const parent = repo.git('rev-parse', 'HEAD');
  let r = commit(repo, { 'proto/gcommon/v1/queue/queue.proto': 'v2\n' });
  assert.is(r.code, 0, r.out);
  assert.is(r.out.match(/backed up to/g)?.length, 1, 'post-commit finds it backed up already');
  assert.equal(backupBranches(repo).map((b) => repo.git('rev-parse', b)), [parent]);

  // --no-verify skips pre-commit: post-commit still backs up, and says strict was bypassed.
  const second = repo.git('rev-parse', 'HEAD');
  repo.write('buf.yaml', 'version: v2\n');
  repo.git('add', 'buf.yaml');
  r = gitRun(repo, ['commit', '-q', '--no-verify', '-m', 'buf']);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout + r.stderr, /"strict" is on, yet nothing backed up the state before this commit/);
  assert.equal(backupBranches(repo).map((b) => repo.git('rev-parse', b)), [parent, second]);

  // No reorg-guard to run: the commit is blocked, HEAD stays.
  const env = readFileSync(envFile(repo), 'utf8');
  writeFileSync(envFile(repo), env.replace(/^rg_cli=.*$/m, "rg_cli='/nowhere/cli.js'"));
  const head = repo.git('rev-parse', 'HEAD');
  r = commit(repo, { 'proto/b.proto': 'b\n' });
  assert.is.not(r.code, 0);
  assert.match(r.out, /blocked because "strict" is on.*REORG_GUARD=0/);
  assert.is(repo.git('rev-parse', 'HEAD'), head);
  writeFileSync(envFile(repo), env);

  // strict off in the config: pre-commit lets post-commit do it; init then removes pre-commit.
  const cfg = JSON.parse(repo.read('reorg-guard.config.json').toString());
  repo.write('reorg-guard.config.json', JSON.stringify({ ...cfg, strict: false }));
  const third = repo.git('rev-parse', 'HEAD');
  r = commit(repo, {});
  assert.is(r.code, 0, r.out);
  assert.not.match(r.out, 'strict');
  assert.equal(backupBranches(repo).map((b) => repo.git('rev-parse', b)), [parent, second, third]);
  const i = repo.cli(['init']);
  assert.is(i.code, 0, i.stderr);
  assert.match(i.stdout, /Removed .*pre-commit: without "strict", post-commit backs up a guarded commit/);
  assert.not.ok(existsSync(path.join(hooksDir(repo), 'pre-commit')));
}));

test('a config change reaches the hooks without running init again', withRepo(initRepo, (repo) => {
  const cfg = JSON.parse(repo.read('reorg-guard.config.json').toString());
  repo.write('reorg-guard.config.json', JSON.stringify({ ...cfg, guardedPaths: ['docs/'] }));
  repo.git('commit', '-q', '-am', 'guard docs', '--no-verify');
  let r = commit(repo, { 'docs/design.md': 'v2\n' });
  assert.match(r.out, 'backed up to', r.out);
  assert.match(readFileSync(envFile(repo), 'utf8'), "':(glob)**/docs/**'");
  r = commit(repo, { 'proto/gcommon/v1/queue/queue.proto': 'no longer guarded\n' });
  assert.is(r.out, '');
  assert.is(backupBranches(repo).length, 1);
}));

function listing(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir).sort()) out[name] = readFileSync(path.join(dir, name), 'utf8');
  return out;
}

test('init chains a foreign hook, is a no-op the second time; uninstall puts everything back', withRepo({ files: FILES }, (repo) => {
  const foreign = path.join(hooksDir(repo), 'post-commit');
  writeFileSync(foreign, '#!/bin/sh\necho "team hook ran" >&2\n');
  chmodSync(foreign, 0o755);
  const preCommit = path.join(hooksDir(repo), 'pre-commit');
  writeFileSync(preCommit, '#!/bin/sh\necho "team check ran" >&2\n');
  chmodSync(preCommit, 0o755);
  const before = listing(hooksDir(repo));

  let r = repo.cli(['init']);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, 'Kept your hook as');
  assert.ok(existsSync(`${foreign}.before-reorg-guard`));
  assert.is(readFileSync(preCommit, 'utf8'), before['pre-commit'], 'without strict, pre-commit is not ours to touch');
  const installed = listing(hooksDir(repo));
  r = repo.cli(['init']);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, 'nothing changed');
  assert.equal(listing(hooksDir(repo)), installed);

  const c = commit(repo, { 'proto/x.proto': 'x\n' });
  assert.is(c.code, 0, c.out);
  assert.match(c.out, 'team hook ran');
  assert.match(c.out, 'team check ran');
  assert.match(c.out, 'backed up to');

  r = repo.cli(['uninstall']);
  assert.is(r.code, 0, r.stderr);
  assert.equal(listing(hooksDir(repo)), before);
  assert.match(r.stdout, 'Put your hook back');
}));

test('upgrade: init removes the pre-commit an older version installed, and puts a chained one back', withRepo({ files: FILES }, (repo) => {
  const dir = hooksDir(repo);
  const older = '#!/bin/sh\n. "${0%/*}/reorg-guard.sh"\nrg_guarded git diff --cached --quiet && exit 0\nrg_run pre-commit "$@"\n';
  writeFileSync(path.join(dir, 'pre-commit'), older, { mode: 0o755 });
  writeFileSync(path.join(dir, 'pre-commit.before-reorg-guard'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
  const r = repo.cli(['init']);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /Removed .*pre-commit: without "strict"/);
  assert.match(r.stdout, 'Put your hook back');
  assert.is(readFileSync(path.join(dir, 'pre-commit'), 'utf8'), '#!/bin/sh\nexit 0\n');
  assert.not.ok(existsSync(path.join(dir, 'pre-commit.before-reorg-guard')));
  assert.ok(existsSync(path.join(dir, 'post-commit')));
}));

test.run();
