/** pre-commit: the commit touches a guarded path → back up HEAD and the state being committed. */
import { createBackup } from '../backup/create.js';
import { diffTouches } from '../git/history.js';
import { msg } from '../messages.js';
import { guardedSpecs, type HookAction } from './context.js';

const preCommit: HookAction = async (ctx) => {
  const { repo, config, out } = ctx;
  // git gives us the index being committed (GIT_INDEX_FILE): does it touch a guarded path?
  if (!ctx.shChecked && !(await diffTouches(repo, ['--cached'], guardedSpecs(ctx)))) return;
  // The snapshot starts from a copy of that index; pre-push pushes the branch.
  let backup;
  try {
    backup = await createBackup(repo, config, { reason: 'pre-commit: the commit touches guarded paths', push: false });
  } catch (err) {
    if ((err as Error).message === msg.emptyRepo()) return; // the first commit replaces nothing
    throw err;
  }
  out.ok(msg.hookCommitBackedUp(backup.branch, config.push));
};
export default preCommit;
