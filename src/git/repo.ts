/** Finds the repository a command runs in, from any folder inside its work tree. */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { git, gitOut, GitError } from './exec.js';
import type { Door, GitAt } from './types.js';
import { NotARepoError, ReorgGuardError, UsageError } from '../errors.js';
import { msg } from '../messages.js';

export interface Repo extends GitAt {
  /** Top of the work tree. */
  top: string;
  /** How git is started for this repository: chosen by whoever opened it (`openRepo`), default simple-git. */
  door?: Door;
  /** This work tree's git dir (differs from commonDir in a linked worktree). */
  gitDir: string;
  /** The shared git dir: refs, objects and reorg-guard's own state live here. */
  commonDir: string;
  /** The index git uses now (honours GIT_INDEX_FILE, e.g. inside a pre-commit hook). */
  indexFile: string;
  /** The hooks directory git runs hooks from (honours core.hooksPath), absolute. */
  hooksDir: string;
}

/** Top, git dir, common dir, index and hooks directory, in this order, from one rev-parse. */
const REPO_ARGS = ['rev-parse', '--path-format=absolute', '--show-toplevel', '--absolute-git-dir', '--git-common-dir', '--git-path', 'index', '--git-path', 'hooks'];
const REPO_LINES = 5;

function repoFrom([top, gitDir, commonDir, indexFile, hooksDir]: string[], dir: string, door: Door | undefined): Repo {
  if (!top) throw new UsageError(msg.bareRepo(dir));
  return { top, gitDir, commonDir, indexFile: path.resolve(top, indexFile), hooksDir: path.resolve(top, hooksDir), ...(door ? { door } : {}) };
}

/** The repository whose work tree holds `dir`; its git calls go through `door` (default simple-git). */
export async function openRepo(dir: string, door?: Door): Promise<Repo> {
  let out: string;
  try {
    out = await gitOut({ top: dir, door }, REPO_ARGS);
  } catch (err) {
    if (err instanceof GitError) {
      if (/not a git repository/i.test(err.message)) throw new NotARepoError(msg.notARepo(dir));
      if (/must be run in a work tree|bare repository/i.test(err.message)) throw new UsageError(msg.bareRepo(dir));
    }
    // simple-git says so; node's spawn (the fast door) says only ENOENT, as for a missing git
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || /Cannot use simple-git on a directory that does not exist/.test(String(err)) || !existsSync(dir)) {
      throw new UsageError(msg.noSuchDir(dir));
    }
    throw err;
  }
  return repoFrom(out.split('\n'), dir, door);
}

/** HEAD as a hook needs it. */
export interface HeadState {
  commit: string;
  tree: string;
  /** refs/heads/x, or null on a detached HEAD. */
  branch: string | null;
}

/**
 * openRepo and HEAD (commit, tree, branch) in one git call, for the hooks, where every git
 * process is waited for. `head` is null in a repository without commits.
 */
export async function openRepoAtHead(dir: string, door?: Door): Promise<{ repo: Repo; head: HeadState | null }> {
  let lines: string[];
  try {
    lines = (await gitOut({ top: dir, door }, [...REPO_ARGS, 'HEAD', 'HEAD^{tree}', '--symbolic-full-name', 'HEAD'])).split('\n');
  } catch (err) {
    // No HEAD yet, or no repository at all: openRepo says which, with its own errors.
    const repo = await openRepo(dir, door);
    if (!(await headCommit(repo))) return { repo, head: null };
    throw err;
  }
  if (lines.length !== REPO_LINES + 3) throw new UsageError(msg.bareRepo(dir)); // an old git prints no top there
  const [commit, tree, branch] = lines.slice(REPO_LINES);
  return { repo: repoFrom(lines, dir, door), head: { commit, tree, branch: branch === 'HEAD' ? null : branch } };
}

/** HEAD's commit and tree (null in a repository without commits) and the checked-out branch (null: detached). */
export interface HeadNow {
  commit: string | null;
  tree: string | null;
  branch: string | null;
}

/**
 * HEAD's commit, its tree and the checked-out branch in one git call (three otherwise); commit
 * and tree are null in a repository without commits.
 */
export async function headState(repo: Repo): Promise<HeadNow> {
  const { stdout, exitCode } = await git(repo, ['rev-parse', 'HEAD^{commit}', 'HEAD^{tree}', '--symbolic-full-name', 'HEAD'], { okExitCodes: [1, 128] });
  const lines = stdout.trim().split('\n');
  if (exitCode === 0 && lines.length === 3) return { commit: lines[0], tree: lines[1], branch: lines[2] === 'HEAD' ? null : lines[2] };
  // no commit yet: the branch HEAD names is still to be born
  return { commit: null, tree: null, branch: await currentBranch(repo) };
}

/**
 * The branch HEAD names (refs/heads/x), null when it is detached, read from this work tree's
 * HEAD file without starting git; undefined when that file says neither (then ask git).
 */
export function headBranch(repo: Repo): string | null | undefined {
  let text: string;
  try {
    text = readFileSync(path.join(repo.gitDir, 'HEAD'), 'utf8').trim();
  } catch {
    return undefined;
  }
  if (/^ref: refs\/heads\/\S+$/.test(text)) return text.slice('ref: '.length);
  return /^[0-9a-f]{40}([0-9a-f]{24})?$/.test(text) ? null : undefined;
}

/** The commit HEAD points to, or null in a repository without commits. */
export async function headCommit(repo: Repo): Promise<string | null> {
  const { stdout, exitCode } = await git(repo, ['rev-parse', '-q', '--verify', 'HEAD^{commit}'], { okExitCodes: [1] });
  return exitCode === 0 ? stdout.trim() : null;
}

/** Like headCommit, but an empty repository is an error the user can act on. */
export async function requireHead(repo: Repo): Promise<string> {
  const head = await headCommit(repo);
  if (!head) throw new ReorgGuardError(msg.emptyRepo());
  return head;
}

/** The full name of the checked-out branch (refs/heads/x), or null on a detached HEAD. */
export async function currentBranch(repo: Repo): Promise<string | null> {
  const { stdout, exitCode } = await git(repo, ['symbolic-ref', '-q', 'HEAD'], { okExitCodes: [1] });
  return exitCode === 0 ? stdout.trim() : null;
}

/** Git's own operation in progress: what it is, how to go on with it, how to give it up. */
export interface GitOperation {
  kind: 'merge' | 'cherry-pick' | 'revert' | 'rebase' | 'bisect';
  what: string;
  /** The command that goes on once the conflicts are resolved (a bisect: the one that marks HEAD). */
  finish: string;
  abort: string;
}

/** Git's own operations that can be left half done, by the file git keeps while one runs. */
const IN_PROGRESS: Array<[file: string, op: GitOperation]> = [
  ['MERGE_HEAD', { kind: 'merge', what: 'a merge', finish: 'git commit', abort: 'git merge --abort' }],
  ['CHERRY_PICK_HEAD', { kind: 'cherry-pick', what: 'a cherry-pick', finish: 'git cherry-pick --continue', abort: 'git cherry-pick --abort' }],
  ['REVERT_HEAD', { kind: 'revert', what: 'a revert', finish: 'git revert --continue', abort: 'git revert --abort' }],
  ['rebase-merge', { kind: 'rebase', what: 'a rebase', finish: 'git rebase --continue', abort: 'git rebase --abort' }],
  ['rebase-apply', { kind: 'rebase', what: 'a rebase', finish: 'git rebase --continue', abort: 'git rebase --abort' }],
];

/**
 * A bisect: HEAD is a commit it checked out, not the branch, but it leaves no conflicts or
 * half-made commit behind, so the commands that rewrite the work tree do not refuse it; recover
 * names it.
 */
const BISECT: [file: string, op: GitOperation] = ['BISECT_LOG', { kind: 'bisect', what: 'a bisect', finish: 'git bisect good', abort: 'git bisect reset' }];

const inProgress = (repo: Repo, list: Array<[string, GitOperation]>) =>
  list.find(([file]) => existsSync(path.join(repo.gitDir, file)))?.[1] ?? null;

/**
 * The git operation in progress in this work tree (a merge with conflicts, a rebase...), or
 * null. Its state (MERGE_HEAD, conflict stages) is not part of a snapshot, so commands that
 * rewrite the work tree must not run in the middle of one. `bisect`: a bisect counts too.
 */
export function gitOperationInProgress(repo: Repo, opts: { bisect?: boolean } = {}): GitOperation | null {
  return inProgress(repo, opts.bisect ? [...IN_PROGRESS, BISECT] : IN_PROGRESS);
}

/** A rebase is running in this work tree (git picks commit after commit). */
export const rebaseInProgress = (repo: Repo) => ['rebase-merge', 'rebase-apply'].some((d) => existsSync(path.join(repo.gitDir, d)));

/**
 * While a cherry-pick or revert of several commits runs, the HEAD it started from (git keeps it
 * in `sequencer/head`); otherwise null.
 */
export function sequenceStart(repo: Repo): string | null {
  try {
    const head = readFileSync(path.join(repo.gitDir, 'sequencer', 'head'), 'utf8').trim();
    return /^[0-9a-f]{40}([0-9a-f]{24})?$/.test(head) ? head : null;
  } catch {
    return null;
  }
}
