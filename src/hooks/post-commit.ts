/**
 * post-commit: the commit changed a guarded path → a backup branch at the state before it: the
 * parent, the commit an amend replaced, the branch a conflicted merge was concluded on (HEAD's
 * previous value in the reflog). git has made the commit already and that state still exists,
 * so nothing is lost by backing it up now, and the commit pays for no pre-commit hook (git reads
 * the whole index again after one). A failure cannot block anything here: "strict" blocks in
 * pre-commit, before the commit.
 */
import { createBackup } from '../backup/create.js';
import { commitBefore, diffTouches } from '../git/history.js';
import { rebaseInProgress, sequenceStart } from '../git/repo.js';
import { msg } from '../messages.js';
import { alreadyBackedUp, guardedSpecs, type HookAction } from './context.js';

const postCommit: HookAction = async (ctx) => {
  const { repo, config, out, head } = ctx;
  // A rebase picks commit after commit: pre-rebase backed up the branch before it began.
  if (!head || rebaseInProgress(repo)) return;
  const commit = await commitBefore(repo);
  // A cherry-pick or revert of several commits: the state before the first of them, once.
  const sequence = sequenceStart(repo);
  const before = sequence ?? commit.before;
  if (!before || before === head.commit) return; // the first commit replaces nothing
  // The sh hook asked git the same question with the same config, unless it said "maybe".
  if (!ctx.shChecked && !(await diffTouches(repo, [before, head.commit], guardedSpecs(ctx)))) return;
  if (await alreadyBackedUp(ctx, before)) return; // strict's pre-commit, a switch, an earlier pick
  const what = sequence
    ? 'sequence'
    : commit.action === 'commit (amend)'
      ? 'amend'
      : commit.parents.length > 1
        ? 'merge'
        : 'commit';
  const backup = await createBackup(repo, config, {
    at: before, push: false, trigger: 'post-commit', reason: commit.subject, branch: head.branch ?? 'detached',
  });
  out.ok(msg.hookCommitBackedUp(backup.branch, before, what, config.push));
  // strict's pre-commit backs up before the commit: it did not run (--no-verify, or not installed).
  if (config.strict && !sequence && commit.action.startsWith('commit')) out.warn(msg.hookStrictMissed());
};
export default postCommit;
