/** The hooks in plain git (no package.json): real commits, checkouts, rebases and pushes. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync, readdirSync, writeFileSync, chmodSync } from 'node:fs';
import path from 'node:path';
import { makeRepo, type TestRepo } from './helpers/repo.js';
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

test('a commit that touches no guarded path makes no backup; a guarded one backs up HEAD as it was', () => {
  const repo = initRepo();
  try {
    const before = repo.git('rev-parse', 'HEAD');
    let r = commit(repo, { 'README.md': '# team, edited\n' });
    assert.is(r.code, 0, r.out);
    assert.equal(backupBranches(repo), []);
    assert.is(r.out, '');

    const parent = repo.git('rev-parse', 'HEAD');
    repo.write('proto/gcommon/v1/queue/queue.proto', 'syntax = "proto3";\nmessage Job {}\n');
    repo.git('add', 'proto');
    repo.write('notes.txt', 'not staged\n');
    const c = gitRun(repo, ['commit', '-q', '-m', 'change proto/gcommon/v1/queue/queue.proto']);
    r = { ...c, out: c.stdout + c.stderr };
    assert.is(r.code, 0, r.out);
    assert.match(r.out, /backed up to proto-reorg-backup-\d{8}_\d{6}/);
    const [name] = backupBranches(repo);
    assert.ok(name);
    assert.is(repo.git('rev-parse', name), parent, 'the branch is at the HEAD before the commit');
    assert.is.not(parent, before);
    // The backup is the state before the commit: HEAD as it was. What is being committed is the
    // commit itself, and the work the commit leaves alone (notes.txt) needs no snapshot.
    assert.is(repo.git('for-each-ref', `refs/reorg-guard/snapshots/${name}`), '', 'no snapshot of what is committed');
    assert.match(repo.git('log', '-1', '--format=%B', `refs/reorg-guard/records/${name}`), 'reorg-guard-trigger: pre-commit');
    assert.match(repo.git('log', '-1', '--format=%B', `refs/reorg-guard/records/${name}`), 'reorg-guard-branch: refs/heads/main');
    assert.is(repo.git('rev-parse', `refs/reorg-guard/unpushed/${name}`), parent);
    assert.is(repo.git('log', '-1', '--format=%s'), 'change proto/gcommon/v1/queue/queue.proto');
    // The copy of git's index that the tree was written from is gone.
    assert.equal(readdirSync(path.join(repo.dir, '.git')).filter((f) => f.startsWith('reorg-guard-index')), []);
  } finally {
    repo.cleanup();
  }
});

test('the first commit of a repository (no HEAD yet) goes through, quietly and without a backup', () => {
  const repo = makeRepo({ files: {} });
  try {
    assert.is(repo.cli(['init']).code, 0);
    const r = commit(repo, { 'proto/gcommon/v1/queue/queue.proto': 'syntax = "proto3";\n' });
    assert.is(r.code, 0, r.out);
    assert.is(r.out, '');
    assert.equal(backupBranches(repo), []);
    // The index tree the hook started writing was not needed; its temporary index is gone too.
    assert.equal(readdirSync(path.join(repo.dir, '.git')).filter((f) => f.startsWith('reorg-guard-index')), []);
  } finally {
    repo.cleanup();
  }
});

test('a partial commit (git commit -- PATH) backs up HEAD as it was, once per HEAD', () => {
  const repo = initRepo();
  try {
    const before = repo.git('rev-parse', 'HEAD');
    repo.write('proto/gcommon/v1/queue/queue.proto', 'staged, not committed now\n');
    repo.git('add', '-A');
    repo.write('buf.yaml', 'version: v2\n');
    repo.git('add', 'buf.yaml');
    repo.write('buf.yaml', 'version: v2 # committed\n');
    const r = gitRun(repo, ['commit', '-q', '-m', 'buf only', '--', 'buf.yaml']);
    assert.is(r.code, 0, r.stderr);
    const [name] = backupBranches(repo);
    assert.is(repo.git('rev-parse', name), before);
    assert.is(repo.git('show', 'HEAD:buf.yaml'), 'version: v2 # committed');
    // A commit that fails after the hook (here: an empty message) and is tried again makes no second backup.
    repo.write('buf.yaml', 'version: v2 # again\n');
    repo.git('add', 'buf.yaml');
    const head = repo.git('rev-parse', 'HEAD');
    assert.is.not(gitRun(repo, ['commit', '-q', '-m', '']).code, 0);
    assert.is(gitRun(repo, ['commit', '-q', '-m', 'buf again']).code, 0);
    const names = backupBranches(repo);
    assert.is(names.length, 2);
    assert.is(repo.git('rev-parse', names[1]), head);
  } finally {
    repo.cleanup();
  }
});

test('pre-push pushes the backups the remote lacks, once, and checks the newest', () => {
  const repo = initRepo();
  try {
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
  } finally {
    repo.cleanup();
  }
});

test('node starts without NODE_EXTRA_CA_CERTS; the git commands it runs get the value back', () => {
  const repo = initRepo();
  try {
    // The remote records what its receive-pack got when reorg-guard pushed a backup branch.
    const seen = path.join(repo.base, 'ca-seen');
    const hook = path.join(repo.origin, 'hooks/post-receive');
    writeFileSync(hook, `#!/bin/sh\ngrep -q proto-reorg-backup- && printf '%s' "\${NODE_EXTRA_CA_CERTS-unset}" > '${seen}'\nexit 0\n`);
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
  } finally {
    repo.cleanup();
  }
});

test('"push": false: pre-push lists the backups instead of pushing them', () => {
  const repo = initRepo({ push: false });
  try {
    commit(repo, { 'buf.yaml': 'version: v2\n' });
    const [name] = backupBranches(repo);
    const r = gitRun(repo, ['push', '-q', 'origin', 'main']);
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stdout + r.stderr, `not on the remote ("push" is off in the config): ${name}`);
    assert.is(repo.git('--git-dir', repo.origin, 'for-each-ref', 'refs/heads/proto-reorg-backup-*'), '');
  } finally {
    repo.cleanup();
  }
});

test('the hooks work in a linked worktree (git sets GIT_DIR and GIT_INDEX_FILE there)', () => {
  const repo = initRepo();
  try {
    const wt = path.join(repo.base, 'linked');
    repo.git('worktree', 'add', '-q', '-b', 'side', wt);
    writeFileSync(path.join(wt, 'buf.yaml'), 'version: v2 # side\n');
    repo.git('-C', wt, 'add', 'buf.yaml');
    const c = gitRun({ ...repo, dir: wt }, ['commit', '-q', '-m', 'side: buf']);
    assert.is(c.code, 0, c.stderr);
    assert.match(c.stdout + c.stderr, 'backed up to');
    const [name] = backupBranches(repo);
    assert.is(repo.git('rev-parse', name), repo.git('-C', wt, 'rev-parse', 'HEAD~1'));
    assert.match(repo.git('log', '-1', '--format=%B', `refs/reorg-guard/records/${name}`), 'reorg-guard-branch: refs/heads/side');
  } finally {
    repo.cleanup();
  }
});

test('post-checkout keeps work made on a detached HEAD that a switch leaves behind', () => {
  const repo = initRepo();
  try {
    repo.git('checkout', '-q', '-b', 'topic');
    let r = gitRun(repo, ['checkout', '-q', 'main']);
    assert.is(r.stdout + r.stderr, '', 'a switch that leaves nothing behind and changes no guarded path is silent');

    repo.git('checkout', '-q', '--detach');
    commit(repo, { 'scratch.txt': 'an experiment\n' });
    const lost = repo.git('rev-parse', 'HEAD');
    r = gitRun(repo, ['checkout', '-q', 'main']);
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stdout + r.stderr, `${lost.slice(0, 10)} kept on proto-reorg-backup-`);
    const [name] = backupBranches(repo);
    assert.is(repo.git('rev-parse', name), lost);
  } finally {
    repo.cleanup();
  }
});

test('post-checkout backs up when the switch changes guarded paths; pre-rebase backs up the rebased branch', () => {
  const repo = initRepo();
  try {
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

    commit(repo, { 'README.md': 'main moved\n' });
    r = gitRun(repo, ['rebase', '-q', 'main', 'topic']);
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stdout + r.stderr, 'pre-rebase: topic is rebased onto main');
    const branches = backupBranches(repo);
    assert.is(branches.length, 3);
    assert.is(repo.git('rev-parse', branches[2]), topic, 'the tip of topic before the rebase');
    assert.is.not(repo.git('rev-parse', 'topic'), topic);
  } finally {
    repo.cleanup();
  }
});

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

test('a missing reorg-guard never blocks a commit unless strict; a non-guarded commit does not look for it', () => {
  const repo = initRepo();
  try {
    const env = readFileSync(envFile(repo), 'utf8').replace(/^rg_cli=.*$/m, "rg_cli='/nowhere/cli.js'");
    writeFileSync(envFile(repo), env);
    let r = commit(repo, { 'README.md': 'x\n' });
    assert.is(r.code, 0, r.out);
    assert.is(r.out, '', 'node was not needed, so nobody noticed it is missing');
    r = commit(repo, { 'proto/a.proto': 'a\n' });
    assert.is(r.code, 0, r.out);
    assert.match(r.out, 'could not run reorg-guard, no backup taken');
    assert.equal(backupBranches(repo), []);

    writeFileSync(envFile(repo), env.replace('rg_strict=0', 'rg_strict=1'));
    r = commit(repo, { 'proto/b.proto': 'b\n' });
    assert.is.not(r.code, 0);
    assert.match(r.out, /blocked because "strict" is on.*REORG_GUARD=0/);
  } finally {
    repo.cleanup();
  }
});

test('a config change reaches the hooks without running init again', () => {
  const repo = initRepo();
  try {
    const cfg = JSON.parse(repo.read('reorg-guard.config.json').toString());
    repo.write('reorg-guard.config.json', JSON.stringify({ ...cfg, guardedPaths: ['docs/'] }));
    repo.git('commit', '-q', '-am', 'guard docs', '--no-verify');
    let r = commit(repo, { 'docs/design.md': 'v2\n' });
    assert.match(r.out, 'backed up to', r.out);
    assert.match(readFileSync(envFile(repo), 'utf8'), "':(glob)**/docs/**'");
    r = commit(repo, { 'proto/gcommon/v1/queue/queue.proto': 'no longer guarded\n' });
    assert.is(r.out, '');
    assert.is(backupBranches(repo).length, 1);
  } finally {
    repo.cleanup();
  }
});

function listing(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir).sort()) out[name] = readFileSync(path.join(dir, name), 'utf8');
  return out;
}

test('init chains a foreign hook, is a no-op the second time; uninstall puts everything back', () => {
  const repo = makeRepo({ files: FILES });
  try {
    const foreign = path.join(hooksDir(repo), 'pre-commit');
    writeFileSync(foreign, '#!/bin/sh\necho "team check ran" >&2\n');
    chmodSync(foreign, 0o755);
    const before = listing(hooksDir(repo));

    let r = repo.cli(['init']);
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stdout, 'Kept your hook as');
    assert.ok(existsSync(`${foreign}.before-reorg-guard`));
    const installed = listing(hooksDir(repo));
    r = repo.cli(['init']);
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stdout, 'nothing changed');
    assert.equal(listing(hooksDir(repo)), installed);

    const c = commit(repo, { 'proto/x.proto': 'x\n' });
    assert.is(c.code, 0, c.out);
    assert.match(c.out, 'team check ran');
    assert.match(c.out, 'backed up to');

    r = repo.cli(['uninstall']);
    assert.is(r.code, 0, r.stderr);
    assert.equal(listing(hooksDir(repo)), before);
    assert.match(r.stdout, 'Put your hook back');
  } finally {
    repo.cleanup();
  }
});

test.run();
