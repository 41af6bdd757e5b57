/** Which backup a rollback or a verification compares with: the newest, or the one named. */
import type { Config } from '../config.js';
import type { Repo } from '../git/repo.js';
import { hasRemote } from '../git/remote.js';
import { fetchRefs } from '../git/fetch.js';
import { resolveCommit } from '../git/refs.js';
import { commitInfo } from '../git/tree.js';
import { listBackups } from '../backup/list.js';
import { backupBranchPrefix, remoteBranchPrefix } from '../backup/refs.js';
import { ReorgGuardError, UsageError } from '../errors.js';
import { checkName } from '../util/validate.js';
import { msg } from '../messages.js';
import type { TargetState } from './restore-snapshot.js';
import { snapshotState } from './restore-snapshot.js';

export interface BackupTarget {
  name: string;
  /** The backup branch's commit. */
  commit: string;
  /** Its snapshot of uncommitted work, when it has one. */
  snapshot: string | null;
  /** The whole state at backup time: the snapshot's tree, else the commit's. */
  tree: string;
}

export interface FindOptions {
  /** A backup name (`--to` / `--against`); the newest when absent. */
  name?: string;
  /** Fetch the remote's backup branches first (a warning, not a failure, when it cannot). */
  fetch?: boolean;
  warn?: (line: string) => void;
  /** The command's option that names a backup, for messages (default `--to`). */
  option?: '--to' | '--against';
}

export async function findBackup(repo: Repo, config: Config, opts: FindOptions = {}): Promise<BackupTarget> {
  if (opts.name !== undefined) checkName('backup', opts.name);
  if (opts.fetch && (await hasRemote(repo, config.remote))) {
    const spec = `+${backupBranchPrefix(config)}*:${remoteBranchPrefix(config)}*`;
    const why = await fetchRefs(repo, config.remote, [spec], config.networkTimeout * 1000);
    if (why) opts.warn?.(msg.fetchFailed(config.remote, why));
  }
  const backups = await listBackups(repo, config);
  const wanted = opts.name?.replace(/^refs\/heads\//, '');
  const b = wanted === undefined ? backups[0] : backups.find((x) => x.name === wanted);
  if (!b) {
    if (wanted !== undefined) throw new UsageError(msg.unknownBackup(wanted));
    throw new ReorgGuardError(msg.noBackupToUse(opts.option));
  }
  const snapshot = b.snapshot ? await resolveCommit(repo, b.snapshot) : null;
  const tree = (await commitInfo(repo, snapshot ?? b.commit)).tree;
  return { name: b.name, commit: b.commit, snapshot, tree };
}

/** The state a backup holds: its commit at HEAD, its snapshot (or commit) as index and work tree. */
export async function backupState(repo: Repo, b: BackupTarget, branch: string | null): Promise<TargetState> {
  if (b.snapshot) return snapshotState(repo, b.snapshot, b.commit, branch, b.name);
  return { tree: b.tree, indexTree: b.tree, head: b.commit, branch, from: b.name };
}
