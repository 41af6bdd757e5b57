import type { Command } from './command.js';
import { HOOK_NAMES, runHook } from '../hooks/run.js';
import { UsageError } from '../errors.js';
import { msg } from '../messages.js';

const hook: Command = {
  name: 'hook',
  help: `Usage: reorg-guard hook <${HOOK_NAMES.join('|')}> [ARGS...]

What each git hook does once its sh file (installed by 'reorg-guard init') found something
guarded; ARGS are the hook's arguments from git. You do not normally run this yourself.

  post-commit    the commit changed a guarded path: a backup branch at the state before
                 it (its parent; after an amend, the commit it replaced); none during a
                 rebase; a cherry-pick or revert of several commits, one (the state
                 before the first)
  pre-commit     installed only with "strict": the commit touches a guarded path: a backup
                 branch at HEAD before the commit is made, or the commit is blocked
  post-checkout  the switch leaves commits no branch or tag holds, or changes guarded
                 paths: a backup branch at the previous HEAD
  pre-rebase     the branch being rebased touches guarded paths: a backup of it first
  pre-push       pushes the backup branches the remote lacks ("push": false: lists them)
                 and checks that the newest backup and its snapshot resolve

A failure is a warning and exit 0, so the git command goes on; with "strict": true in the
config it is exit 1, which blocks it (post-commit blocks nothing: the commit is made).
Backups made by hooks are pushed by the next pre-push. REORG_GUARD=0 (or HUSKY=0) skips
every hook.

Options:
  -C DIR  run in DIR`,
  positionals: true,
  options: {},
  async run({ cwd, out, args }) {
    const [name, ...rest] = args;
    if (!name) throw new UsageError(msg.hookUnknown('', HOOK_NAMES));
    // The process ends by itself once this returns: the hooks' git door (node's spawn, see
    // hooks/run.ts) leaves no timer or handle behind, so git waits for nothing more.
    return runHook(name, rest, cwd, out);
  },
};
export default hook;
