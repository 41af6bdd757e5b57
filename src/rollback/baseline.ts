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

/** Why a backup was chosen: pinned, from before the migration (a backup, or a newer commit of the branch), or (none was) the newest. */
export type BaselineWhy = 'pinned' | 'before-migration' | 'commit-before-migration' | 'newest';

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

/** How far back HEAD's first-parent line is looked at for its last commit from before the migration. */
const LINE_DEPTH = 256;
/** Of those, how many are judged in the first cat-file (the one that judges the backups): most migrations are shorter. */
const LINE_FIRST = 8;

/**
 * The newest backup in `mine` from before the migration (`index`), and the newest commit of
 * HEAD's first-parent line from before it (`commit`, with the line's commits read so far,
 * newest first). A state (a backup's snapshot, else its commit; a commit of the line) is from
 * before the migration when it has no new layout root, has the old layout (unless no state has
 * it at all: a repository that never had it has nothing to migrate from), and has no config
 * file of the new layout. The migration's first step, often committed before any proto moves,
 * rewrites the buf config: it sets the old file aside as `<file>.backup`, or it rewrites it in
 * place to name the new root (`path: proto`). A sign every state shows is the repository's own
 * (a `.backup` it keeps, a root it always named), not the migration's. `changed`: the config
 * files so changed in a newer backup, so that the choice can say why a newer one was passed
 * over. The backups and the line's first commits (`<head>~k`) are judged in one cat-file; more
 * of the line, in growing steps, only when those are all migrated. The line names a commit only
 * when HEAD is migrated: a HEAD from before (the migration not committed yet, or a layout this
 * check cannot tell) leaves the choice to the backups.
 */
async function newestBeforeMigration(
  repo: Repo, config: Config, mine: BackupInfo[], head: string | null,
): Promise<{ index: number; commit: string | null; line: string[]; changed: ConfigChange[] }> {
  const layout = layoutOf(config);
  const newRoot = layout.newRoot.replace(/\/$/, '');
  // The old layout's fixed part (`pkg` of `pkg/<domain>/proto/`): there before the migration.
  const { oldRoot } = layout;
  const files = config.configFiles.map((c) => c.replace(/^\.?\//, ''));
  const specsOf = (rev: string) => [`${rev}:${newRoot}`, ...(oldRoot ? [`${rev}:${oldRoot}`] : []), ...files.flatMap((f) => [`${rev}:${f}`, `${rev}:${f}.backup`])];
  const judge = async (backupRevs: string[], depth: number, commits: string[]) => {
    const lineRevs = head ? Array.from({ length: depth }, (_, k) => `${head}~${k}`) : [];
    // the commits a rollback to one of them reads next (backup-target.ts), read in the same process
    const { types, ids, blobs } = await objectTypesAndCommits(repo, [...lineRevs, ...[...backupRevs, ...lineRevs].flatMap(specsOf)], commits);
    // the line ends at its first commit (`~k` past it is missing)
    const line = lineRevs.filter((r) => ids.has(r));
    const revs = [...backupRevs, ...line];
    const hasOld = (rev: string) => !oldRoot || types.get(`${rev}:${oldRoot}`) === 'tree';
    const anyOld = revs.some(hasOld);
    const signs = revs.map((rev) => files.flatMap((file): ConfigChange[] => {
      if (types.get(`${rev}:${file}.backup`) != null) return [{ file, how: 'set-aside' }];
      const text = blobs.get(`${rev}:${file}`);
      return text && namesRoot(text.toString('utf8'), newRoot) ? [{ file, how: 'rewritten' }] : [];
    }));
    // a sign every state shows is the repository's own
    const telling = signs.map((s) => s.filter((c) => signs.some((t) => !t.some(same(c)))));
    const before = revs.map((rev, i) => types.get(`${rev}:${newRoot}`) === null && (hasOld(rev) || !anyOld) && telling[i].length === 0);
    const index = before.slice(0, backupRevs.length).indexOf(true);
    // HEAD itself from before (the migration not committed, or not one this layout tells): the line says nothing
    const at = before[backupRevs.length] ? -1 : before.slice(backupRevs.length).indexOf(true);
    const changed: ConfigChange[] = [];
    for (const c of telling.slice(0, index < 0 ? backupRevs.length : index).flat()) if (!changed.some(same(c))) changed.push(c);
    return { index, commit: at >= 0 ? ids.get(line[at])! : null, line: line.map((r) => ids.get(r)!), changed, migrated: line.length > 0 && !before[backupRevs.length], ended: line.length < depth };
  };
  const judgeAll = async (backupRevs: string[], commits: string[]) => {
    let depth = LINE_FIRST;
    let found = await judge(backupRevs, depth, commits);
    // the line's first commits are all the migration's: judged again with more of it
    while (found.commit === null && found.migrated && !found.ended && depth < LINE_DEPTH) {
      depth = Math.min(depth * 4, LINE_DEPTH);
      found = await judge(backupRevs, depth, []);
    }
    return found;
  };
  try {
    return await judgeAll(mine.map((b) => b.snapshot ?? b.commit), commitsOf(mine));
  } catch (err) {
    // A damaged snapshot (its tree missing) fails cat-file: judge by the commits ('verify backups' names the damage).
    if (!(err instanceof GitError)) throw err;
    return judgeAll(mine.map((b) => b.commit), []).catch((e) => {
      if (e instanceof GitError) return { index: -1, commit: null, line: [], changed: [] };
      throw e;
    });
  }
}

const same = (c: ConfigChange) => (d: ConfigChange) => d.file === c.file && d.how === c.how;

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

/**
 * The baseline among `mine` (the branch's backups, newest first) and HEAD's first-parent line,
 * or null when there is no backup. The newest backup from before the migration, unless the
 * line holds a newer commit from before it that no backup holds: a merge that brought the
 * migration in (no commit hook runs for it), a rebase onto a newer upstream, commits made
 * without the hooks. That commit is the baseline then (`commit-before-migration`): a rollback to
 * the older backup would take those commits off the branch, and a check against it would not
 * see what they brought.
 */
export async function chooseBaseline(repo: Repo, config: Config, mine: BackupInfo[], head: string | null): Promise<Baseline | null> {
  if (mine.length === 0) return null;
  const pinned = mine.find((b) => b.record?.pinned);
  if (pinned) return { backup: pinned, why: 'pinned' };
  const { index, commit, line, changed } = await newestBeforeMigration(repo, config, mine, head);
  const backup = index >= 0 ? mine[index] : null;
  if (commit && (!backup || (await newerThan(repo, config, line, commit, backup, head!)))) {
    return { backup: commitAsBackup(commit), why: 'commit-before-migration', changed };
  }
  return backup ? { backup, why: 'before-migration', changed } : { backup: mine[0], why: 'newest' };
}

/**
 * Is `commit` (of the line) newer than `backup`: is the backup's commit further down the line,
 * or not in HEAD's history at all (its commit rebased or amended away)? One that is in the
 * history but off the line (on a merged branch, or farther back than the line was read) is kept.
 */
async function newerThan(repo: Repo, config: Config, line: string[], commit: string, backup: BackupInfo, head: string): Promise<boolean> {
  const where = line.indexOf(backup.commit);
  if (where >= 0) return where > line.indexOf(commit);
  const merged = await mergedBackups(repo, config, head);
  return !merged.has(branchRef(backup.name)) && !merged.has(`${trackingPrefix(config.remote)}${backup.name}`);
}

/** A commit of the line, as a backup without a snapshot or a record: what verify and rollback read of a baseline. */
const commitAsBackup = (commit: string): BackupInfo => ({
  name: commit.slice(0, 12), commit, date: null, local: false, remote: false, unpushed: false, snapshot: null, record: null, recordRef: null, movedFrom: null,
});
