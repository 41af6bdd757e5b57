/** pre-commit: the commit touches a guarded path → back up HEAD and the state being committed. */
import { createBackup } from '../backup/create.js';
import { msg } from '../messages.js';
import type { HookAction } from './context.js';

const preCommit: HookAction = async (ctx) => {
  const { repo, config, out } = ctx;
  if (!ctx.head) return; // the first commit replaces nothing
  // git gives us the index being committed (GIT_INDEX_FILE): does it touch a guarded path?
  // The sh hook knows when its config was current; only otherwise are these modules loaded.
  if (!ctx.shChecked) {
    const [{ diffTouches }, { guardedSpecs }] = await Promise.all([import('../git/history.js'), import('./context.js')]);
    if (!(await diffTouches(repo, ['--cached'], guardedSpecs(ctx)))) return;
  }
  // The snapshot is the index being committed; pre-push pushes the branch.
  const backup = await createBackup(repo, config, {
    reason: 'pre-commit: the commit touches guarded paths',
    push: false,
    head: ctx.head,
    snapshot: 'index',
    indexTree: (await ctx.indexTree) ?? undefined,
  });
  out.ok(msg.hookCommitBackedUp(backup.branch, config.push));
};
export default preCommit;
