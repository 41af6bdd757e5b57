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

  // ---- issue 6: run, emergency-stop, recover ----
  runNoCommand: () => "Nothing to run: give the command after '--', e.g. reorg-guard run -- buf generate.",
  runSpawnFailed: (cmd: string, why: string) => `Could not start ${q(cmd)} (${why}): check the command name and your PATH.`,
  runStarted: (cmd: string, pid: number, backup: string) => `Backup ${backup} taken; running ${cmd} (pid ${pid}, its own process group).`,
  runEnded: (code: number) => `The command exited with ${code}.`,
  stopBadGrace: (value: string) => `--grace ${q(value)} must be a number of seconds >= 0.`,
  stopNeedsYes: () => 'emergency-stop --stash moves your uncommitted work out of the tree: without a terminal, pass --yes to confirm (nothing was changed).',
  stopConfirm: () => 'Move the uncommitted work (untracked files included) out of the tree? It stays in the safety snapshot. [y/N] ',
  stopCancelled: () => 'Nothing stopped, nothing changed.',
  stopNothingRecorded: () => 'No supervised run is recorded: nothing to stop.',
  stopOutcome: (cmd: string, pid: number, outcome: string, killed: boolean) =>
    ({
      stopped: `Stopped ${cmd} (pid ${pid})${killed ? ' with SIGKILL after the grace period' : ''}.`,
      survived: `Could not stop ${cmd} (pid ${pid}): it outlived SIGKILL; its record is kept.`,
      gone: `${cmd} (pid ${pid}) had ended already; its record is cleared.`,
      'pid-reused': `${cmd} (pid ${pid}) had ended; pid ${pid} now belongs to another process, which was left alone. Record cleared.`,
    })[outcome] ?? outcome,
  stopSnapshot: (ref: string) => `The state the migration left is saved in ${ref}.`,
  stopStashed: (id: string) => `Uncommitted work moved out of the tree; 'reorg-guard undo ${id}' brings it back.`,
  stopNext: () => "Next: 'reorg-guard recover' shows where things stand and how to go on.",
  recNothingWrong: () => 'Nothing wrong found.',
  recFixLine: (command: string, destructive: boolean) => `fix: ${command}${destructive ? ' (destructive: asks to confirm, or --yes)' : ''}`,
  recApplying: (command: string) => `Applying: ${command}`,
  recFixFailed: (command: string, code: number) => `${command} exited with ${code}.`,
  recMenuFor: (title: string) => `(${title})`,
  recMenuQuit: () => 'quit',
  recMenuAsk: (n: number) => `Choose a fix [1${n > 1 ? `-${n}` : ''}, q]: `,
  recMenuBadChoice: (answer: string) => `${q(answer)} is not in the list: type a number or q.`,
  recMenuConfirm: (command: string) => `${command} changes the work tree (a safety snapshot comes first). Type yes to run it: `,
  recMenuNotRun: () => 'Not run.',
  recOpRunning: (op: string, id: string, pid: number) => `${op} ${id} is running now (pid ${pid}).`,
  recOpRunningMeaning: () => 'Let it finish, then run recover again.',
  recOpInterrupted: (op: string, id: string, at: string) => `${op} ${id} was interrupted (started ${at}, never finished).`,
  recOpInterruptedMeaning: (ref: string | null) =>
    `It may have stopped halfway. The state before it is in ${ref ?? 'its safety snapshot'}; undo puts that back (and snapshots the present first).`,
  recStashed: (id: string, at: string) => `emergency-stop ${id} (${at}) moved uncommitted work out of the tree.`,
  recStashedMeaning: (ref: string) => `The work is safe in ${ref}; undo brings it back into the tree.`,
  recRunRunning: (cmd: string, pid: number, at: string) => `A supervised run is still running: ${cmd} (pid ${pid}, since ${at}).`,
  recRunRunningMeaning: (backup: string) => `Let it finish, or stop it and everything it started. Backup ${backup} was taken before it.`,
  recRunGone: (cmd: string, pid: number, at: string, reused: boolean) =>
    `A supervised run ended without its supervisor: ${cmd} (pid ${pid}, started ${at})${reused ? '; the pid belongs to another process now' : ''}.`,
  recRunGoneMeaning: (backup: string) =>
    `The migration step may have crashed halfway. emergency-stop snapshots what it left and clears the record; backup ${backup} holds the state before it ('reorg-guard rollback full --to ${backup}').`,
  recProtosLost: (missing: number, total: number, root: string) => `${missing} of ${total} old-layout protos are gone and ${root} holds none.`,
  recProtosLostMeaning: (sample: string[]) => `Protos are missing from both layouts (e.g. ${sample.join(', ')}): go back to the backup.`,
  recDeclarationsLost: (n: number) => `The new layout lacks ${n} top-level declarations of the old one.`,
  recDeclarationsLostMeaning: (sample: string[]) => `Finishing the migration would lose data (e.g. ${sample.join(', ')}).`,
  recMidMigration: (copied: number, root: string, old: number) => `Migration in progress: ${copied} protos in ${root}, the ${old} old-layout protos all still present.`,
  recMidMigrationMeaning: () => "Copied, not yet cleaned: normal mid-migration. Check that nothing was lost before removing the old layout; 'reorg-guard rollback quick' abandons it.",
  recOldPartlyRemoved: (missing: number, total: number) => `The old layout is half removed: ${missing} of ${total} protos gone.`,
  recOldPartlyRemovedMeaning: (sample: string[]) => `The cleanup stopped halfway (gone: ${sample.join(', ')}). Check the new layout holds everything before going on.`,
  recOldRemoved: (total: number, copied: number, root: string) => `The old layout is removed (${total} protos); ${root} holds ${copied}.`,
  recOldRemovedMeaning: () => "Quick rollback is no longer possible; check that nothing was lost. 'reorg-guard rollback full' goes back to the backup.",
  recMigrationFinished: (copied: number, root: string) => `Migration finished: ${copied} protos in ${root}, every declaration accounted for.`,
  recMigrationFinishedMeaning: () => 'Nothing to do.',
  recConfigRenamed: (file: string) => `${file} was renamed to ${file}.backup and no new ${file} was written.`,
  recConfigRenamedMeaning: (file: string) => `The migration stopped between renaming and writing: without ${file} the build breaks. Restore it from the backup.`,
  recConfigRewritten: (file: string) => `${file} was rewritten and no ${file}.backup keeps the old one.`,
  recConfigRewrittenMeaning: (file: string) => `The old ${file} survives only in HEAD and the backups; rollback quick would have nothing beside it to restore.`,
  recUncommitted: (n: number) => `${n} uncommitted path${n === 1 ? '' : 's'} in the work tree.`,
  recUncommittedMeaning: (sample: string[]) => `No branch holds this work (e.g. ${sample.map(q).join(', ')}); a backup saves it without touching it.`,
  recUncommittedSaved: (backup: string) => `All of it is saved in the snapshot of backup ${backup}.`,
  recNoBackup: () => 'No backup at all.',
  recNoBackupMeaning: () => 'Nothing to go back to if the migration goes wrong: take one now.',
  recUnpushed: (names: string[]) => `${names.length} backup${names.length === 1 ? ' is' : 's are'} not pushed: ${names.join(', ')}.`,
  recUnpushedMeaning: (remote: string) => `They exist on this machine only; push them to ${remote}.`,
  recBackupsUnreadable: () => 'The backup refs cannot be read: an object they point to is missing.',
  recBackupsBroken: (names: string[]) => `Backups with missing objects: ${names.join(', ')}.`,
  recBackupsBrokenMeaning: () => "These backups cannot be restored; 'verify backups' names every damaged one. Take a fresh backup.",
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
