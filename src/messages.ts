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
  // ---- issue 3: rollback, verify, undo, log ----
  needsYes: (command: string) => `${command} changes files and there is no terminal to ask: add --yes to go ahead, or --dry-run to see the plan. Nothing was changed.`,
  proceed: () => 'Go ahead?',
  declined: () => 'Not confirmed: nothing was changed.',
  planHeader: (command: string) => `Plan of reorg-guard ${command}:`,
  dryRunDone: () => 'Dry run: nothing was changed.',
  nothingToDo: (command: string) => `Nothing to do for ${command}: the repository is already there.`,
  planApplied: (command: string, written: number, deleted: number, moved: string | null) =>
    `${command}: ${written} file(s) restored, ${deleted} removed${moved ? `, ${moved} moved` : ''}.`,
  undoHint: (id: string, safety: string) => `The state before is kept in ${safety}; 'reorg-guard undo ${id}' takes it back.`,
  fetchFailed: (remote: string, why: string) => `Could not fetch backup branches from ${remote} (${why}): using the backups known locally.`,
  unknownBackup: (name: string) => `No backup named ${q(name)}: run 'reorg-guard list' for the names.`,
  noBackupToUse: () => "No backup to use: run 'reorg-guard backup' first (or give one with --to).",
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
  fullNoSnapshot: (backup: string) => `Backup ${backup} has no snapshot (nothing was uncommitted then): the work tree becomes its commit.`,
  nothingToUndo: () => 'Nothing to undo: the journal has no operation.',
  unknownOperation: (id: string) => `No operation ${q(id)} in the journal: run 'reorg-guard log' for the ids.`,
  ambiguousOperation: (id: string) => `${q(id)} starts more than one operation id: give more of it ('reorg-guard log').`,
  noSafetySnapshot: (id: string) => `Operation ${id} has no safety snapshot any more (its ref was deleted): it cannot be undone.`,
  undoArgs: () => 'undo takes at most one operation id.',
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
  verifyDeclarationsTitle: () => 'every top-level message, enum and service of the backup is still declared',
  verifyLostDeclaration: (kind: string, name: string, pkg: string, file: string) => `${kind} ${name} (package ${pkg || 'none'}, ${file}) is declared nowhere now`,
  verifyCollisionsTitle: () => 'no file was written from two source files',
  verifyCollision: (file: string, sources: string[]) => `${file} was written from ${sources.join(' and ')}`,
};
