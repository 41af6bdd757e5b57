/**
 * Snapshots of the whole working state as commits, made with a temporary index so that the
 * user's index, work tree, file mtimes and stash list are never touched.
 *
 * A snapshot commit has the work tree (tracked and untracked-but-not-ignored files) as its
 * tree, HEAD as its first parent and, as its second parent, a commit holding the index as
 * it was: like `git stash -u`, but without touching anything.
 */
import { copyFile, writeFile } from 'node:fs/promises';
import { existsSync, lstatSync, readlinkSync, type Stats } from 'node:fs';
import path from 'node:path';
import { git, gitOut, GitError, splitZ } from './exec.js';
import type { Repo } from './repo.js';
import { conversionInPlay, convertedPaths, cQuote, rawIndexInfo, sameAsTree, type Conversion } from './filters.js';
import { withTempPaths } from '../util/interrupt.js';
import { tempSuffix } from '../util/temp-name.js';

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
  /**
   * Paths the operation that follows will write. A file there that the snapshot would not hold
   * (ignored, untracked: git would overwrite it, as `reset --hard` does) is added to it as it is
   * on disk, so that undo brings it back.
   */
  inTheWay?: string[];
  /**
   * Paths the operation that follows will write or delete: where such a file's permission bits
   * are not what git writes (a private 0600 file), the snapshot keeps them (`modes`).
   */
  touched?: string[];
  /**
   * Put back what lint-staged hid from the work tree while its tasks run (hidden-work.ts): a
   * backup lint-staged runs holds the unstaged part of partly staged files.
   */
  hiddenWork?: boolean;
}

/** A temporary index beside the real one, removed when `use` returns. */
export const withTempIndex = <T>(repo: Repo, use: (env: { GIT_INDEX_FILE: string }) => Promise<T>) => withTempIndexIn(repo.gitDir, use);

async function withTempIndexIn<T>(dir: string, use: (env: { GIT_INDEX_FILE: string }) => Promise<T>): Promise<T> {
  const file = path.join(dir, `reorg-guard-index-${tempSuffix()}`);
  return withTempPaths([file, `${file}.lock`], () => use({ GIT_INDEX_FILE: file }));
}

/** The tree of the index git uses now (`repo.indexFile`), written from a copy of it (git's own index is never locked). */
export function indexTreeOf(repo: Repo): Promise<string> {
  return withTempIndexIn(path.dirname(repo.indexFile), async (env) => {
    await copyFile(repo.indexFile, env.GIT_INDEX_FILE);
    return gitOut(repo, ['write-tree'], { env });
  });
}

/**
 * Starts a temporary index from the one git uses now: its stat data spares hashing unchanged
 * files. No index file is an empty index to git (`worktree add --no-checkout`, `clone
 * --no-checkout`: every file of HEAD staged as deleted), never HEAD's tree.
 */
async function seedIndex(repo: Repo, env: { GIT_INDEX_FILE: string }): Promise<void> {
  if (existsSync(repo.indexFile)) await copyFile(repo.indexFile, env.GIT_INDEX_FILE);
  else await git(repo, ['read-tree', '--empty'], { env });
}

const parentsOf = (head: string | null) => (head ? ['-p', head] : []);

/** The index commit's message: what `git add -N` marked, as trailers. */
const indexMessage = (intentToAdd: string[]) => `reorg-guard index${intentToAddTrailers(intentToAdd)}`;

/**
 * The commit of the index tree, the snapshot's second parent. The tree cannot hold entries
 * added with `git add -N` (write-tree leaves them out): their paths are trailers of its message.
 */
const commitIndex = (repo: Repo, indexTree: string, head: string | null, intentToAdd: string[] = []) =>
  gitOut(repo, ['commit-tree', indexTree, ...parentsOf(head), '-m', indexMessage(intentToAdd)], { env: TOOL_IDENTITY });

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

const MODE_TRAILER = 'reorg-guard-mode: ';

/**
 * A git tree keeps 644 or 755 only, and git writes files with 0666 or 0777 less the umask: of
 * `paths`, the regular files whose permission bits differ from that (a private 0600 file), with
 * their bits, so that a restore gives them back as they were. One lstat a path.
 */
export function oddModes(top: string, paths: Iterable<string>, kinds?: Map<string, Kind>): Array<[string, number]> {
  const mask = process.umask();
  const out: Array<[string, number]> = [];
  for (const p of new Set(paths)) {
    if (kinds && seenAbsent(p, kinds)) continue;
    const st = fileAt(path.join(top, p));
    if (!st) continue;
    const bits = st.mode & 0o7777;
    if (bits !== ((st.mode & 0o111 ? 0o777 : 0o666) & ~mask)) out.push([p, bits]);
  }
  return out;
}

/**
 * Whether `kinds` (kindOf's looks, just taken) saw nothing at `rel` or at one of its folders:
 * then no file is there either, and no lstat needs to say so (an undo writes thousands of files
 * into folders that do not exist yet).
 */
function seenAbsent(rel: string, kinds: Map<string, Kind>): boolean {
  if (kinds.size === 0) return false;
  for (let i = rel.indexOf('/'); i > 0; i = rel.indexOf('/', i + 1)) if (kinds.get(rel.slice(0, i)) === 'none') return true;
  return kinds.get(rel) === 'none';
}

/** The regular file at `file` (not followed), or null: nothing there, or a file where a folder on its way should be (ENOTDIR). */
export function fileAt(file: string): Stats | null {
  const st = lstatHere(file);
  return st?.isFile() ? st : null;
}

/** lstat, or undefined when nothing can be seen there: no entry, a file where a folder on the way should be (ENOTDIR). */
function lstatHere(file: string): Stats | undefined {
  try {
    return lstatSync(file, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

/** The permission bits a snapshot kept (oddModes), from its message: path -> bits. */
export function parseModes(message: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of message.split('\n')) {
    if (!line.startsWith(MODE_TRAILER)) continue;
    const at = line.indexOf(' ', MODE_TRAILER.length);
    try {
      out.set(JSON.parse(line.slice(at + 1)) as string, parseInt(line.slice(MODE_TRAILER.length, at), 8));
    } catch {
      // a line that is not ours: ignored
    }
  }
  return out;
}

const modeTrailers = (modes: Array<[string, number]>) => modes.map(([p, bits]) => `${MODE_TRAILER}${bits.toString(8)} ${JSON.stringify(p)}\n`).join('');

/** The snapshot commit itself, with its trailers. */
function commitSnapshot(repo: Repo, tree: string, indexCommit: string | null, opts: SnapshotOptions, bytes = false, modes: Array<[string, number]> = []): Promise<string> {
  const parents = [...parentsOf(opts.head), ...(indexCommit ? ['-p', indexCommit] : [])];
  return gitOut(repo, ['commit-tree', tree, ...parents, '-m', opts.message + snapshotTrailers(opts, bytes, modes)], { env: TOOL_IDENTITY });
}

/** The trailers of a snapshot commit's message: HEAD and branch it was taken on, and whether it holds bytes. */
const snapshotTrailers = (opts: SnapshotOptions, bytes: boolean, modes: Array<[string, number]> = []) =>
  `\n\nreorg-guard-head: ${opts.head ?? 'none'}\nreorg-guard-branch: ${opts.branch ?? 'detached'}\n${bytes ? `${BYTES_TRAILER}\n` : ''}${modeTrailers(modes)}`;

/**
 * The index commit (when there is an index tree) and the snapshot commit on it, written by one
 * git process: the commit objects are made here, the index commit's id computed as git does (the
 * snapshot names it as a parent), and both stored by one `hash-object -t commit -w --stdin-paths`,
 * which checks their format and says their ids (checked against ours). Where the user's
 * environment sets a commit date (GIT_AUTHOR_DATE, GIT_COMMITTER_DATE), git's commit-tree makes
 * them, one after the other, so that the date is read as git reads it.
 */
async function commitBoth(
  repo: Repo, tree: string, indexTree: string | null, intentToAdd: string[], opts: SnapshotOptions, modes: Array<[string, number]>,
): Promise<string> {
  if (process.env.GIT_AUTHOR_DATE !== undefined || process.env.GIT_COMMITTER_DATE !== undefined) {
    const indexCommit = indexTree ? await commitIndex(repo, indexTree, opts.head, intentToAdd) : null;
    return commitSnapshot(repo, tree, indexCommit, opts, true, modes);
  }
  const { createHash } = await import('node:crypto');
  // the repository's object format, by the length of an id: sha1 (40 hex digits) or sha256 (64)
  const algorithm = tree.length === 64 ? 'sha256' : 'sha1';
  const now = new Date();
  const offset = -now.getTimezoneOffset();
  const zone = `${offset < 0 ? '-' : '+'}${String(Math.floor(Math.abs(offset) / 60)).padStart(2, '0')}${String(Math.abs(offset) % 60).padStart(2, '0')}`;
  const who = `${TOOL_IDENTITY.GIT_COMMITTER_NAME} <${TOOL_IDENTITY.GIT_COMMITTER_EMAIL}> ${Math.floor(now.getTime() / 1000)} ${zone}`;
  /** A commit object as commit-tree writes it (its -m message ends with one newline) and its id. */
  const commitObject = (t: string, parents: string[], message: string) => {
    const body = Buffer.from(`tree ${t}\n${parents.map((p) => `parent ${p}\n`).join('')}author ${who}\ncommitter ${who}\n\n${message.endsWith('\n') ? message : `${message}\n`}`);
    const id = createHash(algorithm).update(`commit ${body.length}\0`).update(body).digest('hex');
    return { body, id };
  };
  const objects: Array<ReturnType<typeof commitObject>> = [];
  const index = indexTree ? commitObject(indexTree, opts.head ? [opts.head] : [], indexMessage(intentToAdd)) : null;
  if (index) objects.push(index);
  const snapshot = commitObject(tree, [...(opts.head ? [opts.head] : []), ...(index ? [index.id] : [])], opts.message + snapshotTrailers(opts, true, modes));
  objects.push(snapshot);
  const base = path.join(repo.gitDir, `reorg-guard-commit-${tempSuffix()}`);
  const files = objects.map((_, i) => `${base}-${i}`);
  await withTempPaths(files, async () => {
    await Promise.all(objects.map((o, i) => writeFile(files[i], o.body)));
    const ids = (await gitOut(repo, ['hash-object', '-t', 'commit', '-w', '--stdin-paths'], { input: files.map((f) => `${cQuote(f)}\n`).join('') })).split('\n');
    if (ids.length !== objects.length || objects.some((o, i) => o.id !== ids[i])) throw new GitError(['hash-object'], 1, `fatal: the snapshot's commits got other ids than computed (${ids.join(', ')})`);
  });
  return snapshot.id;
}

/**
 * The work tree and the index as trees, read in one pass: what a snapshot commits, and what a
 * rollback's plan compares with its target tree (tree to tree, without reading the work tree again).
 */
export interface WorkState {
  /** HEAD and branch when it was read. */
  head: string | null;
  branch: string | null;
  /** Tree of the work tree, untracked files included (nested repositories left out). */
  tree: string;
  /** Tree of the index, or null when the index had unmerged entries. */
  indexTree: string | null;
  /** Tree of HEAD, or null without commits. */
  headTree: string | null;
  intentToAdd: string[];
  /** Untracked files (not ignored) the tree holds: no index entry, so git's own reset never removes them. */
  untracked: string[];
  /** The paths read from the work tree (untracked, changed, deleted): the tree holds them as they are now. */
  changed: string[];
  nestedRepos: string[];
  dirtySubmodules: string[];
}

/**
 * Reads the work tree with one `git status` on a temporary copy of the index (it refreshes the
 * copy's stat data on its way), then puts exactly the paths it names into that copy: one walk of
 * the work tree, and only changed or new files hashed. Null where git may convert files (line
 * endings, filters): those must be stored as bytes, which takeSnapshot's fuller way does.
 */
export async function scanWork(repo: Repo, head: string | null, branch: string | null, knownHeadTree?: string | null): Promise<WorkState | null> {
  return withTempIndex(repo, async (env) => {
    await seedIndex(repo, env);
    // the check runs beside the status (which only reads, and is not used when git converts)
    const [conv, status, headTree] = await Promise.all([
      conversionInPlay(repo),
      // none: a submodule's own work is reported (S.M. / S..U), as dirtyOf does
      gitOut(repo, ['status', '--porcelain=v2', '-z', '--untracked-files=all', '--no-renames', '--ignore-submodules=none'], { env }),
      knownHeadTree !== undefined ? knownHeadTree : head ? gitOut(repo, ['rev-parse', `${head}^{tree}`]) : null,
    ]);
    if (conv) return null;
    const update: string[] = [];
    const untracked: string[] = [];
    const intentToAdd: string[] = [];
    const nestedRepos: string[] = [];
    const dirtySubmodules: string[] = [];
    const rec = splitZ(status);
    /** Some index entry differs from HEAD (staged, unmerged): the index's tree must be written. */
    let staged = headTree === null;
    for (let i = 0; i < rec.length; i++) {
      const r = rec[i];
      const f = r.split(' ');
      if (r[0] === 'u' || ((r[0] === '1' || r[0] === '2') && f[1][0] !== '.')) staged = true;
      if (r[0] === '?') {
        const p = r.slice(2);
        // an untracked folder git does not enter: a repository of its own, which git cannot hold
        if (!p.endsWith('/')) {
          update.push(p);
          untracked.push(p);
        }
        else if (existsSync(path.join(repo.top, p, '.git'))) nestedRepos.push(p.replace(/\/$/, ''));
      } else if (r[0] === '1' || r[0] === '2') {
        // "1 <XY> <sub> <mH> <mI> <mW> <hH> <hI> <path>"; "2 ... <X><score> <path>" NUL "<origPath>"
        const p = f.slice(r[0] === '1' ? 8 : 9).join(' ');
        if (f[1][1] !== '.') update.push(p);
        if (f[1] === '.A') intentToAdd.push(p);
        if (f[2].startsWith('S') && (f[2][2] === 'M' || f[2][3] === 'U')) dirtySubmodules.push(p);
        if (r[0] === '2') update.push(rec[++i]);
      } else if (r[0] === 'u') {
        // "u <XY> <sub> <m1> <m2> <m3> <mW> <h1> <h2> <h3> <path>": the work tree's file resolves it
        update.push(f.slice(10).join(' '));
      }
    }
    // the index as HEAD has it when the status names no staged change (git add -N entries are
    // not in a written tree either); null: unmerged entries, the work tree still says it all
    const indexTree = !staged ? headTree : await gitOut(repo, ['write-tree'], { env }).catch((err) => {
      if (err instanceof GitError) return null;
      throw err;
    });
    if (update.length) {
      // --replace: a file where a folder was (or the other way round) takes its place, as add does
      await git(repo, ['update-index', '--add', '--remove', '--replace', '-z', '--stdin'], { env, input: update.map((p) => `${p}\0`).join('') });
    }
    const tree = update.length || indexTree === null ? await gitOut(repo, ['write-tree'], { env }) : indexTree;
    return { head, branch, tree, indexTree, headTree, intentToAdd, untracked, changed: update, nestedRepos, dirtySubmodules };
  });
}

/**
 * A snapshot of the state now. `scanned`, read just before (the plan's scanWork, with nothing
 * asked of the user in between), spares reading the work tree a second time.
 */
export async function takeSnapshot(repo: Repo, opts: SnapshotOptions, scanned?: WorkState | null): Promise<Snapshot> {
  const fresh = scanned && scanned.head === opts.head && scanned.branch === opts.branch;
  const work = fresh ? scanned : await scanWork(repo, opts.head, opts.branch);
  if (!work) return takeSnapshotAsBytes(repo, opts);
  const { indexTree, headTree, intentToAdd } = work;
  // what is on disk where the operation writes, looked at once for both
  const kinds = new Map<string, Kind>();
  const tree = await withHidden(repo, await withIgnoredInTheWay(repo, work.tree, opts.inTheWay, work.nestedRepos, kinds), opts, new Set());
  // the tree holds the work tree's bytes: nothing here converts
  const modes = oddModes(repo.top, [...work.changed, ...(opts.touched ?? [])], kinds);
  const commit = await commitBoth(repo, tree, indexTree, intentToAdd, opts, modes);
  const clean = tree === headTree && indexTree === headTree && intentToAdd.length === 0;
  return { commit, tree, indexTree, head: opts.head, branch: opts.branch, clean, nestedRepos: work.nestedRepos, dirtySubmodules: work.dirtySubmodules };
}

/** The snapshot where git may convert files: those are stored as the work tree's bytes. */
async function takeSnapshotAsBytes(repo: Repo, opts: SnapshotOptions): Promise<Snapshot> {
  return withTempIndex(repo, async (env) => {
    await seedIndex(repo, env);
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
        .then(() => gitOut(repo, ['write-tree'], { env }))
        .then((t) => withIgnoredInTheWay(repo, t, opts.inTheWay, nestedRepos))
        .then((t) => withHidden(repo, t, opts, new Set(bytes))),
      opts.head ? gitOut(repo, ['rev-parse', `${opts.head}^{tree}`]) : null,
      indexTree ? commitIndex(repo, indexTree, opts.head, intentToAdd) : null,
    ]);
    // every path that differs from HEAD, untracked files included (the fast way's `changed`)
    const changed = tree === headTree ? [] : await pathsChangedBetween(repo, headTree, tree);
    const sameAsHead = tree === headTree || (bytes.length > 0 && headTree !== null && (await unchangedForGit(repo, headTree, changed, bytes)));
    const clean = sameAsHead && indexTree === headTree && intentToAdd.length === 0;
    // permission bits of what the tree holds from the work tree: converted files and changed ones
    const modes = oddModes(repo.top, [...bytes, ...changed, ...(opts.touched ?? [])]);
    const [commit, dirtySubmodules] = await Promise.all([commitSnapshot(repo, tree, indexCommit, opts, true, modes), dirtyOf(repo, env, submodules)]);
    return { commit, tree, indexTree, head: opts.head, branch: opts.branch, clean, nestedRepos, dirtySubmodules };
  });
}

/** Where lint-staged (15, 16, 17) keeps the unstaged part of partly staged files during its run, in the git dir (hidden-work.ts). */
const LINT_STAGED_PATCH = 'lint-staged_unstaged.patch';

/** `tree` with the work lint-staged hid put back, when asked and lint-staged's patch is there. */
function withHidden(repo: Repo, tree: string, opts: SnapshotOptions, converted: Set<string>): Promise<string> {
  const patch = path.join(repo.gitDir, LINT_STAGED_PATCH);
  if (!opts.hiddenWork || !existsSync(patch)) return Promise.resolve(tree);
  // loaded only then: a hook's backup that lint-staged did not start never needs it
  return withTempIndex(repo, async (env) => (await import('./hidden-work.js')).withHiddenWork(repo, tree, converted, env, patch));
}

/**
 * The paths where `tree` differs from `headTree`, tree to tree (added, changed or gone; every path
 * of `tree` when there is no HEAD). Not worktree.ts's changedSince, which compares the work tree.
 */
async function pathsChangedBetween(repo: Repo, headTree: string | null, tree: string): Promise<string[]> {
  const args = headTree ? ['diff-tree', '-r', '-z', '--name-only', '--no-renames', headTree, tree] : ['ls-tree', '-r', '-z', '--name-only', tree];
  return splitZ(await gitOut(repo, args));
}

/**
 * `tree` and, added to it as they are on disk (bytes, no filter), the ignored files and symlinks
 * where `paths` will be written: at a path, under a folder at a path, or in place of one of its
 * folders. `git status` and `git add` pass them over, and a write replaces them. Costs nothing
 * when none of the paths is on disk, one `check-ignore` when some are.
 */
async function withIgnoredInTheWay(
  repo: Repo, tree: string, paths: string[] | undefined, nestedRepos: string[], kinds = new Map<string, Kind>(),
): Promise<string> {
  const inNested = (p: string) => nestedRepos.some((n) => p === n || p.startsWith(`${n}/`));
  const onDisk = new Set<string>();
  for (const p of paths ?? []) {
    const at = inTheWayOf(repo.top, p, kinds);
    if (at !== null && !inNested(at)) onDisk.add(at);
  }
  if (onDisk.size === 0) return tree;
  // the ignored ones: tracked files and untracked ones that are not ignored are in the snapshot
  const literal = { GIT_LITERAL_PATHSPECS: '1' };
  const { stdout } = await git(repo, ['check-ignore', '-z', '--stdin'], { env: literal, input: [...onDisk].map((p) => `${p}\0`).join(''), okExitCodes: [1] });
  const ignored = splitZ(stdout);
  if (ignored.length === 0) return tree;
  const folders = ignored.filter((p) => kindOf(repo.top, p, kinds) === 'dir');
  const inFolders = folders.length
    ? splitZ(await gitOut(repo, ['ls-files', '-z', '--others', '--ignored', '--exclude-standard', '--', ...folders], { env: literal })).filter((p) => !p.endsWith('/') && !inNested(p))
    : [];
  const links: string[] = [];
  const files: string[] = [];
  for (const p of [...ignored.filter((p) => kindOf(repo.top, p, kinds) !== 'dir'), ...inFolders]) {
    const st = lstatSync(path.join(repo.top, p), { throwIfNoEntry: false });
    if (st?.isSymbolicLink()) {
      const blob = await gitOut(repo, ['hash-object', '-w', '--stdin'], { input: readlinkSync(path.join(repo.top, p)) });
      links.push(`120000 ${blob}\t${p}\0`);
    } else if (st?.isFile()) files.push(p);
  }
  const info = links.join('') + (files.length ? await rawIndexInfo(repo, files) : '');
  if (!info) return tree;
  return withTempIndex(repo, async (env) => {
    await git(repo, ['read-tree', tree], { env });
    await git(repo, ['update-index', '-z', '--index-info'], { env, input: info });
    return gitOut(repo, ['write-tree'], { env });
  });
}

export type Kind = 'dir' | 'other' | 'none';

/** What is at `rel` under `top` (lstat: a symlink is 'other'), looked at once per map. */
export function kindOf(top: string, rel: string, kinds: Map<string, Kind>): Kind {
  let k = kinds.get(rel);
  if (k === undefined) {
    const st = lstatHere(path.join(top, rel));
    k = st === undefined ? 'none' : st.isDirectory() ? 'dir' : 'other';
    kinds.set(rel, k);
  }
  return k;
}

/**
 * What is on disk where `rel` is written: a file or symlink in place of one of its folders
 * (looked at from the top: a link to a folder is not followed), `rel` itself, or null.
 */
function inTheWayOf(top: string, rel: string, kinds: Map<string, Kind>): string | null {
  for (let i = rel.indexOf('/'); i > 0; i = rel.indexOf('/', i + 1)) {
    const dir = rel.slice(0, i);
    const k = kindOf(top, dir, kinds);
    if (k === 'none') return null;
    if (k === 'other') return dir;
  }
  return kindOf(top, rel, kinds) === 'none' ? null : rel;
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
async function unchangedForGit(repo: Repo, headTree: string, differ: string[], bytes: string[]): Promise<boolean> {
  const converted = new Set(bytes);
  // a file gone from the work tree is a change, whatever HEAD holds
  if (differ.some((p) => !converted.has(p) || !existsSync(path.join(repo.top, p)))) return false;
  return (await sameAsTree(repo, headTree, differ)).size === differ.length;
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
