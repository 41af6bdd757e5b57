/** The git hooks, init and uninstall. */
import { q, count, sentence } from './format.js';

export const hooks = {
  hookUnknown: (name: string, names: string[]) => `${name ? `Unknown hook ${q(name)}` : 'Name a hook'}: one of ${names.join(', ')}.`,
  hookCommitBackedUp: (branch: string, before: string, what: 'commit' | 'amend' | 'merge' | 'sequence', push: boolean) =>
    `reorg-guard: backed up to ${branch}: ${
      { commit: 'the state before this commit', amend: 'the commit this amend replaced', merge: 'the branch before this merge', sequence: 'the state before this cherry-pick or revert began' }[what]
    } (${before.slice(0, 10)})${push ? '; your next git push sends it to the remote' : ''}.`,
  hookReasonStrictCommit: () => 'pre-commit ("strict"): before a commit that touches guarded paths',
  hookStrictMissed: () =>
    `reorg-guard: "strict" is on, yet nothing backed up the state before this commit (git commit --no-verify, or no pre-commit hook: run 'reorg-guard init'); it is backed up now, after the commit.`,
  hookArmedWorktree: (hooksDir: string, main: string) =>
    `reorg-guard: this new worktree had no git hooks (${hooksDir} is written by 'npm install', never checked out): copied them from ${main}, so its commits back up too.`,
  hookWorktreeUnarmed: (hooksDir: string) =>
    `reorg-guard: this new worktree has no git hooks (${hooksDir} is missing): its commits take no backup until 'npm install' runs in it.`,
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
    `reorg-guard: ${pushed ? `${count(pushed, 'backup branch', 'backup branches')} pushed to ${remote}; ` : ''}newest backup ${newest} checked.`,
  hookFailed: (name: string, why: string) => `reorg-guard ${name}: ${sentence(why)} Your git command goes on without it.`,
  hookFailedAfter: (name: string, why: string) => `reorg-guard ${name}: ${sentence(why)} Your commit is made; nothing was backed up.`,
  hookBlocked: (name: string, why: string) =>
    `reorg-guard ${name}: ${sentence(why)} Blocked because "strict" is on: fix it, or go ahead without reorg-guard with REORG_GUARD=0 git ... (or --no-verify).`,
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
  initPrepareWithoutHusky: (prepare: string) =>
    `package.json: your scripts.prepare (${q(prepare)}) does not run husky, so 'npm install' will not turn the hooks on and no backup would be taken: make it ${q(`husky && ${prepare}`)}, then run 'npm install'.`,
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
