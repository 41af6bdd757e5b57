/**
 * What retention decides on, read from git and the backup dir in one go: backup refs here and on
 * the remote, which commits this clone has, what unfinished operations refer to, checked-out
 * branches, this repository's archives. The rules themselves are retention.ts.
 */
import type { Config } from '../config.js';
import type { Repo } from '../git/repo.js';
import { checkedOutBranches } from '../git/worktrees.js';
import { objectTypes, refTargets } from '../git/objects.js';
import { hasRemote, lsRemote } from '../git/remote.js';
import { GitError } from '../git/exec.js';
import { operationsByWorktree } from '../state/journal.js';
import { STAMP_PATTERN } from '../util/time.js';
import { escapeRegExp } from '../util/glob.js';
import { msg } from '../messages.js';
import { RECORD_PREFIX, SNAPSHOT_PREFIX, UNPUSHED_PREFIX, backupBranchPrefix, remoteBranchPrefix, remoteRecordPrefix } from '../git/ref-names.js';
import { listArchives } from './list.js';
import { archivePrefix } from './archive.js';
import { decideRetention, type CleanupPlan, type RetentionFacts, type RetentionRules } from './retention.js';

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
  const branch = new RegExp(`${escapeRegExp(config.branchPrefix)}${STAMP_PATTERN}(?![\\d])`, 'g');
  const archive = new RegExp(`${escapeRegExp(archivePrefix(repo))}${STAMP_PATTERN}\\.tar\\.gz`, 'g');
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
    const refs = await lsRemote(repo, config.remote, [`${backupBranchPrefix(config)}*`, `${SNAPSHOT_PREFIX}${config.branchPrefix}*`, `${RECORD_PREFIX}${config.branchPrefix}*`], config.networkTimeout * 1000);
    return { refs, skipped: null };
  } catch (err) {
    if (!(err instanceof GitError)) throw err;
    return { refs: null, skipped: err.message };
  }
}

export async function readRetentionFacts(repo: Repo, config: Config, inUse: Map<string, string>): Promise<RetentionFacts> {
  const [localRefs, remote, referenced, checkedOut, archives] = await Promise.all([
    refTargets(repo, [
      backupBranchPrefix(config), remoteBranchPrefix(config), `${SNAPSHOT_PREFIX}${config.branchPrefix}`, `${UNPUSHED_PREFIX}${config.branchPrefix}`,
      // a backup's record goes with it
      `${RECORD_PREFIX}${config.branchPrefix}`, `${remoteRecordPrefix(config)}${config.branchPrefix}`,
    ]),
    remoteBackupRefs(repo, config),
    referencedByUnfinished(repo, config),
    checkedOutBranches(repo),
    listArchives(repo, config),
  ]);
  // A backup only the remote has, whose commit this clone lacks: deleting it could not be undone here.
  const present = await objectTypes(repo, [...(remote.refs?.values() ?? [])]);
  return {
    branchPrefix: config.branchPrefix,
    remote: config.remote,
    localRefs,
    remoteRefs: remote.refs,
    remoteSkipped: remote.skipped,
    present: new Map([...present].map(([c, t]) => [c, Boolean(t)])),
    referenced,
    inUse,
    checkedOut,
    archives,
  };
}

/**
 * Decides, without changing anything, what cleanup would delete and why each backup stays.
 * `inUse`: backups the caller knows to be in use (the branch's baseline), never deleted.
 */
export async function planCleanup(repo: Repo, config: Config, rules: RetentionRules, inUse = new Map<string, string>()): Promise<CleanupPlan> {
  return decideRetention(await readRetentionFacts(repo, config, inUse), rules);
}
