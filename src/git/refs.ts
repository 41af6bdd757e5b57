/** Reading and writing refs, batched: one for-each-ref, one update-ref transaction. */
import { git, GitError } from './exec.js';
import { startGitSession, type GitSession } from './spawn.js';

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
  /** The commit's message and its parents, when asked for (`messages: true`). */
  message?: string;
  parents?: string[];
}

const SEP = '\x1f';

// for-each-ref patterns match whole path components; a trailing * extends a partial name.
const refPatterns = (prefixes: string[]) => prefixes.map((p) => (p.endsWith('/') ? p : `${p}*`));

/**
 * Every ref under the given prefixes (e.g. `refs/heads/proto-reorg-backup-`), in one git call;
 * with `messages`, each commit's message too (records then end in NUL: a message holds newlines).
 */
export async function listRefs(repo: Repo, prefixes: string[], opts: { messages?: boolean } = {}): Promise<RefInfo[]> {
  if (prefixes.length === 0) return [];
  const fields = ['%(refname)', '%(objectname)', '%(*objectname)', '%(committerdate:unix)', ...(opts.messages ? ['%(parent)', '%(contents)%00'] : [])];
  const { stdout } = await git(repo, ['for-each-ref', `--format=${fields.join(SEP)}`, ...refPatterns(prefixes)]);
  const refs: RefInfo[] = [];
  for (const record of stdout.split(opts.messages ? '\0\n' : '\n')) {
    if (!record) continue;
    const [ref, obj, peeled, time, parents, ...message] = record.split(SEP);
    const info: RefInfo = { ref, commit: peeled || obj, time: Number(time) || 0 };
    if (opts.messages) Object.assign(info, { parents: parents ? parents.split(' ') : [], message: message.join(SEP) });
    refs.push(info);
  }
  return refs;
}

/** The refs under the prefixes whose commit is in the history of `rev` (one for-each-ref --merged). */
export async function refsMergedInto(repo: Repo, prefixes: string[], rev: string): Promise<Set<string>> {
  if (prefixes.length === 0) return new Set();
  const { stdout } = await git(repo, ['for-each-ref', '--format=%(refname)', `--merged=${rev}`, ...refPatterns(prefixes)]);
  return new Set(stdout.split('\n').filter(Boolean));
}

export type RefUpdate =
  | { op: 'create'; ref: string; value: string }
  | { op: 'update'; ref: string; value: string; old?: string }
  | { op: 'delete'; ref: string; old?: string }
  /** Holds the transaction to `ref` being at `old` (all zeros: absent). */
  | { op: 'verify'; ref: string; old: string };

function line(u: RefUpdate): string {
  switch (u.op) {
    case 'create':
      return `create ${u.ref} ${u.value}`;
    case 'update':
      return `update ${u.ref} ${u.value}${u.old ? ` ${u.old}` : ''}`;
    case 'delete':
      return `delete ${u.ref}${u.old ? ` ${u.old}` : ''}`;
    case 'verify':
      return `verify ${u.ref} ${u.old}`;
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
  const { exitCode, stderr } = await git(repo, ['update-ref', '--create-reflog', '-m', reason, '--stdin'], {
    input,
    okExitCodes: [128],
  });
  if (exitCode === 0) return true;
  return refused(exitCode, stderr);
}

/** updateRefs' answer from a failed `update-ref`: false for a ref in another state than expected. */
function refused(exitCode: number, stderr: string): false {
  // A ref in the way of the name (`x` exists, `x/y` cannot be created) is no race: no other
  // name with the same prefix would fare better.
  if (REF_RACE.test(stderr) && !/exists; cannot create/.test(stderr)) return false;
  throw new GitError(['update-ref', '--stdin'], exitCode, stderr);
}

/** Transactions of one operation through one git process (openRefSession). */
export interface RefSession {
  /** As updateRefs: every ref changes or none does; false when a ref was not in the expected state. */
  update(updates: RefUpdate[]): Promise<boolean>;
  /** Ends the git process (nothing is left open: each update was committed or refused). */
  close(): Promise<void>;
}

/**
 * One `git update-ref --stdin` for the ref transactions of an operation (its safety ref, then
 * the branch and HEAD it moves), started at the first: one git process where each was one.
 * Each update is a transaction of its own (start, prepare, commit), done when git says so;
 * the reflog gives each the session's `reason`. A refused transaction ends git's process
 * (nothing of it was applied): updates after it start their own.
 */
export function openRefSession(repo: Repo, reason: string): RefSession {
  let session: GitSession | null = null;
  let dead = false;
  return {
    async update(updates) {
      if (updates.length === 0) return true;
      if (dead) return updateRefs(repo, updates, reason);
      session ??= startGitSession(repo.top, ['update-ref', '--create-reflog', '-m', reason, '--stdin']);
      session.write(`start\n${updates.map(line).join('\n')}\nprepare\ncommit\n`);
      for (let l = await session.line(); l !== null; l = await session.line()) if (l === 'commit: ok') return true;
      dead = true;
      const { exitCode, stderr } = await session.end();
      return refused(exitCode || 128, stderr);
    },
    async close() {
      if (session && !dead) await session.end();
      dead = true;
    },
  };
}

/** The commit a revision names, or null when it names none. */
export async function resolveCommit(repo: Repo, rev: string): Promise<string | null> {
  const { stdout, exitCode } = await git(repo, ['rev-parse', '-q', '--verify', '--end-of-options', `${rev}^{commit}`], {
    okExitCodes: [1, 128],
  });
  return exitCode === 0 ? stdout.trim() : null;
}
