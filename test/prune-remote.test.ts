/**
 * The one-push deletion behind `cleanup` (src/git/prune-remote.ts), against a real bare remote,
 * including the races it must lose nothing in: a ref that appears on the remote after the
 * listing, one that moves after it, and one deleted without being asked for.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { chmodSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PREFIX, testEnv, withRepo, type TestRepo } from './helpers/repo.js';
import { openRepo } from '../src/git/repo.js';
import { pruneRemoteRefs, type PruneNamespace } from '../src/git/prune-remote.js';

const HEADS: PruneNamespace = { remotePrefix: `refs/heads/${PREFIX}`, leasePrefix: `refs/remotes/origin/${PREFIX}` };
const SNAPSHOTS: PruneNamespace = { remotePrefix: `refs/reorg-guard/snapshots/${PREFIX}` };

/** Runs `work` with this process's git calls isolated like the CLI's in other tests. */
async function isolated<T>(work: () => Promise<T>): Promise<T> {
  const saved = { ...process.env };
  for (const k of Object.keys(process.env)) delete process.env[k];
  Object.assign(process.env, testEnv());
  try {
    return await work();
  } finally {
    for (const k of Object.keys(process.env)) delete process.env[k];
    Object.assign(process.env, saved);
  }
}

/** `count` backup branches (and snapshot refs), each its own commit, pushed to origin. */
function seed(repo: TestRepo, count: number, opts: { snapshots?: boolean } = {}): string[] {
  const names: string[] = [];
  let input = '';
  for (let i = 0; i < count; i++) {
    const name = `${PREFIX}2025010${Math.floor(i / 10)}_1000${String(i % 10).padStart(2, '0')}`;
    const commit = execFileSync('git', ['commit-tree', 'HEAD^{tree}', '-p', 'HEAD', '-m', `backup ${i}`], { cwd: repo.dir, env: testEnv(), encoding: 'utf8' }).trim();
    input += `create refs/heads/${name} ${commit}\ncreate refs/reorg-guard/snapshots/${name} ${commit}\n`;
    names.push(name);
  }
  execFileSync('git', ['update-ref', '--stdin'], { cwd: repo.dir, env: testEnv(), input });
  repo.git('push', '-q', 'origin', `refs/heads/${PREFIX}*:refs/heads/${PREFIX}*`);
  if (opts.snapshots) repo.git('push', '-q', 'origin', `refs/reorg-guard/snapshots/${PREFIX}*:refs/reorg-guard/snapshots/${PREFIX}*`);
  return names;
}

/** What the remote has under the backup namespaces, ref → commit (an ls-remote, as cleanup lists it). */
function listing(repo: TestRepo): Map<string, string> {
  const out = repo.git('ls-remote', '--refs', 'origin', `refs/heads/${PREFIX}*`, `refs/reorg-guard/snapshots/${PREFIX}*`);
  return new Map(out.split('\n').filter(Boolean).map((l) => l.split('\t').reverse() as [string, string]));
}

/** The deletion, as cleanup calls it, with this process's git isolated. */
const prune = (repo: TestRepo, req: Omit<Parameters<typeof pruneRemoteRefs>[2], 'timeoutMs'>) =>
  isolated(async () => pruneRemoteRefs(await openRepo(repo.dir), 'origin', { timeoutMs: 30_000, ...req }));

/**
 * A backup another clone pushes after the listing (the race cleanup must survive); `fetched`:
 * and this clone fetched it at that moment, so that its remote-tracking ref (the lease) exists.
 */
function pushedByAnotherClone(repo: TestRepo, opts: { fetched: boolean }): { ref: string; commit: string } {
  const ref = `refs/heads/${PREFIX}20240101_000000`;
  const commit = repo.git('rev-parse', 'refs/heads/main');
  execFileSync('git', ['update-ref', ref, commit], { cwd: repo.origin, env: testEnv() });
  if (opts.fetched) repo.git('fetch', '-q', 'origin', `${ref}:refs/remotes/origin/${PREFIX}20240101_000000`);
  return { ref, commit };
}

/** The backup branches of these names, as the set of refs to delete. */
const branches = (names: string[]) => new Set(names.map((n) => `refs/heads/${n}`));

const remoteHas = (repo: TestRepo) => [...listing(repo).keys()].sort();
const localRefs = (repo: TestRepo, prefix: string) => repo.git('for-each-ref', '--format=%(refname)', prefix).split('\n').filter(Boolean);

test('deletes exactly the refs asked for; tracking refs of deleted branches go; no scratch ref or remote is left', withRepo(async (repo) => {
  const names = seed(repo, 30);
  const drop = branches(names.slice(5));
  const res = await prune(repo, { namespaces: [HEADS, SNAPSHOTS], seen: listing(repo), drop });
  assert.is(res.error, null);
  assert.ok([...res.refs.values()].every(Boolean));
  assert.equal(remoteHas(repo), names.slice(0, 5).map((n) => `refs/heads/${n}`).sort());
  assert.is(repo.git('rev-parse', 'refs/heads/main'), repo.git('ls-remote', 'origin', 'refs/heads/main').split('\t')[0], 'other branches untouched');
  assert.equal(localRefs(repo, `refs/remotes/origin/${PREFIX}*`).sort(), names.slice(0, 5).map((n) => `refs/remotes/origin/${n}`).sort());
  assert.equal(localRefs(repo, 'refs/reorg-guard/prune/'), []);
  assert.is(localRefs(repo, `refs/heads/${PREFIX}*`).length, 30, 'local branches are the caller\'s business');
  assert.not.ok(repo.git('config', '--list').includes('reorg-guard-prune'), 'the scratch remote lived only in the push\'s environment');
}));

test('a ref that appeared on the remote after the listing is never deleted; the rest still goes', withRepo(async (repo) => {
  const names = seed(repo, 8);
  const seen = listing(repo);
  // another clone pushes a backup between the listing and the push
  const { ref: late } = pushedByAnotherClone(repo, { fetched: false });
  const drop = branches(names.slice(2));
  await prune(repo, { namespaces: [HEADS], seen, drop });
  assert.equal(remoteHas(repo), [late, ...names.slice(0, 2).map((n) => `refs/heads/${n}`)].sort());
}));

test('a ref that moved on the remote after the listing is not deleted, and is reported', withRepo(async (repo) => {
  const names = seed(repo, 6);
  const seen = listing(repo);
  const moved = `refs/heads/${names[5]}`;
  const newer = execFileSync('git', ['commit-tree', 'HEAD^{tree}', '-p', moved, '-m', 'work on the backup'], { cwd: repo.dir, env: testEnv(), encoding: 'utf8' }).trim();
  repo.git('push', '-q', 'origin', `${newer}:${moved}`);
  const drop = branches(names.slice(3));
  const res = await prune(repo, { namespaces: [HEADS], seen, drop });
  assert.is(listing(repo).get(moved), newer, 'the newer commit is still on the remote');
  assert.is(res.refs.get(moved), false);
  assert.ok(res.error);
  assert.is(res.refs.get(`refs/heads/${names[3]}`), true);
  assert.not.ok(listing(repo).has(`refs/heads/${names[3]}`));
}));

test('a ref deleted without being asked for (a fetch wrote its lease meanwhile) is pushed back', withRepo(async (repo) => {
  const names = seed(repo, 6);
  const seen = listing(repo);
  const { ref: late, commit } = pushedByAnotherClone(repo, { fetched: true });
  const drop = branches(names.slice(3));
  await prune(repo, { namespaces: [HEADS], seen, drop });
  assert.is(listing(repo).get(late), commit);
  assert.is(listing(repo).size, 4);
}));

test('remote snapshots are deleted too; the push goes to the remote\'s pushurl', withRepo(async (repo) => {
  const names = seed(repo, 10, { snapshots: true });
  const seen = listing(repo);
  repo.git('config', 'remote.origin.pushurl', repo.origin);
  repo.git('config', 'remote.origin.url', '/nonexistent/fetch-only.git');
  const drop = new Set(names.slice(4).flatMap((n) => [`refs/heads/${n}`, `refs/reorg-guard/snapshots/${n}`]));
  const res = await prune(repo, { namespaces: [HEADS, SNAPSHOTS], seen, drop });
  assert.is(res.error, null);
  repo.git('config', 'remote.origin.url', repo.origin);
  assert.equal(remoteHas(repo), names.slice(0, 4).flatMap((n) => [`refs/heads/${n}`, `refs/reorg-guard/snapshots/${n}`]).sort());
  assert.equal(localRefs(repo, 'refs/reorg-guard/prune/'), []);
}));

test('scratch refs an interrupted run left are never pushed: a kept ref is not rewound, a deleted one not recreated', withRepo(async (repo) => {
  const names = seed(repo, 6);
  const kept = `refs/heads/${names[5]}`;
  const old = repo.git('rev-parse', kept);
  // since the interrupted run, somebody committed on the kept backup and pushed it
  const newer = execFileSync('git', ['commit-tree', 'HEAD^{tree}', '-p', kept, '-m', 'important work'], { cwd: repo.dir, env: testEnv(), encoding: 'utf8' }).trim();
  repo.git('push', '-q', 'origin', `${newer}:${kept}`);
  // what a Ctrl-C in the middle of the last push left: its "keep" values
  repo.git('update-ref', `refs/reorg-guard/prune/keep/0/${names[5]}`, old);
  repo.git('update-ref', `refs/reorg-guard/prune/keep/0/${PREFIX}20190101_000000`, old);
  const drop = branches(names.slice(0, 3));
  const res = await prune(repo, { namespaces: [HEADS], seen: listing(repo), drop });
  assert.is(res.error, null);
  assert.is(listing(repo).get(kept), newer, 'the newer commit stays on the remote');
  assert.not.ok(listing(repo).has(`refs/heads/${PREFIX}20190101_000000`), 'nothing recreated');
  assert.equal(remoteHas(repo), names.slice(3).map((n) => `refs/heads/${n}`).sort());
  assert.equal(localRefs(repo, 'refs/reorg-guard/prune/'), []);
}));

test('a ref deleted unasked that cannot be pushed back is kept locally and named', withRepo(async (repo) => {
  const names = seed(repo, 4);
  const seen = listing(repo);
  const { ref: late, commit } = pushedByAnotherClone(repo, { fetched: true });
  // the remote refuses to create that ref again (a server rule, or the network gone by then)
  const hook = path.join(repo.origin, 'hooks', 'pre-receive');
  writeFileSync(hook, `#!/bin/sh\nwhile read old new ref; do\n  if [ "$ref" = "${late}" ] && [ "$old" = "${'0'.repeat(40)}" ]; then echo "no re-creation" >&2; exit 1; fi\ndone\n`);
  chmodSync(hook, 0o755);
  const drop = branches(names.slice(2));
  const res = await prune(repo, { namespaces: [HEADS], seen, drop });
  assert.equal(res.unrestored.map((s) => s.ref), [late]);
  assert.is(repo.git('rev-parse', res.unrestored[0].keptAt), commit, 'its commit is kept in a local ref');
  assert.is(res.unrestored[0].keptAt, `refs/reorg-guard/strays/heads/${PREFIX}20240101_000000`);
  // recover names it, and `reorg-guard push` sends it back once the remote takes it
  assert.match(repo.cli(['recover', '--json']).stdout, /"kind": ?"stray-backups"/);
  const refused = repo.cli(['push']);
  assert.is(refused.code, 1, refused.stderr);
  assert.match(refused.stderr, /Still not back on the remote/);
  unlinkSync(hook);
  const pushed = repo.cli(['push']);
  assert.is(pushed.code, 0, pushed.stderr);
  assert.match(pushed.stdout, new RegExp(`Back on origin: ${late}`));
  assert.is(listing(repo).get(late), commit);
  assert.equal(localRefs(repo, 'refs/reorg-guard/strays/'), []);
}));

test.run();
