/**
 * pre-commit, installed only with "strict": true: the commit touches a guarded path → a backup
 * branch at HEAD (the state before the commit) before git makes it; when that fails, the
 * commit is blocked. Without strict, post-commit backs up the same state after the commit.
 */
import { createBackup } from '../backup/create.js';
import { diffTouches } from '../git/history.js';
import { rebaseInProgress } from '../git/repo.js';
import { msg } from '../messages.js';
import { alreadyBackedUp, guardedSpecs, type HookAction } from './context.js';

const preCommit: HookAction = async (ctx) => {
  const { repo, config, out, head } = ctx;
  // Not strict (any more): post-commit does it. The first commit replaces nothing. A rebase:
  // pre-rebase backed up the branch.
  if (!config.strict || !head || rebaseInProgress(repo)) return;
  // git gives us the index being committed (GIT_INDEX_FILE): does it touch a guarded path?
  if (!ctx.shChecked && !(await diffTouches(repo, ['--cached'], guardedSpecs(ctx)))) return;
  if (await alreadyBackedUp(ctx, head.commit)) return;
  const backup = await createBackup(repo, config, {
    at: head.commit, push: false, trigger: 'pre-commit', reason: msg.hookReasonStrictCommit(), branch: head.branch ?? 'detached',
  });
  out.ok(msg.hookCommitBackedUp(backup.branch, head.commit, 'commit', config.push));
};
export default preCommit;
