/**
 * Snapshots of the whole working state as commits, made with a temporary index so that the
 * user's index, work tree, file mtimes and stash list are never touched.
 *
 * A snapshot commit has the work tree (tracked and untracked-but-not-ignored files) as its
 * tree, HEAD as its first parent and, as its second parent, a commit holding the index as
 * it was: like `git stash -u`, but without touching anything.
 */
import { copyFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { git, gitOut, GitError, splitZ } from './exec.js';
import type { Repo } from './repo.js';

/** Snapshot commits are made by the tool, whoever the user is (and even with no identity set). */
export const TOOL_IDENTITY = {
  GIT_AUTHOR_NAME: 'reorg-guard',
  GIT_AUTHOR_EMAIL: 'reorg-guard@localhost',
  GIT_COMMITTER_NAME: 'reorg-guard',
  GIT_COMMITTER_EMAIL: 'reorg-guard@localhost',
};

export interface Snapshot {
  /** The snapshot commit. */
  commit: string;
  /** Tree of the work tree, untracked files included. */
  tree: string;
  /** Tree of the index, or null when the index had unmerged entries. */
  indexTree: string | null;
  /** HEAD when the snapshot was taken, or null in a repository without commits. */
  head: string | null;
  /** Checked-out branch (refs/heads/x), or null on a detached HEAD. */
  branch: string | null;
  /** True when index and work tree both equal HEAD: nothing uncommitted. */
  clean: boolean;
  /** Untracked folders that are git repositories of their own: git cannot hold their content. */
  nestedRepos: string[];
}

export interface SnapshotOptions {
  message: string;
  head: string | null;
  branch: string | null;
}

/** A temporary index beside the real one, removed when `use` returns. */
export const withTempIndex = <T>(repo: Repo, use: (env: { GIT_INDEX_FILE: string }) => Promise<T>) => withTempIndexIn(repo.gitDir, use);

async function withTempIndexIn<T>(dir: string, use: (env: { GIT_INDEX_FILE: string }) => Promise<T>): Promise<T> {
  // pid and a random part: unique enough for a temporary file (node:crypto would cost a hook ~4 ms to load)
  const file = path.join(dir, `reorg-guard-index-${process.pid}-${Math.random().toString(16).slice(2, 10)}`);
  try {
    return await use({ GIT_INDEX_FILE: file });
  } finally {
    await Promise.all([rm(file, { force: true }), rm(`${file}.lock`, { force: true })]);
  }
}

/** Starts a temporary index from the one git uses now: its stat data spares hashing unchanged files. */
async function seedIndex(repo: Repo, head: string | null, env: { GIT_INDEX_FILE: string }): Promise<void> {
  if (existsSync(repo.indexFile)) await copyFile(repo.indexFile, env.GIT_INDEX_FILE);
  else await git(repo.top, head ? ['read-tree', head] : ['read-tree', '--empty'], { env });
}

const parentsOf = (head: string | null) => (head ? ['-p', head] : []);

/**
 * The commit of the index tree, the snapshot's second parent. The tree cannot hold entries
 * added with `git add -N` (write-tree leaves them out): their paths are trailers of its message.
 */
const commitIndex = (repo: Repo, indexTree: string, head: string | null, intentToAdd: string[] = []) =>
  gitOut(repo.top, ['commit-tree', indexTree, ...parentsOf(head), '-m', `reorg-guard index${intentToAddTrailers(intentToAdd)}`], { env: TOOL_IDENTITY });

const INTENT_TO_ADD = 'reorg-guard-intent-to-add: ';

/** One trailer per path, JSON-quoted (a path may hold a newline). */
function intentToAddTrailers(paths: string[]): string {
  return paths.length ? `\n\n${paths.map((p) => INTENT_TO_ADD + JSON.stringify(p)).join('\n')}\n` : '';
}

/** The `git add -N` paths an index commit's message records. */
export function parseIntentToAdd(message: string): string[] {
  return message
    .split('\n')
    .filter((l) => l.startsWith(INTENT_TO_ADD))
    .map((l) => JSON.parse(l.slice(INTENT_TO_ADD.length)) as string);
}

/**
 * Entries of the index that are only an intent to add: the ones diff-files (index to work tree)
 * calls added. The plumbing, not `git diff`: that one writes its refreshed index back, and
 * write-tree works on the same temporary index at the same time (it dies on a taken lock).
 */
async function intentToAddPaths(repo: Repo, env: Record<string, string>): Promise<string[]> {
  return splitZ(await gitOut(repo.top, ['diff-files', '--name-only', '-z', '--no-renames', '--diff-filter=A', '--', ':/'], { env }));
}

/** The snapshot commit itself, with its trailers. */
function commitSnapshot(repo: Repo, tree: string, indexCommit: string | null, opts: SnapshotOptions): Promise<string> {
  const trailers = `\n\nreorg-guard-head: ${opts.head ?? 'none'}\nreorg-guard-branch: ${opts.branch ?? 'detached'}\n`;
  const parents = [...parentsOf(opts.head), ...(indexCommit ? ['-p', indexCommit] : [])];
  return gitOut(repo.top, ['commit-tree', tree, ...parents, '-m', opts.message + trailers], { env: TOOL_IDENTITY });
}

export async function takeSnapshot(repo: Repo, opts: SnapshotOptions): Promise<Snapshot> {
  return withTempIndex(repo, async (env) => {
    await seedIndex(repo, opts.head, env);
    const [indexTree, nestedRepos, intentToAdd] = await Promise.all([
      // null: unmerged entries, the work tree still says it all
      gitOut(repo.top, ['write-tree'], { env }).catch((err) => {
        if (err instanceof GitError) return null;
        throw err;
      }),
      // An untracked folder that is a repository of its own would become a bare commit id (or
      // fail the add): it is left out and named instead.
      untrackedRepos(repo, env),
      intentToAddPaths(repo, env),
    ]);
    const exclude = nestedRepos.map((p) => `:(exclude,literal)${p}`);
    // Independent steps run side by side (a hook waits for this).
    const [tree, headTree, indexCommit] = await Promise.all([
      // Tracked files (even ignored ones) are updated, deletions recorded, untracked files
      // added unless ignored.
      git(repo.top, ['add', '--all', '--', ':/', ...exclude], { env }).then(() => gitOut(repo.top, ['write-tree'], { env })),
      opts.head ? gitOut(repo.top, ['rev-parse', `${opts.head}^{tree}`]) : null,
      indexTree ? commitIndex(repo, indexTree, opts.head, intentToAdd) : null,
    ]);
    const clean = tree === headTree && indexTree === headTree && intentToAdd.length === 0;
    const commit = await commitSnapshot(repo, tree, indexCommit, opts);
    return { commit, tree, indexTree, head: opts.head, branch: opts.branch, clean, nestedRepos };
  });
}

/** Untracked folders holding a `.git` of their own, relative to the top. */
async function untrackedRepos(repo: Repo, env: Record<string, string>): Promise<string[]> {
  const out = await gitOut(repo.top, ['ls-files', '-z', '--others', '--directory', '--exclude-standard', '--', ':/'], { env });
  return splitZ(out)
    .filter((p) => p.endsWith('/') && existsSync(path.join(repo.top, p, '.git')))
    .map((p) => p.replace(/\/$/, ''));
}
