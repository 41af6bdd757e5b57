/**
 * Which backup a rollback or a verification compares with, and why: the one named (a backup,
 * or any commit-ish: `origin/main`, a tag, a SHA), the backup the last `rollback full` went to
 * (for the checks and rollbacks that follow one), or the branch's baseline (baseline.ts).
 */
import type { Config } from '../config.js';
import { currentBranch, headCommit, type HeadNow, type Repo } from '../git/repo.js';
import { GitError } from '../git/exec.js';
import { hasRemote } from '../git/remote.js';
import { fetchRefs } from '../git/fetch.js';
import { resolveCommit } from '../git/refs.js';
import { commitInfo, revWithParents } from '../git/tree.js';
import { listBackups, type BackupInfo } from '../backup/list.js';
import { backupBranchPrefix, remoteBranchPrefix, remoteRecordPrefix, RECORD_PREFIX } from '../git/ref-names.js';
import type { BackupRecord } from '../backup/record.js';
import { listOperations } from '../state/journal.js';
import type { RolledBackTo } from '../state/journal-entries.js';
import { ReorgGuardError, UsageError } from '../errors.js';
import { checkName } from '../util/validate.js';
import { msg } from '../messages.js';
import type { TargetState } from './restore-snapshot.js';
import { snapshotState } from './restore-snapshot.js';
import { backupsOfBranch, chooseBaseline } from './baseline.js';

/** How the target was chosen. */
export type Choice = 'named' | 'commit' | 'pinned' | 'before-migration' | 'commit-before-migration' | 'newest' | 'rolled-back-to';

export interface BackupTarget {
  /** The backup's name (or, for a commit-ish, what was given). */
  name: string;
  /** The backup branch's commit. */
  commit: string;
  /** Its snapshot of uncommitted work, when it has one. */
  snapshot: string | null;
  /** The whole state at backup time: the snapshot's tree, else the commit's. */
  tree: string;
  /** What took it, why, on which branch; null for a commit-ish or a backup without a record. */
  record?: BackupRecord | null;
  choice?: Choice;
  /** The choice in words, for the one line every command prints. */
  why?: string;
}

export interface FindOptions {
  /** A backup name or a commit-ish (`--to` / `--against`); the baseline when absent. */
  name?: string;
  /** Fetch the remote's backup branches (and their records) first (a warning, not a failure, when it cannot). */
  fetch?: boolean;
  /** After a `rollback full`: the backup it went to, rather than the baseline. */
  afterRollback?: boolean;
  warn?: (line: string) => void;
  /** The command's option that names a backup, for messages (default `--to`). */
  option?: '--to' | '--against';
  /** HEAD and the branch as just read (openWorkspace's `head`): not read again. */
  head?: HeadNow;
}

export async function findBackup(repo: Repo, config: Config, opts: FindOptions = {}): Promise<BackupTarget> {
  if (opts.name !== undefined) checkName('backup', opts.name);
  if (opts.fetch && (await hasRemote(repo, config.remote))) {
    const specs = [
      `+${backupBranchPrefix(config)}*:${remoteBranchPrefix(config)}*`,
      `+${RECORD_PREFIX}${config.branchPrefix}*:${remoteRecordPrefix(config)}${config.branchPrefix}*`,
    ];
    const why = await fetchRefs(repo, config.remote, specs, config.networkTimeout * 1000);
    if (why) opts.warn?.(msg.fetchFailed(config.remote, why));
  }
  // the branch and HEAD are read while the backups are listed (no git waits for another)
  const where = opts.name !== undefined ? null : opts.head ? Promise.resolve([opts.head.branch, opts.head.commit] as const) : Promise.all([currentBranch(repo), headCommit(repo)]);
  where?.catch(() => {}); // a failure is met below, where it is awaited
  const backups = await listBackups(repo, config);
  if (opts.name !== undefined) return named(repo, backups, opts.name);

  const [branch, head] = await where!;
  if (opts.afterRollback) {
    const to = await rolledBackTo(repo, branch);
    const b = to && backups.find((x) => x.name === to.backup && x.commit === to.commit);
    if (b) return target(repo, b, 'rolled-back-to', msg.whyRolledBackTo());
    // a commit-ish it went to (--to origin/main), or a backup deleted since: its commit
    const commit = to && !b ? await resolveCommit(repo, to.commit) : null;
    if (to && commit) return { name: to.backup, commit, snapshot: null, tree: (await commitInfo(repo, commit)).tree, record: null, choice: 'rolled-back-to', why: msg.whyRolledBackTo() };
  }
  const mine = await backupsOfBranch(repo, config, backups, branch, head);
  const base = await chooseBaseline(repo, config, mine, head);
  if (!base) {
    throw new ReorgGuardError(backups.length ? msg.noBackupOfBranch(branch, backups.length) : msg.noBackupToUse(opts.option));
  }
  if (base.why === 'newest') opts.warn?.(msg.noBaselineBeforeMigration(config.newRoot, base.backup.name));
  const why = base.why === 'pinned' ? msg.whyPinned()
    : base.why === 'before-migration' ? msg.whyBeforeMigration(config.newRoot, base.changed)
    : base.why === 'commit-before-migration' ? msg.whyCommitBeforeMigration(config.newRoot)
    : msg.whyNewest();
  return target(repo, base.backup, base.why, why);
}

/**
 * The backups verify and rollback use on this branch now, by name -> why: its baseline (pinned,
 * or the last state before the migration) and the one the last `rollback full` went to.
 * Cleanup keeps them: deleting them would make the next rollback go somewhere else.
 */
export async function backupsInUse(repo: Repo, config: Config): Promise<Map<string, string>> {
  const [backups, branch, head] = await Promise.all([listBackups(repo, config), currentBranch(repo), headCommit(repo)]);
  const inUse = new Map<string, string>();
  const base = await chooseBaseline(repo, config, await backupsOfBranch(repo, config, backups, branch, head), head);
  if (base && base.why !== 'newest') inUse.set(base.backup.name, msg.keepBaseline(base.why === 'pinned'));
  const to = await rolledBackTo(repo, branch);
  if (to && backups.some((b) => b.name === to.backup)) inUse.set(to.backup, msg.keepRolledBackTo());
  return inUse;
}

/** A backup by name, else any commit-ish; neither: one line, exit 2. */
async function named(repo: Repo, backups: BackupInfo[], name: string): Promise<BackupTarget> {
  const wanted = name.replace(/^refs\/heads\//, '');
  const b = backups.find((x) => x.name === wanted);
  if (b) return target(repo, b, 'named', msg.whyNamed());
  const commit = await resolveCommit(repo, name);
  if (!commit) throw new UsageError(msg.unknownBackup(name));
  const { tree } = await commitInfo(repo, commit);
  return { name, commit, snapshot: null, tree, record: null, choice: 'commit', why: msg.whyCommit() };
}

async function target(repo: Repo, b: BackupInfo, choice: Choice, why: string): Promise<BackupTarget> {
  if (b.snapshot) {
    // the snapshot, its parents and the backup's commit in one git call: what backupState reads
    // again comes from what this read (commits never change); a damaged snapshot fails it
    // (read already when the baseline was chosen: baseline.ts)
    const [snap] = await revWithParents(repo, `${b.snapshot}^{commit}`, [b.commit]).catch((err) => {
      if (err instanceof GitError) return [];
      throw err;
    });
    if (snap) return { name: b.name, commit: b.commit, snapshot: snap.id, tree: snap.tree, record: b.record, choice, why };
  }
  const snapshot = b.snapshot ? await resolveCommit(repo, b.snapshot) : null;
  const tree = (await commitInfo(repo, snapshot ?? b.commit)).tree;
  return { name: b.name, commit: b.commit, snapshot, tree, record: b.record, choice, why };
}

/**
 * Where the newest `rollback full` on this branch that is still in effect went (an undone one
 * is not, a redone one is again), or null.
 */
export async function rolledBackTo(repo: Repo, branch: string | null): Promise<RolledBackTo | null> {
  const undone = new Set<string>();
  for (const op of await listOperations(repo)) {
    if (op.status !== 'done' || undone.has(op.id)) continue;
    if (op.op === 'undo' && op.args?.operation) undone.add(op.args.operation);
    else if (op.op === 'rollback-full' && op.args?.target && op.safety?.branch === branch) return op.args.target;
  }
  return null;
}

/** One line: which backup, what took it, and why this one. */
export function describeTarget(t: BackupTarget): string {
  return msg.usingBackup(t.name, t.commit, t.record?.trigger ?? null, t.record?.reason ?? null, t.why ?? '');
}

/** The same for --json. */
export function targetData(t: BackupTarget) {
  return {
    name: t.name,
    commit: t.commit,
    snapshot: t.snapshot,
    trigger: t.record?.trigger ?? null,
    reason: t.record?.reason ?? null,
    takenOn: t.record?.branch ?? null,
    choice: t.choice ?? 'named',
    why: t.why ?? '',
  };
}

/** The state a backup holds: its commit at HEAD, its snapshot (or commit) as index and work tree. */
export async function backupState(repo: Repo, b: BackupTarget, branch: string | null): Promise<TargetState> {
  if (b.snapshot) return snapshotState(repo, b.snapshot, b.commit, branch, b.name);
  return { tree: b.tree, indexTree: b.tree, head: b.commit, branch, from: b.name };
}
