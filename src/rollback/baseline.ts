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
import { firstParents } from '../git/history.js';
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
/** Of those, how many are judged in the cat-file that judges the backups (`<head>~k`): most migrations are shorter. */
const LINE_FIRST = 8;

/**
 * The newest backup in `mine` from before the migration (`index`, or -1), and the newest commit
 * of HEAD's first-parent line from before it (`commit`, with the line as read, newest first). A state (a backup's snapshot, else its commit; a commit of the line) is from before
 * the migration when it has no new layout root, has the old layout (unless no backup and not
 * HEAD has it: a repository that never had it has nothing to migrate from), and has no config
 * file of the new layout. The migration's first step, often committed before any proto moves,
 * rewrites the buf config: it sets the old file aside as `<file>.backup`, or it rewrites it in
 * place to name the new root (`path: proto`). A sign the backups and HEAD all show is the
 * repository's own (a `.backup` it keeps, a root it always named), not the migration's.
 * `changed`: the config files so changed in a newer backup, so that the choice can say why a
 * newer one was passed over.
 *
 * The line names a commit only when HEAD is migrated: a HEAD from before (the migration not
 * committed yet, or a layout this check cannot tell) leaves the choice to the backups. The
 * backups and `<head>~0..7` are judged in one cat-file; when those are all migrated, the rest of
 * the line (one rev-list) in a second.
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
  /** What a state is, read from one cat-file's answers. */
  const stateOf = (types: Map<string, string | null>, blobs: Map<string, Buffer>) => (rev: string) => ({
    newRoot: types.get(`${rev}:${newRoot}`) != null,
    old: !oldRoot || types.get(`${rev}:${oldRoot}`) === 'tree',
    signs: files.flatMap((file): ConfigChange[] => {
      if (types.get(`${rev}:${file}.backup`) != null) return [{ file, how: 'set-aside' }];
      const text = blobs.get(`${rev}:${file}`);
      return text && namesRoot(text.toString('utf8'), newRoot) ? [{ file, how: 'rewritten' }] : [];
    }),
  });
  type State = ReturnType<ReturnType<typeof stateOf>>;

  const judge = async (backupRevs: string[], commits: string[]) => {
    const firstRevs = head ? Array.from({ length: LINE_FIRST }, (_, k) => `${head}~${k}`) : [];
    // the commits a rollback to one of them reads next (backup-target.ts), read in the same process
    const { types, ids, blobs } = await objectTypesAndCommits(repo, [...firstRevs, ...[...backupRevs, ...firstRevs].flatMap(specsOf)], commits);
    const read = stateOf(types, blobs);
    const backups = backupRevs.map(read);
    // the line ends at its first commit (`~k` past it is missing)
    const first = firstRevs.filter((r) => ids.has(r));
    const lineStates = first.map(read);
    // what the backups and HEAD all show is the repository's own: not a sign, not a need
    const known = [...backups, ...lineStates.slice(0, 1)];
    const anyOld = known.some((st) => st.old);
    const own = (c: ConfigChange) => known.every((st) => st.signs.some(same(c)));
    const telling = (st: State) => st.signs.filter((c) => !own(c));
    const before = (st: State) => !st.newRoot && (st.old || !anyOld) && telling(st).length === 0;
    const index = backups.findIndex(before);
    const changed: ConfigChange[] = [];
    for (const c of backups.slice(0, index < 0 ? backups.length : index).flatMap(telling)) if (!changed.some(same(c))) changed.push(c);
    let line = first.map((r) => ids.get(r)!);
    let at = lineStates.length && !before(lineStates[0]) ? lineStates.findIndex(before) : -1;
    if (at < 0 && lineStates.length === LINE_FIRST && !before(lineStates[0])) {
      // a longer migration: the rest of the line, by id
      line = await firstParents(repo, head!, LINE_DEPTH);
      const rest = line.slice(LINE_FIRST);
      const more = await objectTypesAndCommits(repo, rest.flatMap(specsOf), []);
      const found = rest.map(stateOf(more.types, more.blobs)).findIndex(before);
      if (found >= 0) at = LINE_FIRST + found;
    }
    return { index, commit: at >= 0 ? line[at] : null, line, changed };
  };
  try {
    return await judge(mine.map((b) => b.snapshot ?? b.commit), commitsOf(mine));
  } catch (err) {
    // A damaged snapshot (its tree missing) fails cat-file: judge by the commits ('verify backups' names the damage).
    if (!(err instanceof GitError)) throw err;
    return judge(mine.map((b) => b.commit), []).catch((e) => {
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
  const value = new RegExp(`(?:^|[\\s:\\[,{'"])(?:\\./)?${path}/?(?=$|[\\s,\\]}'"])`);
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
 * or null when there is no backup and no such commit (a fresh clone of a migrated branch has the
 * commit and no backup). The newest backup from before the migration, unless the
 * line holds a newer commit from before it that no backup holds: a merge that brought the
 * migration in (no commit hook runs for it), a rebase onto a newer upstream, commits made
 * without the hooks. That commit is the baseline then (`commit-before-migration`): a rollback to
 * the older backup would take those commits off the branch, and a check against it would not
 * see what they brought.
 */
export async function chooseBaseline(repo: Repo, config: Config, mine: BackupInfo[], head: string | null): Promise<Baseline | null> {
  if (mine.length === 0 && !head) return null;
  const pinned = mine.find((b) => b.record?.pinned);
  if (pinned) return { backup: pinned, why: 'pinned' };
  const { index, commit, line, changed } = await newestBeforeMigration(repo, config, mine, head);
  const backup = index >= 0 ? mine[index] : null;
  if (commit && (!backup || newerThan(line, commit, backup))) {
    return { backup: commitAsBackup(commit), why: 'commit-before-migration', changed };
  }
  if (backup) return { backup, why: 'before-migration', changed };
  return mine.length ? { backup: mine[0], why: 'newest' } : null;
}

/**
 * Is `commit` (of the line, the newest there from before the migration) newer than `backup`?
 * Unless the backup's commit is on the line at it or above it (the same state, a snapshot
 * perhaps), yes: below it on the line, on a merged branch, rebased or amended away, it is
 * not the state this branch was in before the migration.
 */
function newerThan(line: string[], commit: string, backup: BackupInfo): boolean {
  const where = line.indexOf(backup.commit);
  return where < 0 || where > line.indexOf(commit);
}

/** A commit of the line, as a backup without a snapshot or a record: what verify and rollback read of a baseline. */
const commitAsBackup = (commit: string): BackupInfo => ({
  name: commit.slice(0, 12), commit, date: null, local: false, remote: false, unpushed: false, snapshot: null, record: null, recordRef: null, movedFrom: null,
});
