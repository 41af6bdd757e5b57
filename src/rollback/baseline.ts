/**
 * The baseline: the backup verify and rollback compare with unless told otherwise. It belongs
 * to the branch (its commit is in the branch's history, or this clone recorded it as taken on
 * the branch: a backup of another branch's or another clone's commits is never the default),
 * and it is the
 * newest of those pinned (`backup --baseline`), else the newest whose state is from before the
 * migration began (no new layout root, the old layout there, no config file set aside as
 * `<file>.backup` or rewritten to name the new root), else the newest, with a warning.
 */
import type { Config } from '../config.js';
import type { Repo } from '../git/repo.js';
import { refsMergedInto } from '../git/refs.js';
import { objectTypesAndCommits } from '../git/objects.js';
import { GitError } from '../git/exec.js';
import type { BackupInfo } from '../backup/list.js';
import { backupBranchPrefix, branchRef, remoteBranchPrefix, trackingPrefix } from '../git/ref-names.js';
import { layoutOf } from './layout.js';

/** Why a backup was chosen: pinned, from before the migration, or (none was) the newest. */
export type BaselineWhy = 'pinned' | 'before-migration' | 'newest';

export interface Baseline {
  backup: BackupInfo;
  why: BaselineWhy;
  /** Config files a newer backup had set aside or rewritten for the new layout: named in the why. */
  changed?: ConfigChange[];
}

/** The backup branches (local and the remote's) whose commit is in the history of `head`: one for-each-ref --merged. */
export const mergedBackups = (repo: Repo, config: Config, head: string) => refsMergedInto(repo, [backupBranchPrefix(config), remoteBranchPrefix(config)], head);

/**
 * The backups that belong to `branch` (refs/heads/x, or null when detached) at `head`, newest
 * first. Which backups are in the history of `head` (one for-each-ref --merged) is asked only
 * when a backup's belonging depends on it: not when each was recorded as taken on this branch
 * by this clone (the usual case), which says it alone.
 */
export async function backupsOfBranch(
  repo: Repo, config: Config, backups: BackupInfo[], branch: string | null, head: string | null,
): Promise<BackupInfo[]> {
  if (backups.length === 0) return [];
  const here = branch ?? 'detached';
  // Recorded as taken on this branch by this clone (a commit --amend or a rebase replaced since).
  // (Two detached HEADs share no branch: there only the history says.)
  const recordedHere = (b: BackupInfo) => (b.record?.branch ?? null) === here && b.local && branch !== null;
  if (backups.every(recordedHere)) return [...backups];
  // which backup commits are in this branch's history
  const merged = head ? await mergedBackups(repo, config, head) : new Set<string>();
  const inHistory = (b: BackupInfo) => merged.has(branchRef(b.name)) || merged.has(`${trackingPrefix(config.remote)}${b.name}`);
  return backups.filter((b) => {
    if (recordedHere(b)) return true;
    const on = b.record?.branch ?? null;
    // In this branch's history: a state of this branch, unless it also holds the uncommitted
    // work of another branch's work tree (its snapshot).
    return inHistory(b) && (on === null || on === here || !b.snapshot);
  });
}

/**
 * The newest backup in `mine` from before the migration (one cat-file for all of them), or -1:
 * its state (snapshot, else commit) has no new layout root, has the old layout (unless no
 * backup has it at all: a repository that never had it has nothing to migrate from), and has
 * no config file of the new layout. The migration's first step, often committed before any
 * proto moves, rewrites the buf config: it sets the old file aside as `<file>.backup`, or it
 * rewrites it in place to name the new root (`path: proto`). A sign every backup shows is the
 * repository's own (a `.backup` it keeps, a root it always named), not the migration's.
 * `changed`: the config files so changed in a newer backup, so that the choice can say why a
 * newer one was passed over.
 */
async function newestBeforeMigration(repo: Repo, config: Config, mine: BackupInfo[]): Promise<{ index: number; changed: ConfigChange[] }> {
  const layout = layoutOf(config);
  const newRoot = layout.newRoot.replace(/\/$/, '');
  // The old layout's fixed part (`pkg` of `pkg/<domain>/proto/`): there before the migration.
  const { oldRoot } = layout;
  const files = config.configFiles.map((c) => c.replace(/^\.?\//, ''));
  const check = async (state: (b: BackupInfo) => string, commits: string[]) => {
    const specs = mine.flatMap((b) => [
      `${state(b)}:${newRoot}`,
      ...(oldRoot ? [`${state(b)}:${oldRoot}`] : []),
      ...files.flatMap((f) => [`${state(b)}:${f}`, `${state(b)}:${f}.backup`]),
    ]);
    // the commits a rollback to one of them reads next (backup-target.ts), read in the same process
    const { types, blobs } = await objectTypesAndCommits(repo, specs, commits);
    const hasOld = (b: BackupInfo) => !oldRoot || types.get(`${state(b)}:${oldRoot}`) === 'tree';
    const anyOld = mine.some(hasOld);
    const signsOf = (b: BackupInfo): ConfigChange[] => files.flatMap((file): ConfigChange[] => {
      if (types.get(`${state(b)}:${file}.backup`) != null) return [{ file, how: 'set-aside' }];
      const text = blobs.get(`${state(b)}:${file}`);
      return text && namesRoot(text.toString('utf8'), newRoot) ? [{ file, how: 'rewritten' }] : [];
    });
    const signs = mine.map(signsOf);
    const same = (c: ConfigChange) => (d: ConfigChange) => d.file === c.file && d.how === c.how;
    // a sign every backup shows is the repository's own
    const telling = signs.map((s) => s.filter((c) => signs.some((t) => !t.some(same(c)))));
    const index = mine.findIndex((b, i) => types.get(`${state(b)}:${newRoot}`) === null && (hasOld(b) || !anyOld) && telling[i].length === 0);
    const changed: ConfigChange[] = [];
    for (const c of telling.slice(0, index < 0 ? mine.length : index).flat()) if (!changed.some(same(c))) changed.push(c);
    return { index, changed };
  };
  try {
    return await check((b) => b.snapshot ?? b.commit, commitsOf(mine));
  } catch (err) {
    // A damaged snapshot (its tree missing) fails cat-file: judge by the commits ('verify backups' names the damage).
    if (!(err instanceof GitError)) throw err;
    return check((b) => b.commit, []).catch((e) => {
      if (e instanceof GitError) return { index: -1, changed: [] };
      throw e;
    });
  }
}

/** A config file the migration changed: set aside as `<file>.backup`, or rewritten to name the new root. */
export interface ConfigChange {
  file: string;
  how: 'set-aside' | 'rewritten';
}

/**
 * Does a YAML config name `root` (`proto/gcommon/v1`) or a leading part of it (`proto`,
 * `./proto/`) as a whole value: `path: proto`, `- directory: proto/gcommon`? Comments are
 * passed over; a longer path (`proto/thirdparty`, `pkg/auth/proto`) is not the root.
 */
export function namesRoot(yaml: string, root: string): boolean {
  const parts = root.split('/').filter(Boolean).map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  if (parts.length === 0) return false;
  // proto(?:/gcommon(?:/v1)?)?
  const path = parts[0] + parts.slice(1).reduceRight((inner, p) => `(?:/${p}${inner})?`, '');
  const value = new RegExp(`(?:^|[\\s:\\[,{'"-])(?:\\./)?${path}/?(?=$|[\\s,\\]}'"])`);
  return yaml.split(/\r?\n/).some((line) => value.test(line.replace(/(?:^|\s)#.*$/, '')));
}

/**
 * The commits a rollback to a backup reads (its snapshot, the snapshot's parents, the backup's
 * commit; a backup without a snapshot, its commit for its tree), for the newest backups: the
 * baseline is seldom far down the list.
 */
function commitsOf(mine: BackupInfo[]): string[] {
  return mine.slice(0, 16).flatMap((b) => (b.snapshot ? [`${b.snapshot}^{commit}`, `${b.snapshot}^1`, `${b.snapshot}^2`, b.commit] : [b.commit]));
}

/** The baseline among `mine` (the branch's backups, newest first), or null when there is none. */
export async function chooseBaseline(repo: Repo, config: Config, mine: BackupInfo[]): Promise<Baseline | null> {
  if (mine.length === 0) return null;
  const pinned = mine.find((b) => b.record?.pinned);
  if (pinned) return { backup: pinned, why: 'pinned' };
  const { index, changed } = await newestBeforeMigration(repo, config, mine);
  return index >= 0 ? { backup: mine[index], why: 'before-migration', changed } : { backup: mine[0], why: 'newest' };
}
