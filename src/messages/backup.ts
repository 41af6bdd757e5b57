/** backup, archive, push and list, and which backup verify and rollback use (the baseline). */
import { q, oneLine, plural, count, sentence } from './format.js';

/** A hook's reason starts with the hook's name (`post-checkout: the switch ...`): said once after `taken by post-checkout`. */
const unprefixed = (trigger: string, reason: string) => (reason.startsWith(`${trigger}: `) ? reason.slice(trigger.length + 2) : reason);

export const backup = {
  noFreeName: (base: string) => `Could not find a free backup branch name after ${base}.`,
  backupMade: (branch: string) => `Backup branch ${branch} created.`,
  snapshotMade: (ref: string) => `Uncommitted work saved in ${ref}.`,
  snapshotNone: () => 'Nothing uncommitted: the branch holds the whole state, no snapshot needed.',
  pushed: (remote: string) => `Pushed to ${remote}.`,
  pushDisabled: () => 'push is off: --no-push, or "push": false in the config',
  nestedRepos: (paths: string[]) =>
    paths.length === 1
      ? `Not in the snapshot: ${q(paths[0])} is a repository of its own; back it up separately.`
      : `Not in the snapshot: ${paths.map(q).join(', ')} are repositories of their own; back them up separately.`,
  dirtySubmodules: (paths: string[]) =>
    `Not in the snapshot: the work inside ${plural(paths.length, 'submodule')} ${paths.map(q).join(', ')} (modified or untracked files) belongs to ${plural(paths.length, 'that repository', 'those repositories')}; the snapshot holds the commit only: commit or back it up there.`,
  submoduleAway: (rel: string, want: string, now: string | null) =>
    `submodule ${q(rel)} is left as it is (${now ? `at ${now.slice(0, 12)}` : 'not checked out'}; its work is another repository's): the restored index records ${want.slice(0, 12)}, 'git submodule update' checks that out.`,
  noRemote: (remote: string) => `no remote named ${q(remote)}`,
  pushRejected: () => 'the remote rejected the push',
  pushNameTaken: (names: string[], remote: string) =>
    `${q(remote)} holds another clone's backup under the name ${names.map(q).join(', ')}, which this one must not replace`,
  backupRenamedTaken: (old: string, name: string, remote: string) =>
    `${old} was taken on ${q(remote)} by another clone's backup (made in the same second): this one is ${name} now, and pushed under that name.`,
  networkTimeout: (command: string, ms: number) =>
    `no sign of life from the remote for ${ms / 1000} s, git ${command} stopped; if it is only slow, raise networkTimeout`,
  notPushed: (why: string) =>
    `Backup kept locally and recorded as unpushed (${why}); 'reorg-guard push' retries.`,
  archiveMade: (file: string, files: number, size: string) => `Archive ${file} written and verified: ${count(files, 'file')}, ${size}.`,
  archiveDirInWorkTree: (dir: string, why: string) => `--dir ${dir} is refused: ${why}. Nothing was written.`,
  archiveSkipped: (paths: string[]) => `Not archived (not a file, folder or link): ${paths.join(', ')}`,
  archiveCannotWrite: (dir: string, why: string) =>
    `Cannot write the archive in ${dir}: ${why}. Nothing was kept: choose another folder (--dir, or backupDir in the config) or make room there, and run again.`,
  archiveUnverified: (why: string | undefined) =>
    `The archive did not verify (${why ?? 'unknown problem'}); nothing was kept: a file may have changed while archiving, run again.`,
  nothingToPush: () => 'Every backup branch is on the remote already.',
  pushedBackups: (n: number, remote: string) => `Pushed ${count(n, 'backup branch', 'backup branches')} to ${remote}.`,
  pushFailed: (n: number, why: string) => `${count(n, 'backup branch', 'backup branches')} still unpushed: ${sentence(why)}`,
  noBackups: () => "No backups yet: run 'reorg-guard backup'.",
  fetchFailed: (remote: string, why: string) => `Could not fetch backup branches from ${remote} (${why}): using the backups known locally.`,
  unknownBackup: (name: string) => `No backup and no commit named ${q(name)}: run 'reorg-guard list' for the backup names.`,
  noBackupToUse: (option = '--to') => `No backup to use: run 'reorg-guard backup' first (or give one with ${option}).`,
  noBackupOfBranch: (branch: string | null, n: number) =>
    `${n === 1 ? 'The 1 backup does not belong' : `None of the ${n} backups belongs`} to ${branch ? branch.replace(/^refs\/heads\//, '') : 'this detached HEAD'} (taken on other branches or by other clones): name one with --to or --against, or run 'reorg-guard backup'.`,
  noBaselineBeforeMigration: (newRoot: string, name: string) =>
    `No backup of this branch is from before ${newRoot} appeared: using the newest, ${name} (pin one with 'reorg-guard backup --baseline', or name one with --to/--against).`,
  usingBackup: (name: string, commit: string, trigger: string | null, reason: string | null, why: string) =>
    `Using ${name}${name.startsWith(commit.slice(0, 7)) ? '' : ` (${commit.slice(0, 12)})`}${trigger ? `, taken by ${trigger}${reason ? `: ${q(oneLine(unprefixed(trigger, reason)))}` : ''}` : ''}; ${why}.`,
  whyPinned: () => 'pinned as the baseline',
  listBaselineCommit: (commit: string) => `Baseline: commit ${commit}, this branch's last before the migration, which no backup holds`,
  listBaseline: (why: string) => `<- baseline${why === 'pinned' ? ' (pinned)' : why === 'newest' ? ' (newest: none is from before the migration)' : ''}`,
  listMoved: (name: string, from: string) =>
    `moved since it was taken at ${from.slice(0, 10)} (a commit made on it, or a reset): it no longer holds that state; 'git branch -f ${name} ${from.slice(0, 10)}' puts it back`,
  listRecord: (trigger: string | null, reason: string | null, branch: string | null) =>
    trigger
      ? `${trigger}${reason ? `: ${oneLine(unprefixed(trigger, reason))}` : ''}${branch ? `  (on ${branch.replace(/^refs\/heads\//, '')})` : ''}`
      : 'taken by: not recorded (made by an older reorg-guard, or fetched without its record)',
  baselinePinned: () => 'pinned as the baseline: verify and rollback compare with it until a newer pin.',
  badTrigger: (t: string) => `--trigger ${JSON.stringify(t)}: a trigger is a short name of letters, digits and '-' (e.g. backup, recover).`,
  whyBeforeMigration: (newRoot: string, changed: Array<{ file: string; how: 'set-aside' | 'rewritten' }> = []) => {
    const files = (how: string) => changed.filter((c) => c.how === how).map((c) => c.file);
    const were = (f: string[]) => `${f.join(', ')} ${f.length === 1 ? 'was' : 'were'}`;
    const [aside, rewritten] = [files('set-aside'), files('rewritten')];
    return `the baseline, the last state before ${newRoot} appeared` +
      (aside.length ? ` and before ${were(aside)} set aside as *.backup` : '') +
      (rewritten.length ? ` and before ${were(rewritten)} rewritten for it` : '');
  },
  whyCommitBeforeMigration: (newRoot: string) =>
    `the baseline, this branch's last commit before ${newRoot} appeared, which no backup holds (a merge, a rebase or commits made without the hooks)`,
  whyNewest: () => 'the newest backup of this branch',
  whyNamed: () => 'named on the command line',
  whyCommit: () => 'a commit named on the command line, not a backup',
  whyRolledBackTo: () => "the backup the last 'rollback full' went to",
};
