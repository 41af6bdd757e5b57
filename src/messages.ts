/**
 * Every sentence a user reads, in one place. Errors say what is wrong and what to do,
 * in one line.
 */
const q = (s: string) => JSON.stringify(s);

export const msg = {
  // where we are
  notARepo: (dir: string) => `${dir} is not inside a git repository: run reorg-guard inside one, or pass -C DIR.`,
  bareRepo: (dir: string) => `${dir} is a bare repository: reorg-guard needs a work tree.`,
  noSuchDir: (dir: string) => `${dir} does not exist.`,
  emptyRepo: () => 'This repository has no commit yet: make a first commit, then back up.',

  // config
  configMalformed: (file: string, why: string) => `${file} is not valid JSON (${why}): fix it or remove it.`,
  configNotObject: (file: string) => `${file}: the reorg-guard config must be a JSON object.`,
  configUnknownKey: (key: string, file: string) => `${file}: unknown key ${q(key)}: see 'reorg-guard --help' for the keys.`,
  configType: (key: string, want: string, file: string) => `${file}: ${q(key)} must be ${want}.`,

  // usage
  unknownCommand: (name: string) => `Unknown command ${q(name)}: run 'reorg-guard --help' for the list.`,
  badOption: (why: string, cmd: string) => `${why} Run 'reorg-guard ${cmd} --help'.`,
  dashName: (what: string, value: string) => `The ${what} ${q(value)} starts with '-': refused, it would read as an option.`,
  unsafePath: (value: string, why: string) => `The path ${q(value)} is refused: ${why}.`,
  unexpected: (why: string) => `Unexpected error: ${why} (run with DEBUG=reorg-guard for details).`,
  gitFailed: (why: string) => `git failed: ${why}`,

  // backup
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
  noRemote: (remote: string) => `no remote named ${q(remote)}`,
  pushRejected: () => 'the remote rejected the push',
  notPushed: (why: string) =>
    `Backup kept locally and recorded as unpushed (${why}); 'reorg-guard push' retries.`,

  // archive
  archiveMade: (file: string, files: number, size: string) => `Archive ${file} written and verified: ${files} files, ${size}.`,
  archiveSkipped: (paths: string[]) => `Not archived (not a file, folder or link): ${paths.join(', ')}`,
  archiveUnverified: (why: string | undefined) =>
    `The archive did not verify (${why ?? 'unknown problem'}); nothing was kept: a file may have changed while archiving, run again.`,

  // push
  nothingToPush: () => 'Every backup branch is on the remote already.',
  pushedBackups: (n: number, remote: string) => `Pushed ${n} backup branch${n === 1 ? '' : 'es'} to ${remote}.`,
  pushFailed: (n: number, why: string) => `${n} backup branch${n === 1 ? '' : 'es'} still unpushed: ${why}.`,

  // list
  noBackups: () => "No backups yet: run 'reorg-guard backup'.",

  // ---- issue 5: backup lifecycle (cleanup, verify backups, restore) ----
  badCount: (opt: string, value: string) => `--${opt} ${q(value)} must be a whole number >= 0.`,
  badDuration: (value: string) => `--keep-within ${q(value)} is not a duration: use a number and a unit, e.g. 90m, 12h, 7d, 2w.`,
  needYes: (what: string) => `${what}: without a terminal to confirm, pass --yes (or --dry-run to see the plan). Nothing was changed.`,
  declined: () => 'Not confirmed: nothing was changed.',
  keepNewest: (what: 'backup' | 'archive') => `the newest ${what}`,
  keepAmongNewest: (n: number) => `among the ${n} newest`,
  keepWithin: (d: string) => `younger than ${d}`,
  keepNoStamp: () => 'no timestamp in its name',
  keepCheckedOut: () => 'checked out',
  keepUnfinished: (id: string, op: string) => `used by unfinished operation ${id} (${op})`,
  dropOld: () => 'no rule keeps it',
  cleanupNothing: () => 'Nothing to clean up: every backup is kept by a retention rule.',
  cleanupPlanHead: (dry: boolean) => (dry ? 'Dry run: nothing is deleted.' : 'Cleanup plan:'),
  cleanupConfirm: (n: number) => `Delete ${n} backup${n === 1 ? '' : 's'} as listed above?`,
  cleanupWhat: (n: number) => `cleanup would delete ${n} backup${n === 1 ? '' : 's'}`,
  cleanupRemoteSkipped: (remote: string, why: string) => `Remote ${q(remote)} not reachable (${why}): its backup branches were left alone.`,
  cleanupRemoteFailed: (refs: string[], why: string) => `The remote kept ${refs.length} ref(s) it was asked to delete (${why}): ${refs.slice(0, 5).join(', ')}${refs.length > 5 ? ', ...' : ''}`,
  cleanupRaced: () => 'A backup ref changed while cleaning up: no local ref was deleted. Run cleanup again.',
  cleanupDone: (branches: number, remote: number, archives: number) =>
    `Deleted ${branches} local backup(s), ${remote} on the remote, ${archives} archive(s).`,
  cleanupJournal: (id: string) => `Journaled as ${id}: the deleted refs and their commits are recorded there.`,
  verifyUnknown: (sub: string) => `Unknown check ${q(sub)}: 'reorg-guard verify backups' checks backups; see 'reorg-guard verify --help'.`,
  verifyNoSub: () => "Say what to verify: 'reorg-guard verify backups'. See 'reorg-guard verify --help'.",
  verifyMissingObject: (what: string) => `missing object: ${what}`,
  verifyNotCommit: (type: string) => `points to a ${type}, not a commit`,
  verifyRemoteMissing: (remote: string) => `not on ${remote}`,
  verifyRemoteDiffers: (remote: string, commit: string) => `${remote} has ${commit.slice(0, 10)}, a different commit`,
  verifyUnpushed: () => 'unpushed: only this clone has it',
  verifyNoRemote: (remote: string) => `No remote ${q(remote)}: remote copies not checked.`,
  verifyRemoteDown: (remote: string, why: string) => `Cannot reach ${q(remote)} (${why}): remote copies not checked.`,
  verifyNothing: () => "No backups to verify: run 'reorg-guard backup'.",
  verifyOk: (n: number) => `All ${n} checked item(s) are sound.`,
  verifyFailed: (n: number) => `${n} backup item(s) failed verification (listed above).`,
  restoreNoArchive: () => "Say which archive: 'reorg-guard restore ARCHIVE --to DIR'.",
  restoreNoTo: () => 'Say where to restore: --to DIR.',
  restoreTooMany: () => 'restore takes one archive.',
  restoreNotFound: (file: string) => `${file} does not exist (nor in the backup dir).`,
  restoreNotDir: (dir: string) => `${dir} exists and is not a folder.`,
  restoreNotEmpty: (dir: string) => `${dir} is not empty: pass --force to restore over it (files of the archive replace the ones there; others stay).`,
  restoreIntoGit: (dir: string) => `${dir} is inside a .git folder: refused.`,
  restoreDamaged: (file: string, why: string) => `${file} did not verify (${why}): nothing was restored.`,
  restoreUnsafe: (file: string, why: string) => `${file} is refused: ${why}. Nothing was restored.`,
  restoreConflict: (why: string) => `Cannot restore over what is there: ${why}. Nothing was restored.`,
  restoreMismatch: (why: string) => `The extracted tree does not match the manifest (${why}): nothing was restored.`,
  restoreDone: (dir: string, files: number, size: string) => `Restored ${files} files (${size}) into ${dir}; every file matches the manifest.`,
  restoreConfirm: (dir: string, n: number) => `Replace ${n} file(s) in ${dir} with the archive's?`,
  restoreWhat: (dir: string, n: number) => `restore would replace ${n} file(s) in ${dir}`,
  restoreDryRun: (file: string, dir: string, files: number, replaces: string[]) =>
    `Dry run: ${file} verified and safe; ${files} files would be restored into ${dir}` +
    (replaces.length ? `, replacing ${replaces.length}: ${replaces.slice(0, 10).join(', ')}${replaces.length > 10 ? ', ...' : ''}.` : '.'),
  restoreMovedAside: (n: number, where: string) => `${n} replaced file(s) moved aside to ${where}.`,
};
