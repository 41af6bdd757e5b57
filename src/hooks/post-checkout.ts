/**
 * post-checkout: a branch switch that leaves commits no branch or tag holds (work made on a
 * detached HEAD), or that changes guarded paths → a backup branch at the previous HEAD.
 */
import { createBackup } from '../backup/create.js';
import { diffTouches, isOrphaned } from '../git/history.js';
import { msg } from '../messages.js';
import { armNewWorktree } from './new-worktree.js';
import { alreadyBackedUp, guardedSpecs, isObjectId, type HookAction } from './context.js';

const postCheckout: HookAction = async (ctx) => {
  const { repo, config, out, args } = ctx;
  const [previous, next, branchSwitch] = args;
  // No previous HEAD: a new worktree (the sh hook starts node for a linked one only), or a clone.
  if (/^0+$/.test(previous ?? '')) return armNewWorktree(ctx);
  if (branchSwitch !== '1' || !isObjectId(previous) || !isObjectId(next) || previous === next) return;
  const orphaned = await isOrphaned(repo, previous);
  if (!orphaned && !(await diffTouches(repo, [previous, next], guardedSpecs(ctx)))) return;
  if (!orphaned && (await alreadyBackedUp(ctx, previous))) return;
  const reason = orphaned ? msg.hookReasonOrphaned() : msg.hookReasonSwitch();
  const backup = await createBackup(repo, config, { at: previous, trigger: 'post-checkout', reason, push: false });
  out.ok(msg.hookKeptPrevious(backup.branch, previous, reason));
};
export default postCheckout;
