/**
 * Snapshots of the whole working state as commits, made with a temporary index so that the
 * user's index, work tree, file mtimes and stash list are never touched.
 *
 * A snapshot commit has the work tree (tracked and untracked-but-not-ignored files) as its
 * tree, HEAD as its first parent and, as its second parent, a commit holding the index as
 * it was: like `git stash -u`, but without touching anything.
 */
import { copyFile, rm } from 'node:fs/promises';
import { existsSync, lstatSync } from 'node:fs';
import path from 'node:path';
import { git, gitOut, GitError, splitZ } from './exec.js';
import type { Repo } from './repo.js';
import { conversionInPlay, convertedPaths, rawIndexInfo, type Conversion } from './filters.js';

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
  /**
   * Submodules with work of their own (modified or untracked files inside): the snapshot holds
   * each submodule as a gitlink (its commit), never its work, which belongs to another repository.
   */
  dirtySubmodules: string[];
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

/** The tree of the index git uses now (`repo.indexFile`), written from a copy of it (git's own index is never locked). */
export function indexTreeOf(repo: Repo): Promise<string> {
  return withTempIndexIn(path.dirname(repo.indexFile), async (env) => {
    await copyFile(repo.indexFile, env.GIT_INDEX_FILE);
    return gitOut(repo, ['write-tree'], { env });
  });
}

/** Starts a temporary index from the one git uses now: its stat data spares hashing unchanged files. */
async function seedIndex(repo: Repo, head: string | null, env: { GIT_INDEX_FILE: string }): Promise<void> {
  if (existsSync(repo.indexFile)) await copyFile(repo.indexFile, env.GIT_INDEX_FILE);
  else await git(repo, head ? ['read-tree', head] : ['read-tree', '--empty'], { env });
}

const parentsOf = (head: string | null) => (head ? ['-p', head] : []);

/**
 * The commit of the index tree, the snapshot's second parent. The tree cannot hold entries
 * added with `git add -N` (write-tree leaves them out): their paths are trailers of its message.
 */
const commitIndex = (repo: Repo, indexTree: string, head: string | null, intentToAdd: string[] = []) =>
  gitOut(repo, ['commit-tree', indexTree, ...parentsOf(head), '-m', `reorg-guard index${intentToAddTrailers(intentToAdd)}`], { env: TOOL_IDENTITY });

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
 * What diff-files (index to work tree) says, in one call: entries that are only an intent to
 * add (`git add -N`: the ones it calls added), and submodules that changed (a gitlink whose
 * submodule moved or holds work of its own). The plumbing, not `git diff`: that one writes its
 * refreshed index back, and write-tree works on the same temporary index at the same time.
 */
async function indexVsWork(repo: Repo, env: Record<string, string>): Promise<{ intentToAdd: string[]; submodules: string[] }> {
  const rec = splitZ(await gitOut(repo, ['diff-files', '-z', '--raw', '--no-renames', '--', ':/'], { env }));
  const intentToAdd: string[] = [];
  const submodules: string[] = [];
  // ":<mode> <mode> <sha> <sha> <status>" NUL "<path>" NUL
  for (let i = 0; i + 1 < rec.length; i += 2) {
    const [srcMode, , , , status] = rec[i].slice(1).split(' ');
    if (status === 'A') intentToAdd.push(rec[i + 1]);
    else if (srcMode === '160000') submodules.push(rec[i + 1]);
  }
  return { intentToAdd, submodules };
}

/** Of changed submodules, those with modified or untracked files inside (`git status` flags S.M. / S..U). */
async function dirtyOf(repo: Repo, env: Record<string, string>, submodules: string[]): Promise<string[]> {
  if (submodules.length === 0) return [];
  const args = ['--no-optional-locks', 'status', '--porcelain=v2', '-z', '--ignore-submodules=none', '--', ...submodules.map((p) => `:(literal)${p}`)];
  const dirty: string[] = [];
  for (const rec of splitZ(await gitOut(repo, args, { env }))) {
    // "1 <XY> <sub> <mH> <mI> <mW> <hH> <hI> <path>", <sub> = "S<c><m><u>"
    const f = rec.split(' ');
    if (f[0] === '1' && f[2].startsWith('S') && (f[2][2] === 'M' || f[2][3] === 'U')) dirty.push(f.slice(8).join(' '));
  }
  return dirty;
}

/**
 * The trailer of a snapshot whose tree holds the work tree's exact bytes (git's conversion was
 * gone around): restores write its files back as bytes too. Snapshots made before it, and the
 * index snapshots of hooks, hold what git stored.
 */
const BYTES_TRAILER = 'reorg-guard-bytes: exact';

/** Whether a snapshot commit's message says its tree holds exact bytes. */
export const holdsBytes = (message: string) => message.split('\n').includes(BYTES_TRAILER);

/** The snapshot commit itself, with its trailers. */
function commitSnapshot(repo: Repo, tree: string, indexCommit: string | null, opts: SnapshotOptions, bytes = false): Promise<string> {
  const trailers = `\n\nreorg-guard-head: ${opts.head ?? 'none'}\nreorg-guard-branch: ${opts.branch ?? 'detached'}\n${bytes ? `${BYTES_TRAILER}\n` : ''}`;
  const parents = [...parentsOf(opts.head), ...(indexCommit ? ['-p', indexCommit] : [])];
  return gitOut(repo, ['commit-tree', tree, ...parents, '-m', opts.message + trailers], { env: TOOL_IDENTITY });
}

export async function takeSnapshot(repo: Repo, opts: SnapshotOptions): Promise<Snapshot> {
  return withTempIndex(repo, async (env) => {
    await seedIndex(repo, opts.head, env);
    const [indexTree, nestedRepos, { intentToAdd, submodules }, conv] = await Promise.all([
      // null: unmerged entries, the work tree still says it all
      gitOut(repo, ['write-tree'], { env }).catch((err) => {
        if (err instanceof GitError) return null;
        throw err;
      }),
      // An untracked folder that is a repository of its own would become a bare commit id (or
      // fail the add): it is left out and named instead.
      untrackedRepos(repo, env),
      indexVsWork(repo, env),
      conversionInPlay(repo, env),
    ]);
    const exclude = nestedRepos.map((p) => `:(exclude,literal)${p}`);
    // Files git would convert (line endings, filters...) are left to git add and stored as bytes.
    const bytes = conv ? await convertedWorkFiles(repo, conv, exclude, env) : [];
    // Independent steps run side by side (a hook waits for this).
    const [tree, headTree, indexCommit] = await Promise.all([
      // Tracked files (even ignored ones) are updated, deletions recorded, untracked files
      // added unless ignored.
      addAll(repo, [...exclude, ...bytes.map((p) => `:(exclude,literal)${p}`)], env)
        .then(async () => bytes.length && git(repo, ['update-index', '-z', '--index-info'], { env, input: await rawIndexInfo(repo, bytes) }))
        .then(() => gitOut(repo, ['write-tree'], { env })),
      opts.head ? gitOut(repo, ['rev-parse', `${opts.head}^{tree}`]) : null,
      indexTree ? commitIndex(repo, indexTree, opts.head, intentToAdd) : null,
    ]);
    const sameAsHead = tree === headTree || (bytes.length > 0 && headTree !== null && (await unchangedForGit(repo, headTree, tree, bytes)));
    const clean = sameAsHead && indexTree === headTree && intentToAdd.length === 0;
    const [commit, dirtySubmodules] = await Promise.all([commitSnapshot(repo, tree, indexCommit, opts, true), dirtyOf(repo, env, submodules)]);
    return { commit, tree, indexTree, head: opts.head, branch: opts.branch, clean, nestedRepos, dirtySubmodules };
  });
}

/** `git add --all` of the whole work tree but `exclude` (pathspecs), on the index of env. */
function addAll(repo: Repo, exclude: string[], env: Record<string, string>) {
  if (exclude.length < 100) return git(repo, ['add', '--all', '--', ':/', ...exclude], { env });
  const input = [':/', ...exclude].map((p) => `${p}\0`).join('');
  return git(repo, ['add', '--all', '--pathspec-from-file=-', '--pathspec-file-nul'], { env, input });
}

/** Tracked and untracked (not ignored) files whose content git would convert. */
async function convertedWorkFiles(repo: Repo, conv: Conversion, exclude: string[], env: Record<string, string>): Promise<string[]> {
  const files = splitZ(await gitOut(repo, ['ls-files', '-z', '--cached', '--others', '--exclude-standard', '--', ':/', ...exclude], { env }));
  // regular files (or tracked ones deleted): links and nested repositories are never converted, git add takes them
  const plain = (p: string) => {
    const st = lstatSync(path.join(repo.top, p), { throwIfNoEntry: false });
    return !st || st.isFile();
  };
  return [...(await convertedPaths(repo, conv, [...new Set(files)], env))].filter(plain);
}

/**
 * A snapshot holding bytes differs from HEAD's tree wherever git converts (a CRLF work file of
 * an LF blob): it is still clean when, as git sees them (converted), those files equal HEAD's.
 */
async function unchangedForGit(repo: Repo, headTree: string, tree: string, bytes: string[]): Promise<boolean> {
  const differ = splitZ(await gitOut(repo, ['diff-tree', '-r', '-z', '--name-only', '--no-renames', headTree, tree]));
  const converted = new Set(bytes);
  if (differ.some((p) => !converted.has(p))) return false;
  const there = differ.filter((p) => existsSync(path.join(repo.top, p)));
  if (there.length !== differ.length) return false;
  const [asGit, inHead] = await Promise.all([
    gitOut(repo, ['hash-object', '--stdin-paths'], { input: there.join('\n') + '\n' }),
    gitOut(repo, ['ls-tree', '-z', '--full-tree', headTree, '--', ...there.map((p) => `:(literal)${p}`)]),
  ]);
  const head = new Map(splitZ(inHead).map((r) => [r.slice(r.indexOf('\t') + 1), r.split(' ')[2].split('\t')[0]]));
  const ids = asGit.split('\n');
  return there.every((p, i) => head.get(p) === ids[i]);
}

/**
 * A record commit: the tree of `commit`, `commit` as its only parent, and `message` (a backup's
 * metadata as trailers). It adds one small object to a push and lets one for-each-ref read the
 * record of every backup (`%(contents)`), here and in a clone that fetched it.
 */
export function commitRecord(repo: Repo, commit: string, message: string): Promise<string> {
  return gitOut(repo, ['commit-tree', `${commit}^{tree}`, '-p', commit, '-m', message], { env: TOOL_IDENTITY });
}

/** Untracked folders holding a `.git` of their own, relative to the top. */
async function untrackedRepos(repo: Repo, env: Record<string, string>): Promise<string[]> {
  const out = await gitOut(repo, ['ls-files', '-z', '--others', '--directory', '--exclude-standard', '--', ':/'], { env });
  return splitZ(out)
    .filter((p) => p.endsWith('/') && existsSync(path.join(repo.top, p, '.git')))
    .map((p) => p.replace(/\/$/, ''));
}
