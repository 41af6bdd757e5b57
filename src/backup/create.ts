/**
 * A whole backup: a branch at HEAD (created atomically, never switching branches), a snapshot
 * of the uncommitted state, and a push of the branch to the remote.
 */
import type { Config } from '../config.js';
import { requireHead, currentBranch, type HeadState, type Repo } from '../git/repo.js';
import { commitRecord, takeSnapshot } from '../git/snapshot.js';
import { listRefs, updateRefs, type RefUpdate } from '../git/refs.js';
import { stamp } from '../util/time.js';
import { branchRef, recordRef, snapshotRef, trackingPrefix, unpushedRef } from '../git/ref-names.js';
import { formatRecord, type BackupRecord } from './record.js';
import { msg } from '../messages.js';

export interface BackupResult {
  branch: string;
  commit: string;
  /** Snapshot ref, or null when nothing was uncommitted. */
  snapshot: string | null;
  pushed: boolean;
  /** Why the push did not happen, when it did not. */
  pushError: string | null;
  /** Untracked nested repositories the snapshot could not hold. */
  nestedRepos: string[];
  /** What took it, why, on which branch (kept under refs/reorg-guard/records/). */
  record: BackupRecord;
  /** Submodules whose own work (modified or untracked files inside) the snapshot does not hold. */
  dirtySubmodules: string[];
}

export interface BackupOptions {
  /** Its reason, or the subject of the commit a hook acted on. */
  reason?: string;
  /** What took it: 'backup' (default), 'post-commit', 'post-checkout', 'pre-rebase', 'run', 'recover', ... */
  trigger?: string;
  /**
   * The branch it is taken on (refs/heads/x). Default: the checked-out one, or with `at`, the
   * one of `head` when given, else none recorded (its history then says where it belongs).
   */
  branch?: string | null;
  /** Pin it as the baseline that verify and rollback compare with (until a newer pin). */
  pinBaseline?: boolean;
  push?: boolean;
  date?: Date;
  /** Back up this commit instead of HEAD: a branch only, no snapshot (the work tree is not its). */
  at?: string;
  /** HEAD as the caller knows it already (one git call less). */
  head?: HeadState;
}

/**
 * Tries `<prefix><stamp>`, then `-2`, `-3`, ... until a name is free; many processes may race.
 * Backup names are shared by every clone that pushes to the remote: a name this clone knows the
 * remote has (its remote-tracking branch exists), or `taken` (the remote refused it), is not free
 * either. The tracking branch's absence is verified in the same transaction that creates the name.
 */
async function createUniquely(
  repo: Repo,
  config: Config,
  base: string,
  refsFor: (name: string) => RefUpdate[],
  reason: string,
  absent: string,
  taken: Set<string> = new Set(),
): Promise<string> {
  for (let n = 1; n <= 10_000; n++) {
    const name = n === 1 ? base : `${base}-${n}`;
    if (taken.has(name)) continue;
    const notOnRemote: RefUpdate = { op: 'verify', ref: `${trackingPrefix(config.remote)}${name}`, old: absent };
    if (await updateRefs(repo, [...refsFor(name), notOnRemote], reason)) return name;
  }
  throw new Error(msg.noFreeName(base));
}

export async function createBackup(repo: Repo, config: Config, opts: BackupOptions = {}): Promise<BackupResult> {
  const reason = opts.reason?.trim() || 'manual backup';
  const [head, branch] = opts.at
    ? [opts.at, null]
    : opts.head
      ? [opts.head.commit, opts.head.branch]
      : await Promise.all([requireHead(repo), currentBranch(repo)]);
  const snapOpts = { message: `reorg-guard snapshot: ${reason}`, head, branch, hiddenWork: true };
  const record: BackupRecord = {
    trigger: opts.trigger?.trim() || 'backup',
    reason,
    branch: opts.branch !== undefined ? opts.branch : opts.at ? (opts.head?.branch ?? null) : (branch ?? 'detached'),
    time: (opts.date ?? new Date()).toISOString(),
    pinned: opts.pinBaseline === true,
  };
  // The record commit does not wait for the snapshot (a hook waits for both).
  const [snap, recordCommit] = await Promise.all([
    opts.at ? null : takeSnapshot(repo, snapOpts),
    commitRecord(repo, head, formatRecord(record)),
  ]);
  const keepSnapshot = snap !== null && !snap.clean;
  const push = opts.push ?? config.push;

  const base = `${config.branchPrefix}${stamp(opts.date)}`;
  const refsFor = (n: string): RefUpdate[] => [
      { op: 'create', ref: branchRef(n), value: head },
      // update, not create: a record left by a backup of this name that was deleted is replaced
      { op: 'update', ref: recordRef(n), value: recordCommit },
      ...(keepSnapshot ? [{ op: 'create', ref: snapshotRef(n), value: snap!.commit } as RefUpdate] : []),
      // Recorded as unpushed in the same transaction, also when a push follows: a push that
      // hangs, or a process killed while pushing, leaves a backup that 'push' and 'recover' find.
      // The push removes the record once the remote has the branch.
      { op: 'update', ref: unpushedRef(n), value: head } as RefUpdate,
    ];
  const absent = '0'.repeat(recordCommit.length); // the zero id of this repository's object format
  let name = await createUniquely(repo, config, base, refsFor, `reorg-guard backup: ${reason}`, absent);

  const result: BackupResult = {
    branch: name,
    commit: head,
    snapshot: keepSnapshot ? snapshotRef(name) : null,
    pushed: false,
    pushError: null,
    nestedRepos: snap?.nestedRepos ?? [],
    record,
    dirtySubmodules: snap?.dirtySubmodules ?? [],
  };
  if (push) {
    let pushed = await pushBackups(repo, config, [name], keepSnapshot ? [name] : [], { recorded: true, records: [name] });
    // Another clone pushed a backup of this name (the same second) that this clone had not
    // fetched: nobody has seen this name yet, so the backup takes the next free one and pushes again.
    const taken = new Set<string>();
    for (let tries = 0; pushed.taken.includes(name) && tries < 5; tries++) {
      taken.add(name);
      const old = name;
      const drop: RefUpdate[] = refsFor(old).map((u) => ({ op: 'delete', ref: u.ref }));
      name = await createUniquely(repo, config, base, (n) => [...refsFor(n), ...drop], `reorg-guard backup: ${reason} (${old} is taken on the remote)`, absent, taken);
      pushed = await pushBackups(repo, config, [name], keepSnapshot ? [name] : [], { recorded: true, records: [name] });
    }
    Object.assign(result, { branch: name, snapshot: keepSnapshot ? snapshotRef(name) : null });
    result.pushed = pushed.pushed.includes(name);
    result.pushError = pushed.error;
  } else result.pushError = msg.pushDisabled();
  return result;
}

export interface PushBackupsResult {
  pushed: string[];
  failed: string[];
  error: string | null;
  /** Failed because the remote holds another backup (another clone's) under the same name. */
  taken: string[];
}

/**
 * Pushes backup branches (their records, and, when configured, their snapshots) in one push. Branches that
 * could not be pushed are recorded under refs/reorg-guard/unpushed/ so a later run can push
 * them; pushed ones lose that record. `recorded`: every name is recorded already (a backup made
 * just now records itself before its push), so a failure costs no ref update.
 */
export async function pushBackups(
  repo: Repo,
  config: Config,
  names: string[],
  snapshotNames: string[] = [],
  opts: { recorded?: boolean; records?: string[] } = {},
): Promise<PushBackupsResult> {
  let error: string | null = null;
  let refs = new Map<string, boolean>();
  let takenRefs = new Set<string>();
  const { hasRemote, pushRefs } = await import('../git/remote.js'); // not loaded by a hook that does not push
  if (!(await hasRemote(repo, config.remote))) {
    error = msg.noRemote(config.remote);
  } else {
    const specs = names.map((n) => `${branchRef(n)}:${branchRef(n)}`);
    if (config.pushSnapshots) specs.push(...snapshotNames.map((n) => `${snapshotRef(n)}:${snapshotRef(n)}`));
    // Each backup's record goes in the same push (only those that have one: older backups do not).
    specs.push(...(opts.records ?? []).filter((n) => names.includes(n)).map((n) => `${recordRef(n)}:${recordRef(n)}`));
    const res = await pushRefs(repo, config.remote, specs, config.networkTimeout * 1000, { createOnly: true });
    refs = res.refs;
    error = res.error;
    takenRefs = res.taken;
  }
  const pushed = names.filter((n) => refs.get(branchRef(n)) === true);
  const failed = names.filter((n) => refs.get(branchRef(n)) !== true);
  await updateRefs(repo, [
    ...pushed.map((n) => ({ op: 'delete', ref: unpushedRef(n) }) as RefUpdate),
    ...(opts.recorded ? [] : failed.map((n) => ({ op: 'update', ref: unpushedRef(n), value: branchRef(n) }) as RefUpdate)),
  ]);
  const taken = failed.filter((n) => takenRefs.has(branchRef(n)));
  if (taken.length) error = msg.pushNameTaken(taken, config.remote);
  return { pushed, failed, error: failed.length ? error ?? msg.pushRejected() : null, taken };
}

/**
 * pushBackups, and then each backup the remote refused because another clone pushed one of the
 * same name (taken by a hook in the same second: a hook never asks the remote) takes the next
 * free name and is pushed again: its branch, record, snapshot and unpushed record move in one
 * transaction, each only while it is as read. Without this, such a backup stayed unpushed for
 * ever, and 'push' failed on it every time. `renamed`: old name -> new name.
 */
export async function pushBackupsRenamingTaken(
  repo: Repo,
  config: Config,
  names: string[],
  snapshotNames: string[] = [],
  opts: { records?: string[] } = {},
): Promise<PushBackupsResult & { renamed: Array<[string, string]> }> {
  let res = await pushBackups(repo, config, names, snapshotNames, opts);
  const pushed = [...res.pushed];
  const renamed: Array<[string, string]> = [];
  const taken = new Set<string>();
  const kinds = [branchRef, recordRef, snapshotRef, unpushedRef];
  /** A name as it is now, after the renames so far. */
  const now = (n: string): string => {
    for (let hop = renamed.find(([o]) => o === n); hop; hop = renamed.find(([o]) => o === n)) n = hop[1];
    return n;
  };
  for (let tries = 0; res.taken.length && tries < 5; tries++) {
    const again: string[] = [];
    const all = await listRefs(repo, res.taken.flatMap((n) => kinds.map((k) => k(n))));
    const at = new Map(all.map((r) => [r.ref, r.commit]));
    for (const old of res.taken) {
      taken.add(old);
      const own = kinds.filter((k) => at.has(k(old)));
      if (!at.has(branchRef(old))) continue;
      const absent = '0'.repeat(at.get(branchRef(old))!.length);
      const drop: RefUpdate[] = own.map((k) => ({ op: 'delete', ref: k(old), old: at.get(k(old)) }));
      const moveTo = (n: string): RefUpdate[] => [...own.map((k) => ({ op: 'create', ref: k(n), value: at.get(k(old))! }) as RefUpdate), ...drop];
      const name = await createUniquely(repo, config, old.replace(/-\d+$/, ''), moveTo, `reorg-guard push: ${old} is taken on the remote`, absent, taken);
      renamed.push([old, name]);
      again.push(name);
    }
    if (again.length === 0) break;
    res = await pushBackups(repo, config, again, snapshotNames.map(now).filter((n) => again.includes(n)), {
      records: (opts.records ?? []).map(now).filter((n) => again.includes(n)),
    });
    pushed.push(...res.pushed);
  }
  const failed = names.map(now).filter((n) => !pushed.includes(n));
  return { pushed, failed, error: failed.length ? res.error : null, taken: res.taken, renamed };
}
