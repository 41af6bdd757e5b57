/**
 * pre-rebase: the branch being rebased touches guarded paths relative to its upstream → back it
 * up, unless a backup branch holds that commit already (the rule of every hook).
 */
import { createBackup } from '../backup/create.js';
import { diffTouches } from '../git/history.js';
import { resolveCommit } from '../git/refs.js';
import { branchRef } from '../git/ref-names.js';
import { checkName } from '../util/validate.js';
import { OperationError } from '../errors.js';
import { msg } from '../messages.js';
import { alreadyBackedUp, guardedSpecs, type HookAction } from './context.js';

const preRebase: HookAction = async (ctx) => {
  const { repo, config, out, args, head } = ctx;
  const upstream = args[0] ? checkName('upstream', args[0]) : null;
  const branch = args[1] ? checkName('branch', args[1]) : null;
  // Rebasing another branch: git has not switched to it yet, so back up its tip, not HEAD.
  const tip = branch ? ((await resolveCommit(repo, branchRef(branch))) ?? (await resolveCommit(repo, branch))) : null;
  if (branch && !tip) throw new OperationError(msg.hookNoSuchBranch(branch));
  // --root has no upstream: everything is rebased, so back up.
  if (upstream && !(await diffTouches(repo, [`${upstream}...${tip ?? 'HEAD'}`], guardedSpecs(ctx)))) return;
  // Rebasing the same commits again (a second `rebase -x`, a rebase that changed nothing): the
  // backup of the first one holds them already.
  const at = tip ?? head?.commit;
  if (at && (await alreadyBackedUp(ctx, at))) return;
  const reason = msg.hookReasonRebase(branch, upstream);
  const backup = await createBackup(repo, config, {
    at: tip ?? undefined,
    trigger: 'pre-rebase',
    reason,
    // the branch being rebased (named, or the checked-out one)
    ...(branch ? { branch: branchRef(branch) } : {}),
    push: false,
  });
  out.ok(msg.hookKeptPrevious(backup.branch, backup.commit, reason));
};
export default preRebase;
