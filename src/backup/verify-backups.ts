/**
 * Proves the backups are there and whole:
 * - branches: each resolves to a commit, still the one its record was made for (not committed
 *   on since), and the remote has the same commit (one ls-remote); unpushed ones are named;
 * - snapshots: each resolves to a commit whose trees and blobs (and its index commit's) are
 *   all in the object store (one rev-list for all; a second pass per snapshot only to name
 *   the broken one);
 * - archives: each is read in full and every entry checked against its manifest (streaming);
 *   `quick` only lists them.
 */
import type { Config } from '../config.js';
import type { Repo } from '../git/repo.js';
import { GitError } from '../git/exec.js';
import { hasRemote, lsRemote } from '../git/remote.js';
import { commitParents, missingObjects, objectTypes, refTargets } from '../git/objects.js';
import { progress } from '../ui/progress.js';
import { msg } from '../messages.js';
import { SNAPSHOT_PREFIX, UNPUSHED_PREFIX, backupBranchPrefix, HEADS } from '../git/ref-names.js';
import { byNewest, listArchives, listBackups } from './list.js';
import { verifyArchive } from './verify-archive.js';

export interface ItemCheck {
  name: string;
  ok: boolean;
  /** Why it failed. */
  problems: string[];
  /** Worth knowing, not a failure (e.g. unpushed). */
  notes: string[];
}

export interface BranchCheck extends ItemCheck {
  commit: string;
  remote: 'same' | 'missing' | 'differs' | 'unpushed' | 'unchecked';
}

export interface ArchiveCheckResult extends ItemCheck {
  path: string;
  size: number;
  /** False with --quick: listed, not read. */
  read: boolean;
  files: number;
}

export interface BackupsReport {
  ok: boolean;
  remote: string;
  /** Why remote copies were not checked, or null when they were. */
  remoteNote: string | null;
  /** The remote is configured but could not be reached: its copies are unproven (a failure). */
  remoteDown: boolean;
  branches: BranchCheck[];
  snapshots: ItemCheck[];
  archives: ArchiveCheckResult[];
}

const item = (name: string): ItemCheck => ({ name, ok: true, problems: [], notes: [] });
const fail = (c: ItemCheck, problem: string) => {
  c.ok = false;
  c.problems.push(problem);
};

interface RemoteView {
  refs: Map<string, string> | null;
  note: string | null;
  down: boolean;
}

async function remoteBranches(repo: Repo, config: Config): Promise<RemoteView> {
  if (!(await hasRemote(repo, config.remote))) return { refs: null, note: msg.verifyNoRemote(config.remote), down: false };
  try {
    return { refs: await lsRemote(repo, config.remote, [`${backupBranchPrefix(config)}*`], config.networkTimeout * 1000), note: null, down: false };
  } catch (err) {
    if (!(err instanceof GitError)) throw err;
    return { refs: null, note: msg.verifyRemoteDown(config.remote, err.message), down: true };
  }
}

async function checkBranches(repo: Repo, config: Config, local: Map<string, string>, movedFrom: Map<string, string>): Promise<{ checks: BranchCheck[]; remote: RemoteView }> {
  const prefix = backupBranchPrefix(config);
  const branches = [...local].filter(([ref]) => ref.startsWith(prefix));
  if (branches.length === 0) return { checks: [], remote: { refs: null, note: null, down: false } };
  const [types, remote] = await Promise.all([objectTypes(repo, branches.map(([, c]) => c)), remoteBranches(repo, config)]);
  const checks = branches.map(([ref, commit]): BranchCheck => {
    const name = ref.slice(HEADS.length);
    const c: BranchCheck = { ...item(name), commit, remote: 'unchecked' };
    const type = types.get(commit);
    if (type === null) fail(c, msg.verifyMissingObject(commit));
    else if (type !== 'commit') fail(c, msg.verifyNotCommit(type ?? 'unknown object'));
    const from = movedFrom.get(name);
    if (from) fail(c, msg.listMoved(name, from));
    if (remote.refs) {
      const there = remote.refs.get(ref);
      if (there === commit) c.remote = 'same';
      else if (local.has(`${UNPUSHED_PREFIX}${name}`)) {
        c.remote = 'unpushed';
        c.notes.push(msg.verifyUnpushed());
      } else if (there === undefined) {
        c.remote = 'missing';
        fail(c, msg.verifyRemoteMissing(config.remote));
      } else {
        c.remote = 'differs';
        fail(c, msg.verifyRemoteDiffers(config.remote, there));
      }
    } else if (local.has(`${UNPUSHED_PREFIX}${name}`)) {
      c.remote = 'unpushed';
      c.notes.push(msg.verifyUnpushed());
    }
    return c;
  });
  return { checks, remote };
}

async function checkSnapshots(repo: Repo, config: Config, local: Map<string, string>): Promise<ItemCheck[]> {
  const prefix = `${SNAPSHOT_PREFIX}${config.branchPrefix}`;
  const snaps = [...local].filter(([ref]) => ref.startsWith(prefix));
  if (snaps.length === 0) return [];
  const types = await objectTypes(repo, snaps.map(([, c]) => c));
  const checks = new Map<string, ItemCheck>();
  const present: Array<[string, string]> = [];
  for (const [ref, commit] of snaps) {
    const c = item(ref.slice(SNAPSHOT_PREFIX.length));
    checks.set(ref, c);
    const type = types.get(commit);
    if (type === null) fail(c, msg.verifyMissingObject(commit));
    else if (type !== 'commit') fail(c, msg.verifyNotCommit(type ?? 'unknown object'));
    else present.push([ref, commit]);
  }
  // The snapshot's tree is the work tree; its second parent holds the index.
  const parents = await commitParents(repo, present.map(([, c]) => c));
  const indexCommits = [...new Set(present.map(([, c]) => parents.get(c)?.[1]).filter((p): p is string => Boolean(p)))];
  const indexTypes = await objectTypes(repo, indexCommits);
  const roots = (commit: string) => {
    const idx = parents.get(commit)?.[1];
    return idx && indexTypes.get(idx) === 'commit' ? [commit, idx] : [commit];
  };
  for (const [ref, commit] of present) {
    const idx = parents.get(commit)?.[1];
    if (idx && indexTypes.get(idx) !== 'commit') fail(checks.get(ref)!, msg.verifyMissingObject(`${idx} (index commit)`));
  }
  if ((await missingObjects(repo, present.flatMap(([, c]) => roots(c)))).length > 0) {
    // Something is missing somewhere: name the snapshots it belongs to.
    for (const [ref, commit] of present) {
      const missing = await missingObjects(repo, roots(commit));
      for (const id of missing.slice(0, 5)) fail(checks.get(ref)!, msg.verifyMissingObject(id));
      if (missing.length > 5) fail(checks.get(ref)!, msg.verifyMoreMissing(missing.length - 5));
    }
  }
  return [...checks.values()];
}

async function checkArchives(repo: Repo, config: Config, quick: boolean): Promise<ArchiveCheckResult[]> {
  const out: ArchiveCheckResult[] = [];
  for (const a of await listArchives(repo, config)) {
    const c: ArchiveCheckResult = { ...item(a.name), path: a.path, size: a.size, read: !quick, files: 0 };
    if (!quick) {
      const bar = progress(`verifying ${a.name}`);
      const res = await verifyArchive(a.path, (size) => bar.tick(size), { ownArchive: true });
      bar.done();
      c.files = res.files;
      for (const p of res.problems) fail(c, p);
    }
    out.push(c);
  }
  return out;
}

export async function verifyBackups(repo: Repo, config: Config, opts: { quick?: boolean } = {}): Promise<BackupsReport> {
  const [local, listed] = await Promise.all([
    refTargets(repo, [backupBranchPrefix(config), `${SNAPSHOT_PREFIX}${config.branchPrefix}`, `${UNPUSHED_PREFIX}${config.branchPrefix}`]),
    // this clone's records: a branch moved since its record was made no longer holds that state
    listBackups(repo, config).catch((err) => {
      if (err instanceof GitError) return [];
      throw err;
    }),
  ]);
  const movedFrom = new Map(listed.filter((b) => b.movedFrom).map((b) => [b.name, b.movedFrom!]));
  const [branches, snapshots, archives] = await Promise.all([
    checkBranches(repo, config, local, movedFrom),
    checkSnapshots(repo, config, local),
    checkArchives(repo, config, Boolean(opts.quick)),
  ]);
  const order = byNewest(config.branchPrefix);
  branches.checks.sort((a, b) => order(a.name, b.name));
  snapshots.sort((a, b) => order(a.name, b.name));
  const all: ItemCheck[] = [...branches.checks, ...snapshots, ...archives];
  return {
    ok: all.every((c) => c.ok) && !branches.remote.down,
    remote: config.remote,
    remoteNote: branches.remote.note,
    remoteDown: branches.remote.down,
    branches: branches.checks,
    snapshots,
    archives,
  };
}
