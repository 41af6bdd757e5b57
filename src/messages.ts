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

  // ---- issue 4: hooks, init, uninstall ----
  hookUnknown: (name: string, names: string[]) => `${name ? `Unknown hook ${q(name)}` : 'Name a hook'}: one of ${names.join(', ')}.`,
  hookCommitBackedUp: (branch: string, push: boolean) =>
    `reorg-guard: backed up to ${branch}, with a snapshot of what you commit` +
    `${push ? '; your next git push sends it to the remote' : ''}.`,
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
  hookBlocked: (name: string, why: string) =>
    `reorg-guard ${name}: ${why}. Blocked because "strict" is on: fix it, or go ahead without reorg-guard with REORG_GUARD=0 git ... (or --no-verify).`,
  initWrote: (file: string) => `Wrote ${file}.`,
  initAddedBlock: (file: string) => `Added the reorg-guard block to ${file}.`,
  initChained: (file: string, kept: string) => `Kept your hook as ${kept}: ${file} runs it first.`,
  initForeignClash: (file: string, kept: string) => `${file} is not reorg-guard's and ${kept} exists already: left both alone, hook not installed.`,
  initAddedEntry: (section: string, key: string, value: string) => `package.json: added ${section}.${key} = ${q(value)}.`,
  initAddedScripts: (names: string[]) => `package.json: added the npm scripts ${names.join(', ')}.`,
  initKeptEntry: (section: string, key: string, value: string) => `package.json: kept your ${section}.${key} (${q(value)}).`,
  initDone: (mode: string, at: string) => `reorg-guard hooks installed (${mode === 'native' ? 'git hooks' : 'husky'}) in ${at}.`,
  initNothing: (at: string) => `Already installed in ${at}: nothing changed.`,
  initRunNpmInstall: () => "Run 'npm install' to finish the setup: it installs husky, which turns the hooks on.",
  initLintStagedNeedsPackage: () => '--lint-staged needs a package.json (lint-staged reads its config there): run npm init first.',
  packageJsonNotObject: (file: string) => `${file} must hold a JSON object.`,
  packageJsonSection: (file: string, section: string) => `${file}: ${q(section)} must be an object: fix it, then run init again.`,
  uninstallRemoved: (file: string) => `Removed ${file}.`,
  uninstallRestored: (file: string) => `Put your hook back at ${file}.`,
  uninstallRemovedBlock: (file: string) => `Removed the reorg-guard block from ${file}.`,
  uninstallRemovedEntry: (section: string, key: string) => `package.json: removed ${section}.${key}.`,
  uninstallKeptEntry: (section: string, key: string) => `package.json: kept ${section}.${key}: it was changed after init.`,
  uninstallNothing: () => 'Nothing of reorg-guard was installed here.',
};
