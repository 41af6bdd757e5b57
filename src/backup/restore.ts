/**
 * Restores an archive into a folder, safely:
 * 1. the archive is verified in full against its manifest, and every entry is checked against
 *    restore's safety rules (restore-safety.ts) before anything is written;
 * 2. it is extracted with node-tar (never preservePaths, never owners) into a fresh folder
 *    beside DIR, modes are set from the manifest (so the umask does not matter), and that
 *    folder is compared with the manifest byte for byte;
 * 3. only then does it move into place: renamed to DIR when DIR is new or empty, else merged
 *    entry by entry with renames (a rename replaces a symlink, never writes through it), after
 *    checking that nothing in DIR is a symlink or a file where the archive needs a folder.
 * Files replaced in a work tree are moved aside (not deleted), and the run is journaled.
 */
import { readlinkSync, type Stats } from 'node:fs';
import { lstat, mkdir, readdir, rename, rmdir, chmod, stat } from 'node:fs/promises';
import path from 'node:path';
import { extract, ReadEntry } from 'tar';
import { MANIFEST_NAME, sha256Of, walkTree, type Manifest, type ManifestEntry } from './manifest.js';
import { verifyArchive } from './verify-archive.js';
import { fsSegments, headerRisk, manifestRisks } from './restore-safety.js';
import { OperationError, UsageError } from '../errors.js';
import { withTempPaths } from '../util/interrupt.js';
import { tempSuffix } from '../util/temp-name.js';
import { msg } from '../messages.js';

export interface RestorePlan {
  archive: string;
  dir: string;
  manifest: Manifest;
  /** DIR exists and has something in it: the archive is merged over it. */
  merge: boolean;
  /** Paths in DIR the archive would replace (merge only). */
  replaces: string[];
  /** Paths in DIR that are already what the archive has (merge only): left as they are. */
  same: string[];
}

export interface RestoreResult {
  dir: string;
  files: number;
  symlinks: number;
  bytes: number;
  replaced: number;
  /** Where replaced files were moved, when they were kept. */
  movedAsideTo: string | null;
}

async function lstatOrNull(p: string) {
  return lstat(p).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT' || err.code === 'ENOTDIR') return null;
    throw err;
  });
}

/**
 * Whether what is at `abs` (its lstat `st`) is already the manifest's entry: a file of the same
 * size, permission bits and sha256, or a symlink to the same target. Restoring it changes nothing.
 */
function sameAsEntry(abs: string, st: Stats, e: ManifestEntry): boolean {
  if (e.type === 'symlink') return st.isSymbolicLink() && readlinkSync(abs) === e.target;
  return e.type === 'file' && st.isFile() && st.size === e.size && (st.mode & 0o7777) === e.mode && sha256Of(abs, e.size) === e.sha256;
}

/** Is DIR there, and does it hold anything? A path that is not a folder is refused. */
export async function inspectTarget(dir: string): Promise<{ exists: boolean; empty: boolean }> {
  const st = await stat(dir).catch(() => null);
  if (!st) return { exists: false, empty: true };
  if (!st.isDirectory()) throw new UsageError(msg.restoreNotDir(dir));
  return { exists: true, empty: (await readdir(dir)).length === 0 };
}

/**
 * Reads the archive once: integrity against the manifest and the safety rules for every
 * entry. Unsafe entries are refused input (exit 2), damage is a failed check (exit 1).
 */
async function verifyForRestore(archive: string): Promise<Manifest> {
  const unsafe: string[] = [];
  const check = await verifyArchive(archive, undefined, {
    check: (e) => {
      const risk = headerRisk(e);
      if (risk) unsafe.push(risk);
      return null;
    },
  });
  if (unsafe.length) throw new UsageError(msg.restoreUnsafe(archive, unsafe[0]));
  if (!check.ok || !check.manifest) throw new OperationError(msg.restoreDamaged(archive, check.problems[0] ?? 'no manifest'));
  const risks = manifestRisks(check.manifest);
  if (risks.length) throw new UsageError(msg.restoreUnsafe(archive, risks[0]));
  return check.manifest;
}

/**
 * For a merge: refuses (before anything is written) when a folder on the way is a symlink or
 * not a folder, or when an entry would replace a folder by a file or a file by a folder.
 * Returns the paths that will be replaced, and those already as the archive has them.
 */
async function checkMerge(dir: string, manifest: Manifest): Promise<{ replaces: string[]; same: string[] }> {
  const replaces: string[] = [];
  const same: string[] = [];
  const seen = new Map<string, Awaited<ReturnType<typeof lstatOrNull>>>();
  const look = async (rel: string) => {
    if (!seen.has(rel)) seen.set(rel, await lstatOrNull(path.join(dir, rel)));
    return seen.get(rel)!;
  };
  for (const e of manifest.entries) {
    const parts = fsSegments(e.path);
    // Over an existing tree, never into a repository's own folder (hooks there run code).
    if (parts.some((p) => p.toLowerCase() === '.git')) throw new UsageError(msg.restoreConflict(msg.restoreIntoGitFolder(e.path)));
    for (let i = 1; i < parts.length; i++) {
      const parent = parts.slice(0, i).join('/');
      const st = await look(parent);
      if (!st) break;
      if (st.isSymbolicLink()) throw new UsageError(msg.restoreConflict(msg.restoreThroughLink(parent, dir, e.path)));
      if (!st.isDirectory()) throw new UsageError(msg.restoreConflict(msg.restoreFileForFolder(parent, dir)));
    }
    const st = await look(parts.join('/'));
    if (!st) continue;
    if (e.type === 'dir' && st.isSymbolicLink()) throw new UsageError(msg.restoreConflict(msg.restoreBelowLink(e.path, dir)));
    if (e.type === 'dir' && !st.isDirectory()) throw new UsageError(msg.restoreConflict(msg.restoreFileNotFolder(e.path, dir)));
    if (e.type !== 'dir' && st.isDirectory()) throw new UsageError(msg.restoreConflict(msg.restoreFolderNotFile(e.path, dir, e.type)));
    if (e.type !== 'dir') (sameAsEntry(path.join(dir, e.path), st, e) ? same : replaces).push(e.path);
  }
  return { replaces, same };
}

/** How many symlinks a manifest lists (its `files` counts regular files only). */
export const symlinksOf = (manifest: Manifest) => manifest.entries.filter((e) => e.type === 'symlink').length;

/** Verifies and checks everything; changes nothing. */
export async function planRestore(archive: string, dir: string): Promise<RestorePlan> {
  const target = await inspectTarget(dir);
  const manifest = await verifyForRestore(archive);
  const merge = target.exists && !target.empty;
  const { replaces, same } = merge ? await checkMerge(dir, manifest) : { replaces: [], same: [] };
  return { archive, dir, manifest, merge, replaces, same };
}

/** Differences between a folder and the manifest (content, modes, links, extra files). */
async function compareWithManifest(root: string, manifest: Manifest): Promise<string[]> {
  const { entries } = await walkTree(root, () => false);
  const want = new Map(manifest.entries.map((e) => [fsSegments(e.path).join('/'), e]));
  const diffs: string[] = [];
  const same = (a: ManifestEntry, b: ManifestEntry) =>
    a.type === b.type && a.size === b.size && a.sha256 === b.sha256 && a.target === b.target && (a.type === 'symlink' || a.mode === b.mode);
  for (const got of entries) {
    const w = want.get(got.path);
    if (!w) diffs.push(msg.restoreUnexpected(got.path));
    else if (!same(got, w)) diffs.push(msg.restoreDiffers(got.path));
    want.delete(got.path);
  }
  for (const p of want.keys()) diffs.push(msg.restoreMissing(p));
  return diffs;
}

/** Extracts into `tmp`, a fresh folder beside `dir`, sets the manifest's modes, proves the result. */
async function extractVerified(plan: RestorePlan, tmp: string): Promise<void> {
  await mkdir(tmp, { mode: 0o700 });
  await extract({
    file: plan.archive,
    cwd: tmp,
    strict: true,
    preserveOwner: false,
    filter: (p, entry) => {
      if (fsSegments(p).join('/') === MANIFEST_NAME) return false;
      // Checked already; checked again in case the file changed since (the result is
      // compared with the manifest anyway).
      if (entry instanceof ReadEntry && headerRisk({ path: p, type: entry.type, linkpath: entry.linkpath, mode: entry.mode })) return false;
      // Writable while extracting (a read-only folder must still receive its files);
      // the manifest's exact modes are applied afterwards.
      if (entry instanceof ReadEntry && typeof entry.mode === 'number') entry.mode |= entry.type === 'Directory' ? 0o700 : 0o600;
      return true;
    },
  });
  const entries = plan.manifest.entries;
  for (const e of [...entries].reverse()) if (e.type !== 'symlink') await chmod(path.join(tmp, e.path), e.mode);
  const diffs = await compareWithManifest(tmp, plan.manifest);
  if (diffs.length) throw new OperationError(msg.restoreMismatch(diffs));
}

/**
 * Moves the extracted tree into DIR entry by entry; replaced files go to `aside` when given. A
 * file that is already what the archive has (looked at again: it may have changed since the plan)
 * is left as it is, neither replaced nor moved aside.
 */
async function merge(tmp: string, plan: RestorePlan, aside: string | null): Promise<number> {
  let replaced = 0;
  const dirs: ManifestEntry[] = [];
  const same = new Set(plan.same);
  for (const e of plan.manifest.entries) {
    const from = path.join(tmp, e.path);
    const to = path.join(plan.dir, e.path);
    const there = await lstatOrNull(to);
    if (e.type === 'dir') {
      if (!there) await mkdir(to, { mode: 0o700 });
      dirs.push(e);
      continue;
    }
    if (there && same.has(e.path) && sameAsEntry(to, there, e)) continue;
    if (there) {
      replaced++;
      if (aside) {
        await mkdir(path.dirname(path.join(aside, e.path)), { recursive: true, mode: 0o700 });
        await rename(to, path.join(aside, e.path));
      }
    }
    await rename(from, to);
  }
  for (const e of dirs.reverse()) await chmod(path.join(plan.dir, e.path), e.mode);
  return replaced;
}

/** Renames the extracted tree to DIR, new or empty (its mode kept), never over anything in it. */
async function moveInto(tmp: string, dir: string): Promise<void> {
  if ((await inspectTarget(dir)).exists) {
    const mode = (await stat(dir)).mode & 0o7777;
    await rmdir(dir); // empty, checked in the plan; fails if something appeared meanwhile
    await chmod(tmp, mode);
  } else {
    await chmod(tmp, 0o777 & ~process.umask());
  }
  await rename(tmp, dir);
}

/**
 * Carries out a plan. `aside` is where replaced files are moved (a work tree's restore keeps
 * them for undo); null replaces them. The archive is extracted into a fresh folder beside DIR,
 * removed however the restore ends (Ctrl-C included) unless it became DIR.
 */
export async function applyRestore(plan: RestorePlan, aside: string | null): Promise<RestoreResult> {
  const parent = path.dirname(plan.dir);
  await mkdir(parent, { recursive: true });
  const tmp = path.join(parent, `.reorg-guard-restore-${tempSuffix()}`);
  const replaced = await withTempPaths([tmp], async () => {
    await extractVerified(plan, tmp);
    if (plan.merge) return merge(tmp, plan, aside);
    await moveInto(tmp, plan.dir);
    return 0;
  });
  const files = plan.manifest.entries.filter((e) => e.type === 'file');
  return {
    dir: plan.dir,
    files: files.length,
    symlinks: symlinksOf(plan.manifest),
    bytes: files.reduce((n, e) => n + e.size, 0),
    replaced,
    movedAsideTo: aside && replaced ? aside : null,
  };
}
