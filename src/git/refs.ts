/** Reading and writing refs, batched: one for-each-ref, one update-ref transaction. */
import { git, GitError } from './exec.js';

/** What git says when a ref is taken, locked by another process, or moved meanwhile. */
const REF_RACE = /cannot lock ref|reference already exists|but expected|File exists|unable to create .*\.lock/i;
import type { Repo } from './repo.js';

export interface RefInfo {
  /** Full ref name, e.g. refs/heads/proto-reorg-backup-20250817_101500. */
  ref: string;
  /** Commit the ref points to. */
  commit: string;
  /** Committer time of that commit, seconds since the epoch. */
  time: number;
}

const SEP = '\x1f';

/** Every ref under the given prefixes (e.g. `refs/heads/proto-reorg-backup-`), in one git call. */
export async function listRefs(repo: Repo, prefixes: string[]): Promise<RefInfo[]> {
  if (prefixes.length === 0) return [];
  // for-each-ref patterns match whole path components; a trailing * extends a partial name.
  const patterns = prefixes.map((p) => (p.endsWith('/') ? p : `${p}*`));
  const format = ['%(refname)', '%(objectname)', '%(*objectname)', '%(committerdate:unix)'].join(SEP);
  const { stdout } = await git(repo.top, ['for-each-ref', `--format=${format}`, ...patterns]);
  const refs: RefInfo[] = [];
  for (const line of stdout.split('\n')) {
    if (!line) continue;
    const [ref, obj, peeled, time] = line.split(SEP);
    refs.push({ ref, commit: peeled || obj, time: Number(time) || 0 });
  }
  return refs;
}

export type RefUpdate =
  | { op: 'create'; ref: string; value: string }
  | { op: 'update'; ref: string; value: string; old?: string }
  | { op: 'delete'; ref: string; old?: string };

function line(u: RefUpdate): string {
  switch (u.op) {
    case 'create':
      return `create ${u.ref} ${u.value}`;
    case 'update':
      return `update ${u.ref} ${u.value}${u.old ? ` ${u.old}` : ''}`;
    case 'delete':
      return `delete ${u.ref}${u.old ? ` ${u.old}` : ''}`;
  }
}

/**
 * Applies all updates in one transaction: either every ref changes or none does.
 * Returns false (and changes nothing) when a ref was not in the expected state, e.g. a
 * `create` of a ref that exists or is being created by another process at this moment.
 */
export async function updateRefs(repo: Repo, updates: RefUpdate[], reason = 'reorg-guard'): Promise<boolean> {
  if (updates.length === 0) return true;
  const input = updates.map(line).join('\n') + '\n';
  const { exitCode, stderr } = await git(repo.top, ['update-ref', '--create-reflog', '-m', reason, '--stdin'], {
    input,
    okExitCodes: [128],
  });
  if (exitCode === 0) return true;
  // A ref in the way of the name (`x` exists, `x/y` cannot be created) is no race: no other
  // name with the same prefix would fare better.
  if (REF_RACE.test(stderr) && !/exists; cannot create/.test(stderr)) return false;
  throw new GitError(['update-ref', '--stdin'], exitCode, stderr);
}

/** The commit a revision names, or null when it names none. */
export async function resolveCommit(repo: Repo, rev: string): Promise<string | null> {
  const { stdout, exitCode } = await git(repo.top, ['rev-parse', '-q', '--verify', '--end-of-options', `${rev}^{commit}`], {
    okExitCodes: [1, 128],
  });
  return exitCode === 0 ? stdout.trim() : null;
}
