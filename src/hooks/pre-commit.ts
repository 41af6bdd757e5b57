/** pre-commit: the commit touches a guarded path → back up HEAD and the state being committed. */
import { createBackup } from '../backup/create.js';
import { diffTouches } from '../git/history.js';
import { msg } from '../messages.js';
import { guardedSpecs, type HookAction } from './context.js';

const preCommit: HookAction = async (ctx) => {
  const { repo, config, out } = ctx;
  if (!ctx.head) return; // the first commit replaces nothing
  // git gives us the index being committed (GIT_INDEX_FILE): does it touch a guarded path?
  if (!ctx.shChecked && !(await diffTouches(repo, ['--cached'], guardedSpecs(ctx)))) return;
  // The snapshot is the index being committed; pre-push pushes the branch.
  const backup = await createBackup(repo, config, {
    reason: 'pre-commit: the commit touches guarded paths',
    push: false,
    head: ctx.head,
    snapshot: 'index',
  });
  out.ok(msg.hookCommitBackedUp(backup.branch, config.push));
};
export default preCommit;
