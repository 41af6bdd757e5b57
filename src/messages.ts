/**
 * Every sentence a user reads, in one place. Errors say what is wrong and what to do,
 * in one line.
 */
const q = (s: string) => JSON.stringify(s);
/** The first line of a text, shortened: a reason or a commit subject inside a one-line message. */
const oneLine = (s: string) => {
  const first = s.split('\n')[0];
  return first.length > 72 ? `${first.slice(0, 71)}…` : first;
};

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
  configRefused: (key: string, value: string, file: string, why: string) => `${file}: ${q(key)} ${q(value)} is refused: ${why}.`,
  configPrefixRefs: () => "give the prefix of the branch name itself (backups are branches under refs/heads/ already; 'refs/heads/refs/...' would make names git calls ambiguous)",
  configPrefixRefFormat: (why: string) => `git refuses the branch names it makes (git check-ref-format: ${why})`,
  configLayoutsOverlap: (oldLayout: string) =>
    `it overlaps "oldLayout" ${q(oldLayout)}, and a quick rollback deletes the new layout: give the new layout a folder of its own`,
  configBackupDirInWorkTree: (rel: string) =>
    `archives there would be untracked files of the work tree (${rel}), which a rollback deletes: choose a folder outside the repository, or ignore it in .gitignore`,

  // usage
  unknownCommand: (name: string) => `Unknown command ${q(name)}: run 'reorg-guard --help' for the list.`,
  badOption: (why: string, cmd: string) => `${why.replace(/\.?$/, '.')} Run 'reorg-guard ${cmd} --help'.`,
  keepNotInClone: (remote: string) => `only ${remote} has it and this clone lacks its commits (fetch first): never deleted from here`,
  keepMoved: () => 'the branch moved since the backup (commits made on it may exist nowhere else): never deleted',
  undoRefsNote: (n: number) => `${n} ref(s) the operation deleted come back; their copies on the remote are recorded as unpushed: 'reorg-guard push' sends them again.`,
  undoRefsGone: (refs: string[]) =>
    `${refs.length} ref(s) the operation deleted cannot come back: their commits are no longer in this repository (pruned by git gc): ${refs.slice(0, 5).join(', ')}${refs.length > 5 ? ', ...' : ''}`,
  undoRestoreAside: (dir: string, n: number) =>
    `the files that restore replaced are kept in ${dir}; ${n} of them (ignored files, which no snapshot holds) come back from there.`,
  gitBusy: (what: string, command: string, abort: string) =>
    `${what[0].toUpperCase()}${what.slice(1)} is in progress here, and its state (conflicts, MERGE_HEAD) is not in any snapshot: finish it, or '${abort}', then run 'reorg-guard ${command}' again. Nothing was changed.`,
  stopStashSkipped: (what: string) =>
    `${what[0].toUpperCase()}${what.slice(1)} is in progress: the uncommitted work was left in place (clearing it would lose git's own state); it is in the safety snapshot all the same.`,
  keepNotProvenMine: () => 'its manifest does not name this work tree (older or damaged archive): never deleted',
  dashValue: (option: string, cmd: string) =>
    `${option} needs a value, and a value starting with '-' is refused (it would read as an option). Run 'reorg-guard ${cmd} --help'.`,
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
  dirtySubmodules: (paths: string[]) =>
    `Not in the snapshot: the work inside submodule${paths.length === 1 ? '' : 's'} ${paths.map(q).join(', ')} (modified or untracked files) belongs to ${paths.length === 1 ? 'that repository' : 'those repositories'}; the snapshot holds the commit only: commit or back it up there.`,
  submoduleAway: (rel: string, want: string, now: string | null) =>
    `submodule ${q(rel)} is left as it is (${now ? `at ${now.slice(0, 12)}` : 'not checked out'}; its work is another repository's): the restored index records ${want.slice(0, 12)}, 'git submodule update' checks that out.`,
  noRemote: (remote: string) => `no remote named ${q(remote)}`,
  pushRejected: () => 'the remote rejected the push',
  pushNameTaken: (names: string[], remote: string) =>
    `${q(remote)} holds another clone's backup under the name ${names.map(q).join(', ')}, which this one must not replace`,
  networkTimeout: (command: string, ms: number) =>
    `no sign of life from the remote for ${ms / 1000} s, git ${command} stopped; if it is only slow, raise networkTimeout`,
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
  stopConfirm: () => 'Move the uncommitted work (untracked files included) out of the tree? It stays in the safety snapshot.',
  stopNothingRecorded: () => 'No supervised run is recorded: nothing to stop.',
  stopOutcome: (cmd: string, pid: number, outcome: string, killed: boolean, processes = 1, survivors: Array<{ pid: number; command: string }> = []) =>
    ({
      stopped: `Stopped ${cmd} (pid ${pid}${processes > 1 ? `, ${processes} processes in all` : ''})${killed ? ' with SIGKILL after the grace period' : ''}.`,
      survived: `Could not stop all of ${cmd} (pid ${pid}): ${survivors.map((s) => `pid ${s.pid} (${s.command.replace(/\s+/g, ' ').slice(0, 80)})`).join(', ')} outlived SIGKILL; its record is kept.`,
      gone: `${cmd} (pid ${pid}) had ended already; its record is cleared.`,
      'pid-reused': `${cmd} (pid ${pid}) had ended; pid ${pid} now belongs to another process, which was left alone. Record cleared.`,
    })[outcome] ?? outcome,
  stopSnapshotSkipped: (why: string) => `The processes are stopped, but no safety snapshot was taken: ${why}`,
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
  recOpWorkSince: (ref: string | null, since: string[]) =>
    `It may have stopped halfway, and work was done after it that its undo would discard: ${since.slice(0, 8).join('; ')}${since.length > 8 ? `; and ${since.length - 8} more` : ''}. The state before it is in ${ref ?? 'its safety snapshot'}; undo puts that back (the present is snapshotted first, so 'reorg-guard undo' of that undo brings this work back), which recover --auto does only with --yes.`,
  sinceCreated: (p: string) => `${q(p)} created`,
  sinceChanged: (p: string) => `${q(p)} changed`,
  sinceDeleted: (p: string) => `${q(p)} deleted`,
  sinceHead: (branch: string, head: string | null) => `${branch} moved (now ${head ? head.slice(0, 12) : 'no commit'})`,
  sinceIndex: () => 'the index (staged changes)',
  recAutoHeld: (command: string) => `Not applied without --yes: ${command} would discard work made after the operation (named above).`,
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
  needYes: (command: string, dryRun: boolean) =>
    `reorg-guard ${command} would change things and there is no terminal to ask: pass --yes to go ahead${dryRun ? ', or --dry-run to see the plan' : ''}. Nothing was changed.`,
  declined: () => 'Not confirmed: nothing was changed.',
  keepNewest: (what: 'backup' | 'archive') => `the newest ${what}`,
  keepAmongNewest: (n: number) => `among the ${n} newest`,
  keepWithin: (d: string) => `younger than ${d}`,
  keepNoStamp: () => 'its name is not <prefix>YYYYMMDD_HHMMSS[-N]: not a dated backup, never deleted',
  keepCheckedOut: () => 'checked out',
  keepBaseline: (pinned: boolean) => `this branch's baseline (${pinned ? 'pinned' : 'the last state before the migration'}): verify and rollback compare with it; never deleted`,
  keepRolledBackTo: () => "the backup the last 'rollback full' went to: verify rollback compares with it; never deleted",
  keepUnfinished: (id: string, op: string) => `used by unfinished operation ${id} (${op})`,
  dropOld: () => 'no rule keeps it',
  cleanupNothing: () => 'Nothing to clean up: every backup is kept by a retention rule.',
  cleanupPlanHead: () => 'Cleanup plan:',
  cleanupConfirm: (n: number) => `Delete ${n} backup${n === 1 ? '' : 's'} as listed above?`,
  cleanupRemoteSkipped: (remote: string, why: string) => `Remote ${q(remote)} not reachable (${why}): its backup branches were left alone.`,
  cleanupRemoteFailed: (refs: string[], why: string) =>
    `The remote still has ${refs.length} ref(s) cleanup meant to delete, unchanged (${why}): ${refs.slice(0, 5).join(', ')}${refs.length > 5 ? ', ...' : ''}`,
  cleanupStrayUnrestored: (ref: string, keptAt: string, remote: string) =>
    `${ref} appeared on ${q(remote)} during the cleanup and was deleted with the rest; pushing it back failed. Its commit is kept in ${keptAt}: 'reorg-guard push' puts it back.`,
  straysBack: (refs: string[], remote: string) => `Back on ${remote}: ${refs.join(', ')} (deleted by a cleanup without meaning to).`,
  straysFailed: (refs: string[], why: string) => `Still not back on the remote (${why}): ${refs.join(', ')}; their commits stay under refs/reorg-guard/strays/.`,
  recStrays: (refs: string[]) => `${refs.length} backup ref(s) a cleanup deleted on the remote without meaning to are not back: ${refs.join(', ')}.`,
  recStraysMeaning: (remote: string) => `Another clone pushed them while the cleanup ran; their commits are kept here under refs/reorg-guard/strays/. Push them back to ${remote}.`,
  operationLocked: (op: string, pid: number, since: string) =>
    `Another reorg-guard operation (${op}, pid ${pid}, since ${since.slice(11, 19)} UTC) is changing this repository: wait for it to finish, then run this again.`,
  operationLockContended: (file: string) => `Could not take the operation lock ${file}: other reorg-guard processes keep taking it.`,
  nothingChanged: (why: string) => `${why} Nothing was changed.`,
  operationRanMeanwhile: (id: string) =>
    `Operation ${id} changed this repository after this command made its plan: run the command again to plan from the present state. Nothing was changed.`,
  cleanupRaced: () => 'A backup ref changed while cleaning up: no local ref was deleted. Run cleanup again.',
  cleanupDone: (branches: number, remote: number, archives: number) =>
    `Deleted ${branches} local backup(s), ${remote} on the remote, ${archives} archive(s).`,
  cleanupJournal: (id: string) => `Journaled as ${id}: the deleted refs and their commits are recorded there.`,
  verifyMissingObject: (what: string) => `missing object: ${what}`,
  verifyNotCommit: (type: string) => `points to a ${type}, not a commit`,
  verifyRemoteMissing: (remote: string) => `not on ${remote}`,
  verifyRemoteDiffers: (remote: string, commit: string) => `${remote} has ${commit.slice(0, 10)}, a different commit`,
  verifyUnpushed: () => 'unpushed: only this clone has it',
  verifyNoRemote: (remote: string) => `No remote ${q(remote)}: remote copies not checked.`,
  verifyRemoteDown: (remote: string, why: string) => `Cannot reach ${q(remote)} (${why}): remote copies not checked.`,
  verifyNothing: () => "No backups to verify: run 'reorg-guard backup'.",
  backupsSound: (n: number) => `All ${n} checked item(s) are sound.`,
  backupsFailed: (n: number) => `${n} backup item(s) failed verification (listed above).`,
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
  restoreDryRun: (file: string, dir: string, files: number, replaces: string[]) =>
    `${file} is verified and safe; ${files} files would be restored into ${dir}` +
    (replaces.length ? `, replacing ${replaces.length}: ${replaces.slice(0, 10).join(', ')}${replaces.length > 10 ? ', ...' : ''}.` : '.'),
  restoreMovedAside: (n: number, where: string) => `${n} replaced file(s) moved aside to ${where}.`,
  // ---- issue 3: rollback, verify, undo, log ----
  proceed: () => 'Go ahead?',
  planHeader: (command: string) => `Plan of reorg-guard ${command}:`,
  dryRunDone: () => 'Dry run: nothing was changed.',
  nothingToDo: (command: string) => `Nothing to do for ${command}: the repository is already there.`,
  planApplied: (command: string, written: number, deleted: number, moved: string | null) =>
    `${command}: ${written} file(s) restored, ${deleted} removed${moved ? `, ${moved} moved` : ''}.`,
  undoHint: (id: string, safety: string) => `The state before is kept in ${safety}; 'reorg-guard undo ${id}' takes it back.`,
  fetchFailed: (remote: string, why: string) => `Could not fetch backup branches from ${remote} (${why}): using the backups known locally.`,
  unknownBackup: (name: string) => `No backup and no commit named ${q(name)}: run 'reorg-guard list' for the backup names.`,
  noBackupToUse: (option = '--to') => `No backup to use: run 'reorg-guard backup' first (or give one with ${option}).`,
  noBackupOfBranch: (branch: string | null, n: number) =>
    `None of the ${n} backup(s) belongs to ${branch ? branch.replace(/^refs\/heads\//, '') : 'this detached HEAD'} (taken on other branches or by other clones): name one with --to or --against, or run 'reorg-guard backup'.`,
  noBaselineBeforeMigration: (newRoot: string, name: string) =>
    `No backup of this branch is from before ${newRoot} appeared: using the newest, ${name} (pin one with 'reorg-guard backup --baseline', or name one with --to/--against).`,
  usingBackup: (name: string, commit: string, trigger: string | null, reason: string | null, why: string) =>
    `Using ${name}${name.startsWith(commit.slice(0, 7)) ? '' : ` (${commit.slice(0, 12)})`}${trigger ? `, taken by ${trigger}${reason ? `: ${q(oneLine(reason))}` : ''}` : ''}; ${why}.`,
  whyPinned: () => 'pinned as the baseline',
  listBaseline: (why: string) => `<- baseline${why === 'pinned' ? ' (pinned)' : why === 'newest' ? ' (newest: none is from before the migration)' : ''}`,
  listRecord: (trigger: string | null, reason: string | null, branch: string | null) =>
    trigger
      ? `${trigger}${reason ? `: ${oneLine(reason)}` : ''}${branch ? `  (on ${branch.replace(/^refs\/heads\//, '')})` : ''}`
      : 'taken by: not recorded (made by an older reorg-guard, or fetched without its record)',
  baselinePinned: () => 'pinned as the baseline: verify and rollback compare with it until a newer pin.',
  badTrigger: (t: string) => `--trigger ${JSON.stringify(t)}: a trigger is a short name of letters, digits and '-' (e.g. backup, recover).`,
  whyBeforeMigration: (newRoot: string) => `the baseline, the last state before ${newRoot} appeared`,
  whyNewest: () => 'the newest backup of this branch',
  whyNamed: () => 'named on the command line',
  whyCommit: () => 'a commit named on the command line, not a backup',
  whyRolledBackTo: () => "the backup the last 'rollback full' went to",
  rollbackKind: (kind: string) => `${kind ? `Unknown rollback ${q(kind)}` : 'Which rollback?'}: use 'rollback quick', 'rollback full' or 'rollback selective'.`,
  selectiveWhich: () => "rollback selective needs exactly one of --domain NAME or --file PATH.",
  selectiveOnly: () => '--domain and --file belong to rollback selective.',
  badDomain: (name: string) => `The domain ${q(name)} is refused: a domain is one folder name.`,
  unknownDomain: (name: string, oldDir: string, newDir: string) => `No domain ${q(name)}: nothing under ${oldDir} or ${newDir}, in the work tree or the backup.`,
  unknownFile: (file: string, backup: string) => `${file} is neither in the work tree nor in backup ${backup}: nothing to restore.`,
  quickOldProtosGone: (missing: number | null, oldLayout: string) =>
    `The old-layout protos (${oldLayout}) are ${missing ? `missing (${missing} of them)` : 'gone'}: a quick rollback would lose the only copy. Use 'reorg-guard rollback full'. Nothing was changed.`,
  quickConfigFromBackup: (file: string, backup: string) => `${file}.backup is missing: ${file} comes from backup ${backup} instead.`,
  quickConfigNowhere: (file: string) => `${file}.backup is missing and no backup has ${file}: left as it is.`,
  fullNoSnapshot: (backup: string) =>
    `Backup ${backup} holds a commit only, no snapshot of uncommitted work (a hook takes a branch at a commit; a backup of a clean tree needs none): the work tree becomes its commit, and what is there now stays in the safety snapshot.`,
  nothingToUndo: () => 'Nothing to undo: the journal has no operation.',
  unknownOperation: (id: string) => `No operation ${q(id)} in the journal: run 'reorg-guard log' for the ids.`,
  ambiguousOperation: (id: string) => `${q(id)} starts more than one operation id: give more of it ('reorg-guard log').`,
  noSafetySnapshot: (id: string) => `Operation ${id} has no safety snapshot any more (its ref was deleted): it cannot be undone.`,
  undoArgs: () => 'undo takes at most one operation id.',
  operationOfOtherWorktree: (id: string, top: string) =>
    `Operation ${id} belongs to the work tree ${top}, not this one: run 'reorg-guard undo --worktree ${top} ${id}' (or undo there). Nothing was changed.`,
  undoBranchElsewhere: (id: string, branch: string, top: string) =>
    `Undoing ${id} would check out ${branch.replace(/^refs\/heads\//, '')}, which the work tree ${top} has checked out: it was journaled there; run 'reorg-guard undo --worktree ${top}' instead. Nothing was changed.`,
  notThisRepoWorktree: (dir: string) => `${dir} is not a work tree of this repository ('git worktree list' shows them). Nothing was changed.`,
  worktreeMovedOn: (top: string, id: string, why: string) =>
    `The work tree ${top} has moved on since ${id} (${why}): undoing it from here would discard that. Undo in that work tree itself ('reorg-guard -C ${top} undo ${id}') if that is what you want. Nothing was changed.`,
  worktreeNewerOperation: (newer: string) => `operation ${newer} ran there after it`,
  unfinishedOperation: (id: string, op: string) => `The last operation (${op} ${id}) never finished: 'reorg-guard undo ${id}' brings back the state before it.`,
  operationFailedUndo: (command: string, id: string) => `${command} failed part-way: 'reorg-guard undo ${id}' brings back the state before it.`,
  logEmpty: () => 'No operations journaled yet.',
  verifyWhich: (name: string, checks: string[]) => `${name ? `Unknown check ${q(name)}` : 'What should be verified?'}: use 'verify ${checks.join("', 'verify ")}'.`,
  verifyPassed: (what: string, backup: string) => `verify ${what}: passed (against ${backup}).`,
  verifyFailed: (what: string, backup: string, n: number) => `verify ${what}: ${n} check(s) failed (against ${backup}).`,
  verifyNewLayoutTitle: (root: string) => `the new layout root ${root} holds no .proto`,
  verifyConfigTitle: (files: string[]) => `${files.join(', ')} equal the backup`,
  verifyOldProtosTitle: (oldLayout: string) => `the old-layout protos (${oldLayout}) are all there`,
  verifyOldCount: (now: number, before: number) => `${now} old-layout protos, the backup has ${before}`,
  verifySiblingsTitle: () => 'every generated x.pb.go / x_grpc.pb.go has its x.proto beside it',
  verifyGuardedTitle: (paths: string[]) => `the guarded paths (${paths.join(', ')}) equal the backup`,
  verifyDeclarationsTitle: () => 'every message, enum and service of the backup (nested ones too) is still declared',
  verifyLostDeclaration: (kind: string, name: string, pkg: string, file: string) => `${kind} ${name} (package ${pkg || 'none'}, ${file}) is declared nowhere now`,
  verifyCollisionsTitle: () => 'no file was written from two source files',
  verifyCollision: (file: string, sources: string[]) => `${file} was written from ${sources.join(' and ')}`,
  // ---- issue 11: verify migration reads what the wire sees (protobufjs) ----
  verifyLostWithOldLayout: (kind: string, name: string, pkg: string, file: string) =>
    `${kind} ${name} (package ${pkg || 'none'}, ${file}) is only in the old layout while its domain was moved: lost when the old layout is removed`,
  verifyParsesTitle: () => 'every .proto of the backup and of the tree now parses',
  verifyUnparsable: (side: string, file: string, line: number, reason: string) => `${file}:${line}: does not parse (${side}): ${reason}`,
  verifyWireTitle: () => 'every field number, enum value and rpc of the backup is still there, unchanged',
  verifyMoved: (n: number) => `${n} declaration(s) moved (file or package changed): information, not an error.`,
  verifyMovedPair: (from: string, to: string, n: number, pkgFrom: string, pkgTo: string) =>
    `${from} -> ${to} (${n} declaration(s)${pkgFrom !== pkgTo ? `, package ${pkgFrom || 'none'} -> ${pkgTo || 'none'}` : ''})`,
  verifyMovedMore: (n: number) => `... and ${n} more ('--json' lists every one).`,
  verifyFormat: (format: string) => `Unknown --format ${q(format)}: use 'text', 'json' or 'github'.`,
  verifyFormatOnlyMigration: () => "--format github belongs to 'verify migration'.",
  wireFieldRenumbered: (field: string, from: number, to: number) => `${field}: field ${from} is now ${to}`,
  wireFieldRemoved: (field: string, n: number, numberReserved: boolean) =>
    `${field}: field ${n} was removed${numberReserved ? ', its number is reserved but not its name' : ' without reserving its number and name'}`,
  wireFieldRenamed: (decl: string, n: number, from: string, to: string) => `${decl}: field ${n} ${from} is now named ${to}`,
  wireFieldCardinality: (field: string, n: number, from: string, to: string) => `${field}: field ${n} was ${from}, is now ${to}`,
  wireFieldType: (field: string, n: number, from: string, to: string) => `${field}: field ${n} was of type ${from}, is now ${to}`,
  wireFieldOneof: (field: string, n: number, from: string | null, to: string | null) =>
    `${field}: field ${n} was ${from ? `in oneof ${from}` : 'in no oneof'}, is now ${to ? `in oneof ${to}` : 'in none'}`,
  wireEnumRenamed: (decl: string, n: number, from: string, now: string[]) => `${decl}: value ${n} ${from} is now named ${now.join(', ')}`,
  wireEnumRenumbered: (decl: string, name: string, from: number, to: number) => `${decl}.${name}: value ${from} is now ${to}`,
  wireEnumRemoved: (decl: string, name: string, n: number) => `${decl}.${name}: value ${n} was removed without reserving its number and name`,
  wireRpcRemoved: (decl: string, rpc: string) => `${decl}.${rpc}: rpc removed`,
  wireRpcType: (decl: string, rpc: string, side: string, from: string, to: string) => `${decl}.${rpc}: ${side} type was ${from}, is now ${to}`,
  wireRpcStreaming: (decl: string, rpc: string, from: string, to: string) => `${decl}.${rpc}: was ${from}, is now ${to}`,
  wireAt: (file: string, line: number) => `${file}:${line}`,
  wireFieldDefault: (field: string, n: number, from: string | null, to: string | null) =>
    `${field}: field ${n} reads ${from ?? 'the type\'s zero value'} when unset, now ${to ?? 'the type\'s zero value'}`,
  wireFieldJsonName: (field: string, n: number, from: string, to: string) => `${field}: field ${n} is "${from}" in JSON, now "${to}"`,

  // ---- issue 4: hooks, init, uninstall ----
  hookUnknown: (name: string, names: string[]) => `${name ? `Unknown hook ${q(name)}` : 'Name a hook'}: one of ${names.join(', ')}.`,
  hookCommitBackedUp: (branch: string, before: string, what: 'commit' | 'amend' | 'merge' | 'sequence', push: boolean) =>
    `reorg-guard: backed up to ${branch}: ${
      { commit: 'the state before this commit', amend: 'the commit this amend replaced', merge: 'the branch before this merge', sequence: 'the state before this cherry-pick or revert began' }[what]
    } (${before.slice(0, 10)})${push ? '; your next git push sends it to the remote' : ''}.`,
  hookReasonStrictCommit: () => 'pre-commit ("strict"): before a commit that touches guarded paths',
  hookStrictMissed: () =>
    `reorg-guard: "strict" is on, yet nothing backed up the state before this commit (git commit --no-verify, or no pre-commit hook: run 'reorg-guard init'); it is backed up now, after the commit.`,
  hookKeptPrevious: (branch: string, commit: string, reason: string) => `reorg-guard: ${commit.slice(0, 10)} kept on ${branch} (${reason}).`,
  hookReasonOrphaned: () => 'post-checkout: no branch or tag held the commits you left',
  hookReasonSwitch: () => 'post-checkout: the switch changes guarded paths',
  hookReasonRebase: (branch: string | null, upstream: string | null) =>
    `pre-rebase: ${branch ?? 'the current branch'} is rebased${upstream ? ` onto ${upstream}` : ''}`,
  hookNoSuchBranch: (branch: string) => `the branch ${q(branch)} to rebase does not exist`,
  hookBackupBroken: (name: string) => `the newest backup ${name} does not resolve to a commit`,
  hookSnapshotBroken: (ref: string) => `the snapshot ${ref} of the newest backup does not resolve to a commit`,
  hookRemoteUnreachable: (remote: string, why: string) => `cannot reach ${remote} to check the backups (${why})`,
  hookUnpushedList: (names: string[]) =>
    `reorg-guard: not on the remote ("push" is off in the config): ${names.join(', ')}`,
  hookPushFailed: (names: string[], why: string) => `could not push ${names.join(', ')} (${why})`,
  hookPushChecked: (pushed: number, remote: string, newest: string) =>
    `reorg-guard: ${pushed ? `${pushed} backup branch${pushed === 1 ? '' : 'es'} pushed to ${remote}; ` : ''}newest backup ${newest} checked.`,
  hookFailed: (name: string, why: string) => `reorg-guard ${name}: ${why}. Your git command goes on without it.`,
  hookFailedAfter: (name: string, why: string) => `reorg-guard ${name}: ${why}. Your commit is made; nothing was backed up.`,
  hookBlocked: (name: string, why: string) =>
    `reorg-guard ${name}: ${why}. Blocked because "strict" is on: fix it, or go ahead without reorg-guard with REORG_GUARD=0 git ... (or --no-verify).`,
  initWrote: (file: string) => `Wrote ${file}.`,
  initAddedBlock: (file: string) => `Added the reorg-guard block to ${file}.`,
  initChained: (file: string, kept: string) => `Kept your hook as ${kept}: ${file} runs it first.`,
  initRemovedPreCommit: (file: string) =>
    `Removed ${file}: without "strict", post-commit backs up a guarded commit, and any pre-commit hook makes git read the whole index again.`,
  initForeignClash: (file: string, kept: string) => `${file} is not reorg-guard's and ${kept} exists already: left both alone, hook not installed.`,
  initAddedEntry: (section: string, key: string, value: string) => `package.json: added ${section}.${key} = ${q(value)}.`,
  initAddedScripts: (names: string[]) => `package.json: added the npm scripts ${names.join(', ')}.`,
  initKeptEntry: (section: string, key: string, value: string) => `package.json: kept your ${section}.${key} (${q(value)}).`,
  initDone: (mode: string, at: string) => `reorg-guard hooks installed (${mode === 'native' ? 'git hooks' : 'husky'}) in ${at}.`,
  initNothing: (at: string) => `Already installed in ${at}: nothing changed.`,
  initRunNpmInstall: () => "Run 'npm install' to finish the setup: it installs husky, which turns the hooks on.",
  hookFileMissing: (file: string, huskyFile: string) =>
    `reorg-guard: ${file} is missing (reorg-guard is not installed), no backup taken: run 'npm install', or remove the reorg-guard block from ${huskyFile}.`,
  hookFileMissingStrict: () => 'reorg-guard: blocked because "strict" is on; to go ahead without a backup: REORG_GUARD=0 git ...',
  initHooksMissing: (dir: string) => `This reorg-guard package has no hook files (${dir} is missing or incomplete): reinstall it ('npm install -D reorg-guard').`,
  initLintStagedNode: (version: string, needs: string, node: string) =>
    `lint-staged ${version} needs Node >= ${needs}, and this is Node ${node}: its pre-commit fails until Node is upgraded or lint-staged 16 installed ('npm install -D lint-staged@16').`,
  initLintStagedNeedsPackage: () => '--lint-staged needs a package.json (lint-staged reads its config there): run npm init first.',
  packageJsonNotObject: (file: string) => `${file} must hold a JSON object.`,
  packageJsonSection: (file: string, section: string) => `${file}: ${q(section)} must be an object: fix it, then run init again.`,
  uninstallRemoved: (file: string) => `Removed ${file}.`,
  uninstallRestored: (file: string) => `Put your hook back at ${file}.`,
  uninstallRemovedBlock: (file: string) => `Removed the reorg-guard block from ${file}.`,
  uninstallRemovedEntry: (section: string, key: string) => `package.json: removed ${section}.${key}.`,
  uninstallKeptEntry: (section: string, key: string) => `package.json: kept ${section}.${key}: it was changed after init.`,
  uninstallNothing: () => 'Nothing of reorg-guard was installed here.',
  uninstallUnsetHooksPath: () => "Unset core.hooksPath, which husky's install had set.",
};
