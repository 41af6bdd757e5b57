/**
 * The work tree and the index measured against a tree, and brought to it: the plumbing of
 * rollbacks and undo. Temporary indexes do the work, so the user's index is only written when
 * a restore asks for it.
 */
import { copyFile } from 'node:fs/promises';
import { existsSync, lstatSync } from 'node:fs';
import path from 'node:path';
import { git, gitOut, splitZ } from './exec.js';
import type { Repo } from './repo.js';
import { withTempIndex } from './snapshot.js';
import { updateRefs, type RefSession, type RefUpdate } from './refs.js';
import type { TreeEntry } from './tree.js';
import { pathsToWriteRaw, writeRaw } from './filters.js';

type IndexEnv = { GIT_INDEX_FILE: string };

/**
 * Loads `tree` into the index named by env. Starting from a copy of the real index keeps the
 * stat data of unchanged files (`read-tree --reset` reuses it), so only changed files are hashed.
 */
async function loadTree(repo: Repo, tree: string, env: IndexEnv): Promise<void> {
  if (existsSync(repo.indexFile)) await copyFile(repo.indexFile, env.GIT_INDEX_FILE);
  await git(repo, ['read-tree', '--reset', tree], { env });
  await git(repo, ['update-index', '-q', '--refresh'], { env, okExitCodes: [1] });
}

/**
 * Brings the stat data of the user's index up to date, as `git status` does on its way (the
 * entries are not changed): when the index was written in the same second as files it holds,
 * git cannot trust their stat data and reads those files again in every later command, and
 * every temporary index copied from it inherits that. Skipped when another git holds the lock.
 */
export async function refreshIndex(repo: Repo): Promise<void> {
  if (existsSync(repo.indexFile)) await git(repo, ['update-index', '-q', '--refresh'], { okExitCodes: [1, 128] });
}

/** Every file git sees in the work tree: tracked ones that exist, and untracked ones that are not ignored. */
export async function listWorkFiles(repo: Repo): Promise<string[]> {
  const [all, deleted] = await Promise.all([
    gitOut(repo, ['ls-files', '-z', '--cached', '--others', '--exclude-standard']),
    gitOut(repo, ['ls-files', '-z', '--deleted']),
  ]);
  const gone = new Set(splitZ(deleted));
  return [...new Set(splitZ(all))].filter((p) => !gone.has(p) && !isNestedRepo(p));
}

export interface WorkDiff {
  /** Files of the tree whose content or mode differs in the work tree. */
  changed: string[];
  /** Files of the tree that the work tree lacks. */
  missing: string[];
  /** Files in the work tree that the tree lacks: untracked-not-ignored ones, and tracked ones. */
  extra: string[];
}

/** How the work tree differs from `tree`. Ignored untracked files are never part of it. */
export async function diffWorkTree(repo: Repo, tree: string): Promise<WorkDiff> {
  return withTempIndex(repo, async (env) => {
    await loadTree(repo, tree, env);
    const [files, others, tracked] = await Promise.all([
      // submodules are gitlinks: the index brings their commit back, their own work is another repository's
      gitOut(repo, ['diff-files', '-z', '--name-status', '--ignore-submodules=all'], { env }),
      gitOut(repo, ['ls-files', '-z', '--others', '--exclude-standard'], { env }),
      // in the user's index but not in the tree (even when ignored: tracked files are not ignored)
      gitOut(repo, ['diff-index', '--cached', '-z', '--name-only', '--no-renames', '--diff-filter=A', '--ignore-submodules=all', tree]),
    ]);
    const changed: string[] = [];
    const missing: string[] = [];
    const rec = splitZ(files);
    for (let i = 0; i + 1 < rec.length; i += 2) (rec[i] === 'D' ? missing : changed).push(rec[i + 1]);
    const extra = new Set(splitZ(others).filter((p) => !isNestedRepo(p)));
    for (const p of splitZ(tracked)) if (exists(path.join(repo.top, p))) extra.add(p);
    return { changed, missing, extra: [...extra] };
  });
}

/**
 * git lists an untracked repository of its own as `dir/`: snapshots leave it out (git cannot
 * hold its content), so rollbacks and undo never touch it either.
 */
const isNestedRepo = (p: string) => p.endsWith('/');

function exists(file: string): boolean {
  try {
    lstatSync(file);
    return true;
  } catch {
    return false;
  }
}

/**
 * Writes the given blobs into the work tree, byte for byte with their modes (symlinks as links).
 * Entries that hold bytes (`raw`) and that git would convert go around git's conversion.
 */
export async function writeEntries(repo: Repo, all: TreeEntry[]): Promise<void> {
  if (all.length === 0) return;
  const bytes = await pathsToWriteRaw(repo, all);
  const entries = bytes.size ? all.filter((e) => !bytes.has(e.path)) : all;
  if (bytes.size) await writeRaw(repo, all.filter((e) => bytes.has(e.path)));
  if (entries.length === 0) return;
  await withTempIndex(repo, async (env) => {
    const info = entries.map((e) => `${e.mode} ${e.blob}\t${e.path}\0`).join('');
    await git(repo, ['update-index', '-z', '--index-info'], { env, input: info });
    await git(repo, ['checkout-index', '-f', '-z', '--stdin'], { env, input: entries.map((e) => `${e.path}\0`).join('') });
  });
}

/**
 * Makes the user's index hold `tree` (stat data kept where files match, so status stays fast),
 * then the `intentToAdd` paths that exist as intended to add, as `git add -N` left them.
 */
export async function setIndex(repo: Repo, tree: string, intentToAdd: string[] = []): Promise<void> {
  await git(repo, ['read-tree', '--reset', tree]);
  await git(repo, ['update-index', '-q', '--refresh'], { okExitCodes: [1] });
  await markIntentToAdd(repo, intentToAdd);
}

/** Marks the paths that exist as intended to add, as `git add -N` left them. */
async function markIntentToAdd(repo: Repo, intentToAdd: string[]): Promise<void> {
  const there = intentToAdd.filter((p) => lstatSync(path.join(repo.top, p), { throwIfNoEntry: false }));
  if (there.length) {
    // --force: an ignored path that was marked stays marked, as it was
    await git(repo, ['--literal-pathspecs', 'add', '--intent-to-add', '--force', '--pathspec-from-file=-', '--pathspec-file-nul'], {
      input: there.map((p) => `${p}\0`).join(''),
    });
  }
}

/**
 * Brings the tracked files and the user's index to `tree` in one git process, the way `git reset
 * --hard` does: `read-tree -u --reset` writes the files that differ from it (modified ones too),
 * overwrites untracked files in their way, removes the index's files the tree lacks, and records
 * the stat data of what it writes as it writes it (nothing is hashed again afterwards).
 * Untracked files the tree lacks are left to the caller. Only where git converts nothing (the
 * caller checked): git then writes the blobs' bytes as they are.
 */
export async function resetToTree(repo: Repo, tree: string): Promise<void> {
  await git(repo, ['read-tree', '-u', '--reset', tree]);
}

/**
 * Makes the user's index hold `tree` without reading the work tree: entries that stay the same
 * keep their stat data (fresh after resetToTree), the others get none, as for any staged
 * change. Then the `intentToAdd` paths that exist are marked again.
 */
export async function setIndexOnly(repo: Repo, tree: string, intentToAdd: string[] = []): Promise<void> {
  await git(repo, ['read-tree', '--reset', tree]);
  await markIntentToAdd(repo, intentToAdd);
}

/**
 * Points HEAD where it was: `branch` (refs/heads/x) set to `head` and checked out, or a detached
 * HEAD at `head` when branch is null. The work tree and index are not touched.
 */
export async function setHead(
  repo: Repo, head: string | null, branch: string | null, reason = 'reorg-guard', onBranch?: string | null, refs?: RefSession,
): Promise<void> {
  // through the operation's update-ref when it has one running (refs.ts openRefSession)
  const update = (u: RefUpdate) => (refs ? refs.update([u]) : updateRefs(repo, [u], reason));
  if (branch) {
    if (head) await update({ op: 'update', ref: branch, value: head });
    else await update({ op: 'delete', ref: branch });
    // `onBranch`: the branch HEAD is known to name already (the update above moved HEAD with it)
    if (onBranch !== branch) await git(repo, ['symbolic-ref', '-m', reason, 'HEAD', branch]);
  } else if (head) {
    await git(repo, ['update-ref', '--no-deref', '-m', reason, 'HEAD', head]);
  }
}

/** Uncommitted paths (staged, unstaged, untracked but not ignored), as `git status` names them. */
export async function uncommittedPaths(repo: Repo): Promise<string[]> {
  const { stdout } = await git(repo, ['status', '--porcelain=v1', '-z', '--untracked-files=all']);
  const records = splitZ(stdout);
  const paths: string[] = [];
  for (let i = 0; i < records.length; i++) {
    paths.push(records[i].slice(3));
    if (/[RC]/.test(records[i].slice(0, 2))) i++; // a rename or copy: the next record is its source
  }
  return paths;
}

/**
 * Puts index and tracked files back to HEAD and removes untracked files that are not ignored.
 * Destroys uncommitted work: call only after it was saved in a snapshot (beginOperation).
 */
export async function clearUncommitted(repo: Repo): Promise<void> {
  await git(repo, ['reset', '-q', '--hard', 'HEAD']);
  await git(repo, ['clean', '-q', '-d', '-f', '--', ':/']);
}

/** Paths of files in `rev` under `prefix` (a folder, e.g. `pkg/`), in one ls-tree. */
export async function filesAt(repo: Repo, rev: string, prefix: string): Promise<string[]> {
  const { stdout } = await git(repo, ['ls-tree', '-r', '-z', '--name-only', '--full-tree', rev, '--', prefix]);
  return splitZ(stdout);
}

/** Which of `paths` differ between `rev` and the work tree (deleted ones included), in one diff. */
export async function changedSince(repo: Repo, rev: string, paths: string[]): Promise<string[]> {
  if (paths.length === 0) return [];
  const { stdout } = await git(repo, ['diff', '--no-ext-diff', '--no-renames', '--name-only', '-z', rev, '--', ...paths.map((p) => `:(literal)${p}`)]);
  return splitZ(stdout);
}

const TRACKED = /^[0-7]{6} [0-9a-f]{40,64} [0-3]\t/;

/**
 * Every file git sees in the work tree (as listWorkFiles), and the blob of each tracked file
 * whose work-tree copy equals its index entry (stage 0, not reported by diff-files): its bytes
 * can then be read from the object store, many in one batch, and its content is known by id
 * without reading it. Modified, conflicted, untracked files, symlinks and gitlinks have no
 * blob here. Two git processes: `ls-files -s` with the untracked files, and `diff-files`.
 * `pathspecs` (git's, e.g. `*.proto`) limits both, so git checks only those files on disk.
 */
export async function workFileBlobs(repo: Repo, pathspecs: string[] = []): Promise<{ files: string[]; unchanged: Map<string, string> }> {
  const only = pathspecs.length ? ['--', ...pathspecs] : [];
  const [listed, changed] = await Promise.all([
    gitOut(repo, ['ls-files', '-z', '-s', '--cached', '--others', '--exclude-standard', ...only]),
    gitOut(repo, ['diff-files', '-z', '--name-status', ...only]),
  ]);
  const dirty = new Set<string>();
  const gone = new Set<string>();
  const rec = splitZ(changed);
  for (let i = 0; i + 1 < rec.length; i += 2) (rec[i] === 'D' ? gone : dirty).add(rec[i + 1]);
  const files = new Set<string>();
  const unchanged = new Map<string, string>();
  for (const r of splitZ(listed)) {
    // tracked: "<mode> SP <object> SP <stage> TAB <path>"; untracked: the path alone
    const tab = TRACKED.test(r) ? r.indexOf('\t') : -1;
    if (tab < 0) {
      if (!isNestedRepo(r)) files.add(r);
      continue;
    }
    const p = r.slice(tab + 1);
    if (gone.has(p)) continue;
    files.add(p);
    const [mode, blob, stage] = r.slice(0, tab).split(' ');
    if (stage === '0' && (mode === '100644' || mode === '100755') && !dirty.has(p)) unchanged.set(p, blob);
  }
  return { files: [...files], unchanged };
}
