/**
 * pre-push: backup verification. Every local backup branch the remote lacks is pushed (with
 * `push: false`, listed); the newest backup and its snapshot must resolve. Our own push runs
 * with --no-verify (git/remote.ts), so it does not run this hook again.
 */
import { listBackups } from '../backup/list.js';
import { pushBackupsRenamingTaken } from '../backup/create.js';
import { backupBranchPrefix, branchRef } from '../git/ref-names.js';
import { lsRemote, hasRemote } from '../git/remote.js';
import { resolveCommit } from '../git/refs.js';
import { GitError } from '../git/exec.js';
import { OperationError } from '../errors.js';
import { msg } from '../messages.js';
import type { HookAction } from './context.js';

const prePush: HookAction = async ({ repo, config, out }) => {
  const backups = (await listBackups(repo, config)).filter((b) => b.local);
  if (backups.length === 0) return;
  const problems: string[] = [];

  const newest = backups[0];
  if (!(await resolveCommit(repo, branchRef(newest.name)))) problems.push(msg.hookBackupBroken(newest.name));
  if (newest.snapshot && !(await resolveCommit(repo, newest.snapshot))) problems.push(msg.hookSnapshotBroken(newest.snapshot));

  let lacking = backups.filter((b) => b.unpushed || !b.remote);
  if (await hasRemote(repo, config.remote)) {
    try {
      const remote = await lsRemote(repo, config.remote, [`${backupBranchPrefix(config)}*`], config.networkTimeout * 1000);
      lacking = backups.filter((b) => remote.get(branchRef(b.name)) !== b.commit);
    } catch (err) {
      if (!(err instanceof GitError)) throw err;
      problems.push(msg.hookRemoteUnreachable(config.remote, err.message));
    }
  }
  const names = lacking.map((b) => b.name);
  let pushed = 0;
  let newestName = newest.name;
  if (names.length && !config.push) out.info(msg.hookUnpushedList(names));
  else if (names.length && problems.length === 0) {
    const res = await pushBackupsRenamingTaken(repo, config, names, lacking.filter((b) => b.snapshot).map((b) => b.name), {
      records: lacking.filter((b) => b.recordRef).map((b) => b.name),
    });
    for (const [old, name] of res.renamed) {
      out.warn(msg.backupRenamedTaken(old, name, config.remote));
      if (old === newestName) newestName = name;
    }
    pushed = res.pushed.length;
    if (res.failed.length) problems.push(msg.hookPushFailed(res.failed, res.error ?? msg.pushRejected()));
  }
  if (problems.length) throw new OperationError(problems.join('; '));
  out.ok(msg.hookPushChecked(pushed, config.remote, newestName));
};
export default prePush;
