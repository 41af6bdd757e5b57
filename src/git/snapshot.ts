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
import { randomBytes } from 'node:crypto';
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
export async function withTempIndex<T>(repo: Repo, use: (env: { GIT_INDEX_FILE: string }) => Promise<T>): Promise<T> {
  const file = path.join(repo.gitDir, `reorg-guard-index-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    return await use({ GIT_INDEX_FILE: file });
  } finally {
    await rm(file, { force: true });
    await rm(`${file}.lock`, { force: true });
  }
}

export async function takeSnapshot(repo: Repo, opts: SnapshotOptions): Promise<Snapshot> {
  return withTempIndex(repo, async (env) => {
    // Starting from a copy of the real index keeps its stat data: only changed files are hashed.
    if (existsSync(repo.indexFile)) await copyFile(repo.indexFile, env.GIT_INDEX_FILE);
    else await git(repo.top, opts.head ? ['read-tree', opts.head] : ['read-tree', '--empty'], { env });

    let indexTree: string | null = null;
    try {
      indexTree = await gitOut(repo.top, ['write-tree'], { env });
    } catch (err) {
      if (!(err instanceof GitError)) throw err; // unmerged entries: the work tree still says it all
    }
    // Tracked files (even ignored ones) are updated, deletions recorded, untracked files added
    // unless ignored. An untracked folder that is a repository of its own would become a bare
    // commit id (or fail the add): it is left out and named instead.
    const nestedRepos = await untrackedRepos(repo, env);
    const exclude = nestedRepos.map((p) => `:(exclude,literal)${p}`);
    await git(repo.top, ['add', '--all', '--', ':/', ...exclude], { env });
    const tree = await gitOut(repo.top, ['write-tree'], { env });
    const headTree = opts.head ? await gitOut(repo.top, ['rev-parse', `${opts.head}^{tree}`]) : null;
    const clean = tree === headTree && indexTree === headTree;

    const parents = opts.head ? ['-p', opts.head] : [];
    const trailers = `\n\nreorg-guard-head: ${opts.head ?? 'none'}\nreorg-guard-branch: ${opts.branch ?? 'detached'}\n`;
    const idEnv = { ...TOOL_IDENTITY };
    const indexCommit = indexTree
      ? await gitOut(repo.top, ['commit-tree', indexTree, ...parents, '-m', 'reorg-guard index'], { env: idEnv })
      : null;
    const commit = await gitOut(
      repo.top,
      ['commit-tree', tree, ...parents, ...(indexCommit ? ['-p', indexCommit] : []), '-m', opts.message + trailers],
      { env: idEnv },
    );
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
