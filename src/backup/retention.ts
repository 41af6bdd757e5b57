/**
 * Retention: which backups (branches local and on the remote, their snapshots, archives of this
 * repository) are kept and which go, and why. A backup is kept when any rule keeps it; the
 * newest one, a checked-out one, and any that an unfinished operation refers to are never
 * deleted. Planning reads only; `applyCleanup` deletes: one push for the remote, one ref
 * transaction for the local refs, then the archive files.
 */
import { lstat, unlink } from 'node:fs/promises';
import type { Config } from '../config.js';
import type { Repo } from '../git/repo.js';
import { checkedOutBranches } from '../git/worktree.js';
import { updateRefs, type RefUpdate } from '../git/refs.js';
import { objectTypes, refTargets } from '../git/objects.js';
import { hasRemote, lsRemote } from '../git/remote.js';
import { pruneRemoteRefs, type PruneNamespace, type Stray } from '../git/prune-remote.js';
import { GitError } from '../git/exec.js';
import { journaled, operationsByWorktree } from '../state/journal.js';
import { crashPoint } from '../state/crash.js';
import { parseBackupStamp } from '../util/time.js';
import { escapeRegExp } from '../util/glob.js';
import { OperationError } from '../errors.js';
import { msg } from '../messages.js';
import { SNAPSHOT_PREFIX, UNPUSHED_PREFIX, backupBranchPrefix, branchRef, remoteBranchPrefix } from './refs.js';
import { byNewest, listArchives } from './list.js';
import { archivePrefix } from './archive.js';

export interface RetentionRules {
  keepBranches: number;
  keepArchives: number;
  /** Keep everything younger than this many milliseconds. */
  keepWithinMs: number | null;
  /** How --keep-within was written, for the reasons shown to people. */
  keepWithinText: string | null;
  now?: Date;
}

/** A ref to delete, with the commit it pointed to (recorded in the journal). */
export interface RefDeletion {
  ref: string;
  commit: string;
}

export interface BackupDecision {
  name: string;
  keep: boolean;
  reasons: string[];
  /** Refs of this backup in this clone: branch, snapshot, unpushed record, remote-tracking ref. */
  local: RefDeletion[];
  /** Refs of this backup on the remote (branch, and pushed snapshot). */
  remote: RefDeletion[];
}

export interface ArchiveDecision {
  name: string;
  path: string;
  size: number;
  keep: boolean;
  reasons: string[];
}

export interface CleanupPlan {
  remote: string;
  /** Where backups live on the remote, and which local refs hold the remote's values. */
  namespaces: PruneNamespace[];
  /** Why the remote was left out (no such remote, unreachable), or null when it was listed. */
  remoteSkipped: string | null;
  backups: BackupDecision[];
  archives: ArchiveDecision[];
}

/** Names of the form <prefix><YYYYMMDD_HHMMSS>[-N] (or archive files) found anywhere in `value`. */
function namesIn(value: unknown, pattern: RegExp, into: Set<string>): void {
  if (typeof value === 'string') for (const m of value.matchAll(pattern)) into.add(m[0]);
  else if (Array.isArray(value)) for (const v of value) namesIn(v, pattern, into);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) namesIn(v, pattern, into);
}


/**
 * Backups and archives that unfinished journal operations refer to, by name → "id (op)".
 * An unfinished cleanup is not counted: what it refers to is what it meant to delete.
 */
async function referencedByUnfinished(repo: Repo, config: Config): Promise<Map<string, string>> {
  const branch = new RegExp(`${escapeRegExp(config.branchPrefix)}\\d{8}_\\d{6}(?:-\\d+)?(?![\\d])`, 'g');
  const archive = new RegExp(`${escapeRegExp(archivePrefix(repo))}\\d{8}_\\d{6}(?:-\\d+)?\\.tar\\.gz`, 'g');
  const out = new Map<string, string>();
  // every work tree's: backups are shared, and an operation of a linked worktree may need one
  for (const op of (await operationsByWorktree(repo)).flatMap((w) => w.operations)) {
    if (op.status !== 'started' || op.op === 'cleanup') continue;
    const names = new Set<string>();
    for (const part of [op.args, op.plan, op.safety]) {
      namesIn(part, branch, names);
      namesIn(part, archive, names);
    }
    for (const n of names) if (!out.has(n)) out.set(n, msg.keepUnfinished(op.id, op.op));
  }
  return out;
}

interface RemoteRefs {
  refs: Map<string, string> | null;
  skipped: string | null;
}

async function remoteBackupRefs(repo: Repo, config: Config): Promise<RemoteRefs> {
  if (!(await hasRemote(repo, config.remote))) return { refs: null, skipped: msg.noRemote(config.remote) };
  try {
    const refs = await lsRemote(repo, config.remote, [`${backupBranchPrefix(config)}*`, `${SNAPSHOT_PREFIX}${config.branchPrefix}*`]);
    return { refs, skipped: null };
  } catch (err) {
    if (!(err instanceof GitError)) throw err;
    return { refs: null, skipped: err.message };
  }
}

/**
 * A backup branch whose commit is not the one the remote (or the last push, or the unpushed
 * record) has: somebody committed on it, or moved it. Its newer commits may exist nowhere
 * else, so retention never deletes it.
 */
function movedSinceBackup(b: BackupDecision, tracking: string): boolean {
  const branch = b.local.find((r) => r.ref === branchRef(b.name));
  const seen =
    b.remote.find((r) => r.ref === branchRef(b.name)) ??
    b.local.find((r) => r.ref === `${tracking}${b.name}`) ??
    b.local.find((r) => r.ref === `${UNPUSHED_PREFIX}${b.name}`);
  return Boolean(branch && seen && seen.commit !== branch.commit);
}

/** Decides, without changing anything, what cleanup would delete and why each backup stays. */
export async function planCleanup(repo: Repo, config: Config, rules: RetentionRules): Promise<CleanupPlan> {
  const now = (rules.now ?? new Date()).getTime();
  const tracking = `refs/remotes/${config.remote}/`;
  const [localRefs, remote, referenced, checkedOut, archives] = await Promise.all([
    refTargets(repo, [backupBranchPrefix(config), remoteBranchPrefix(config), `${SNAPSHOT_PREFIX}${config.branchPrefix}`, `${UNPUSHED_PREFIX}${config.branchPrefix}`]),
    remoteBackupRefs(repo, config),
    referencedByUnfinished(repo, config),
    checkedOutBranches(repo),
    listArchives(repo, config),
  ]);

  const backups = new Map<string, BackupDecision>();
  const get = (name: string) => {
    let b = backups.get(name);
    if (!b) backups.set(name, (b = { name, keep: false, reasons: [], local: [], remote: [] }));
    return b;
  };
  for (const [ref, commit] of localRefs) {
    const prefix = ['refs/heads/', tracking, SNAPSHOT_PREFIX, UNPUSHED_PREFIX].find((p) => ref.startsWith(p))!;
    get(ref.slice(prefix.length)).local.push({ ref, commit });
  }
  for (const [ref, commit] of remote.refs ?? []) {
    const prefix = ref.startsWith(SNAPSHOT_PREFIX) ? SNAPSHOT_PREFIX : 'refs/heads/';
    get(ref.slice(prefix.length)).remote.push({ ref, commit });
  }

  // A backup only the remote has, whose commit this clone lacks: deleting it could not be undone here.
  const present = await objectTypes(repo, [...(remote.refs?.values() ?? [])]);

  const order = byNewest(config.branchPrefix);
  const sorted = [...backups.values()].sort((a, b) => order(a.name, b.name));
  const within = (date: Date | null) => rules.keepWithinMs !== null && date !== null && now - date.getTime() < rules.keepWithinMs;
  sorted.forEach((b, i) => {
    const date = parseBackupStamp(b.name.slice(config.branchPrefix.length));
    if (i === 0) b.reasons.push(msg.keepNewest('backup'));
    if (i < rules.keepBranches) b.reasons.push(msg.keepAmongNewest(rules.keepBranches));
    if (within(date)) b.reasons.push(msg.keepWithin(rules.keepWithinText!));
    if (!date) b.reasons.push(msg.keepNoStamp());
    if (checkedOut.has(branchRef(b.name))) b.reasons.push(msg.keepCheckedOut());
    if (referenced.has(b.name)) b.reasons.push(referenced.get(b.name)!);
    if (movedSinceBackup(b, tracking)) b.reasons.push(msg.keepMoved());
    if (b.remote.some((r) => !present.get(r.commit))) b.reasons.push(msg.keepNotInClone(config.remote));
    b.keep = b.reasons.length > 0;
    if (!b.keep) b.reasons.push(msg.dropOld());
  });

  const archiveDecisions = archives.map((a, i): ArchiveDecision => {
    const reasons: string[] = [];
    if (i === 0) reasons.push(msg.keepNewest('archive'));
    if (i < rules.keepArchives) reasons.push(msg.keepAmongNewest(rules.keepArchives));
    if (within(new Date(a.date))) reasons.push(msg.keepWithin(rules.keepWithinText!));
    if (referenced.has(a.name)) reasons.push(referenced.get(a.name)!);
    if (!a.mine) reasons.push(msg.keepNotProvenMine());
    const keep = reasons.length > 0;
    if (!keep) reasons.push(msg.dropOld());
    return { name: a.name, path: a.path, size: a.size, keep, reasons };
  });

  const namespaces = [
    { remotePrefix: backupBranchPrefix(config), leasePrefix: remoteBranchPrefix(config) },
    { remotePrefix: `${SNAPSHOT_PREFIX}${config.branchPrefix}` },
  ];
  return { remote: config.remote, namespaces, remoteSkipped: remote.skipped, backups: sorted, archives: archiveDecisions };
}

export interface CleanupResult {
  operation: string;
  local: number;
  remote: number;
  archives: number;
  /** Remote refs the remote refused to delete. */
  remoteFailed: string[];
  /** Remote refs deleted without being planned (a race) that could not be pushed back. */
  unrestored: Stray[];
  remoteError: string | null;
}

export const toDelete = (plan: CleanupPlan) => ({
  backups: plan.backups.filter((b) => !b.keep),
  archives: plan.archives.filter((a) => !a.keep),
});

/**
 * Carries out a plan as a journaled operation (safety snapshot, `started` with every ref and
 * commit to delete, `done`): the remote's refs in one push, the local refs in one
 * transaction that fails whole if any of them moved since planning, then the archive files.
 */
export async function applyCleanup(repo: Repo, plan: CleanupPlan, args: unknown, plannedAt?: string | null): Promise<CleanupResult> {
  const { backups, archives } = toDelete(plan);
  const journalPlan = {
    remote: plan.remote,
    deleteRemote: backups.flatMap((b) => b.remote),
    deleteLocal: backups.flatMap((b) => b.local),
    deleteArchives: archives.map((a) => a.path),
  };
  return journaled(repo, 'cleanup', args, journalPlan, async (begun) => {
    let remoteFailed: string[] = [];
    let remoteError: string | null = null;
    let unrestored: Stray[] = [];
    const seen = new Map(plan.backups.flatMap((b) => b.remote).map((r) => [r.ref, r.commit]));
    const goneRemotely = new Set<string>();
    if (journalPlan.deleteRemote.length > 0) {
      const drop = new Set(journalPlan.deleteRemote.map((r) => r.ref));
      const res = await pruneRemoteRefs(repo, plan.remote, { namespaces: plan.namespaces, seen, drop });
      for (const [ref, ok] of res.refs) (ok ? goneRemotely.add(ref) : remoteFailed.push(ref));
      remoteError = res.error;
      unrestored = res.unrestored;
    }
    crashPoint('cleanup:remote');
    // A remote-tracking ref: git removed it with the remote's branch; one whose branch the remote
    // no longer has is stale and goes; one whose branch the remote still has stays.
    const tracking = `refs/remotes/${plan.remote}/`;
    const trackingHandled = (ref: string) => {
      const remoteRef = `refs/heads/${ref.slice(tracking.length)}`;
      return goneRemotely.has(remoteRef) || plan.remoteSkipped !== null || seen.has(remoteRef);
    };
    const localUpdates: RefUpdate[] = journalPlan.deleteLocal
      .filter((r) => !r.ref.startsWith(tracking) || !trackingHandled(r.ref))
      .map((r) => (r.ref.startsWith(tracking) ? { op: 'delete', ref: r.ref } : { op: 'delete', ref: r.ref, old: r.commit }));
    if (!(await updateRefs(repo, localUpdates, 'reorg-guard cleanup'))) throw new OperationError(msg.cleanupRaced());
    crashPoint('cleanup:local');
    let removed = 0;
    for (const a of archives) {
      const st = await lstat(a.path).catch(() => null);
      if (!st || !(st.isFile() || st.isSymbolicLink())) continue;
      await unlink(a.path);
      removed++;
    }
    return {
      operation: begun.id,
      local: backups.filter((b) => b.local.some((r) => r.ref.startsWith('refs/heads/'))).length,
      remote: backups.filter((b) => b.remote.some((r) => goneRemotely.has(r.ref))).length,
      archives: removed,
      remoteFailed,
      remoteError,
      unrestored,
    };
  }, plannedAt === undefined ? {} : { plannedAt });
}
