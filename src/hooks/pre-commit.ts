/** pre-commit: the commit touches a guarded path → back up HEAD as it was (the state before the commit). */
import { createBackup } from '../backup/create.js';
import { msg } from '../messages.js';
import type { HookAction, HookContext } from './context.js';
import { listRefs } from '../git/refs.js';
import { SNAPSHOT_PREFIX, backupBranchPrefix, backupName } from '../backup/refs.js';

/** A backup branch holds `commit` as it is, with no snapshot of other work (one for-each-ref). */
async function backedUpAsIs(ctx: HookContext, commit: string): Promise<boolean> {
  const prefix = backupBranchPrefix(ctx.config);
  const refs = await listRefs(ctx.repo, [prefix, SNAPSHOT_PREFIX]);
  const withSnapshot = new Set(refs.filter((r) => r.ref.startsWith(SNAPSHOT_PREFIX)).map((r) => backupName(r.ref, SNAPSHOT_PREFIX)));
  return refs.some((r) => r.ref.startsWith(prefix) && r.commit === commit && !withSnapshot.has(backupName(r.ref, 'refs/heads/')));
}

const preCommit: HookAction = async (ctx) => {
  const { repo, config, out } = ctx;
  if (!ctx.head) return; // the first commit replaces nothing
  // git gives us the index being committed (GIT_INDEX_FILE): does it touch a guarded path?
  // The sh hook knows when its config was current; only otherwise are these modules loaded.
  if (!ctx.shChecked) {
    const [{ diffTouches }, { guardedSpecs }] = await Promise.all([import('../git/history.js'), import('./context.js')]);
    if (!(await diffTouches(repo, ['--cached'], guardedSpecs(ctx)))) return;
  }
  // A backup is the state before the commit: HEAD as it was, not what is being committed (that
  // becomes the commit itself), and not the work the commit leaves alone. A commit retried
  // after a failure makes no second backup of the same HEAD. pre-push pushes the branch.
  if (await backedUpAsIs(ctx, ctx.head.commit)) return;
  const backup = await createBackup(repo, config, {
    at: ctx.head.commit,
    trigger: 'pre-commit',
    reason: 'the commit touches guarded paths',
    branch: ctx.head.branch ?? 'detached',
    push: false,
  });
  out.ok(msg.hookCommitBackedUp(backup.branch, config.push));
};
export default preCommit;
