/**
 * Retention rules: which backups (branches local and on the remote, their snapshots, archives of
 * this repository) are kept and which go, and why. A pure function of what retention-facts.ts
 * read: no git, no file system, so every rule is tested on its own. A backup is kept when any
 * rule keeps it; the newest one, a checked-out one, one that moved since the backup, one only
 * the remote has, and any that an unfinished operation refers to are never deleted.
 */
import type { PruneNamespace } from '../git/prune-remote.js';
import { parseBackupStamp } from '../util/time.js';
import { msg } from '../messages.js';
import { RECORD_PREFIX, SNAPSHOT_PREFIX, UNPUSHED_PREFIX, branchRef, remoteRecordPrefix, HEADS, trackingPrefix, backupBranchPrefix, remoteBranchPrefix } from '../git/ref-names.js';
import { byNewest, type ArchiveInfo } from './list.js';

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

/** What the rules look at, as retention-facts.ts reads it from git and the backup dir. */
export interface RetentionFacts {
  branchPrefix: string;
  remote: string;
  /** Backup refs in this clone (branches, remote-tracking, snapshots, unpushed records) -> commit. */
  localRefs: Map<string, string>;
  /** Backup refs on the remote -> commit; null when the remote was not listed. */
  remoteRefs: Map<string, string> | null;
  /** Why the remote was not listed. */
  remoteSkipped: string | null;
  /** Commits of `remoteRefs` -> whether this clone has them. */
  present: Map<string, boolean>;
  /** Backup and archive names an unfinished operation refers to -> the reason to keep them. */
  referenced: Map<string, string>;
  /** Backups verify and rollback use now (the baseline, the last rollback's target) -> why. */
  inUse: Map<string, string>;
  /** Branches checked out in a work tree (refs/heads/...). */
  checkedOut: Set<string>;
  /** This repository's archives, newest first. */
  archives: ArchiveInfo[];
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

/** Decides what cleanup would delete and why each backup stays. */
export function decideRetention(facts: RetentionFacts, rules: RetentionRules): CleanupPlan {
  const { branchPrefix, remote, localRefs, referenced, checkedOut, archives, present } = facts;
  const now = (rules.now ?? new Date()).getTime();
  const tracking = trackingPrefix(remote);
  const backups = new Map<string, BackupDecision>();
  const get = (name: string) => {
    let b = backups.get(name);
    if (!b) backups.set(name, (b = { name, keep: false, reasons: [], local: [], remote: [] }));
    return b;
  };
  for (const [ref, commit] of localRefs) {
    // (a backup's record goes with it: RECORD_PREFIX, and the remote's as fetched)
    const prefix = [HEADS, tracking, SNAPSHOT_PREFIX, UNPUSHED_PREFIX, RECORD_PREFIX, remoteRecordPrefix({ remote })].find((p) => ref.startsWith(p))!;
    get(ref.slice(prefix.length)).local.push({ ref, commit });
  }
  for (const [ref, commit] of facts.remoteRefs ?? []) {
    const prefix = [SNAPSHOT_PREFIX, RECORD_PREFIX].find((p) => ref.startsWith(p)) ?? HEADS;
    get(ref.slice(prefix.length)).remote.push({ ref, commit });
  }

  const order = byNewest(branchPrefix);
  const sorted = [...backups.values()].sort((a, b) => order(a.name, b.name));
  const within = (date: Date | null) => rules.keepWithinMs !== null && date !== null && now - date.getTime() < rules.keepWithinMs;
  sorted.forEach((b, i) => {
    const date = parseBackupStamp(b.name.slice(branchPrefix.length));
    if (i === 0) b.reasons.push(msg.keepNewest('backup'));
    if (i < rules.keepBranches) b.reasons.push(msg.keepAmongNewest(rules.keepBranches));
    if (within(date)) b.reasons.push(msg.keepWithin(rules.keepWithinText!));
    if (!date) b.reasons.push(msg.keepNoStamp());
    if (checkedOut.has(branchRef(b.name))) b.reasons.push(msg.keepCheckedOut());
    if (facts.inUse.has(b.name)) b.reasons.push(facts.inUse.get(b.name)!);
    if (referenced.has(b.name)) b.reasons.push(referenced.get(b.name)!);
    if (movedSinceBackup(b, tracking)) b.reasons.push(msg.keepMoved());
    // (a record is left out: a plain git fetch does not bring it, and it holds no work)
    if (b.remote.some((r) => !r.ref.startsWith(RECORD_PREFIX) && !present.get(r.commit))) b.reasons.push(msg.keepNotInClone(remote));
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
    { remotePrefix: backupBranchPrefix({ branchPrefix }), leasePrefix: remoteBranchPrefix({ remote, branchPrefix }) },
    { remotePrefix: `${SNAPSHOT_PREFIX}${branchPrefix}` },
    { remotePrefix: `${RECORD_PREFIX}${branchPrefix}` },
  ];
  return { remote, namespaces, remoteSkipped: facts.remoteSkipped, backups: sorted, archives: archiveDecisions };
}

export const toDelete = (plan: CleanupPlan) => ({
  backups: plan.backups.filter((b) => !b.keep),
  archives: plan.archives.filter((a) => !a.keep),
});

