import type { Command } from './command.js';
import { openWorkspace } from '../workspace.js';
import { createBackup } from '../backup/create.js';
import { createArchive } from '../backup/archive.js';
import { bytes } from '../util/time.js';
import { msg } from '../messages.js';
import { UsageError } from '../errors.js';

const backup: Command = {
  name: 'backup',
  help: `Usage: reorg-guard backup [--reason TEXT] [--baseline] [--trigger NAME] [--no-push]
                          [--archive] [--json] [FILE...]

Creates the branch <branchPrefix><YYYYMMDD_HHMMSS> (UTC; -2, -3, ... when the name is
taken) at HEAD without switching branches, saves staged, unstaged and untracked (not
ignored) work as a snapshot commit under refs/reorg-guard/snapshots/<branch>, and pushes
the branch to the remote (its snapshot too with "pushSnapshots": true; nothing with
"push": false). Your index, work tree and stash list are not touched.

FILEs, as lint-staged passes the staged ones, change nothing: a backup is always of the
whole state.

If the push fails (no remote, remote down, rejected), the backup stays local, is recorded
as unpushed, and the command still succeeds: a local backup is a backup.

Each backup keeps a record of what took it, when, why and on which branch, pushed with
it (refs/reorg-guard/records/<branch>): 'reorg-guard list' shows it, in any clone that
fetched it.

Options:
  --reason TEXT   why this backup was taken (kept in its record, the snapshot and the
                  reflog)
  --baseline      pin it as the baseline: verify and rollback compare with it by default
                  (instead of the newest backup from before the migration) until a newer pin
  --trigger NAME  what took it, as 'list' shows it (default: backup; letters, digits, '_'
                  and '-', up to 40)
  --no-push       do not push, record the branch as unpushed
  --archive       also write a verified tar.gz of the work tree (see 'archive')
  --json          print {branch, commit, snapshot, pushed, archive, trigger, reason,
                  takenOn, baseline}
  -C DIR          run in DIR`,
  // lint-staged appends the staged files to 'reorg-guard backup --reason lint-staged' (init's
  // entry): they are taken and left alone, the backup is of the whole state
  positionals: true,
  options: {
    reason: { type: 'string' },
    baseline: { type: 'boolean' },
    trigger: { type: 'string' },
    'no-push': { type: 'boolean' },
    archive: { type: 'boolean' },
  },
  async run({ cwd, out, values }) {
    const trigger = (values.trigger as string | undefined) ?? process.env.REORG_GUARD_TRIGGER;
    if (trigger !== undefined && !/^[A-Za-z0-9][\w-]{0,39}$/.test(trigger)) throw new UsageError(msg.badTrigger(trigger));
    const { repo, config } = await openWorkspace(cwd);
    const result = await createBackup(repo, config, {
      reason: values.reason as string | undefined,
      // `recover` runs this command for its fixes and says so through the environment
      trigger,
      pinBaseline: values.baseline === true,
      push: values['no-push'] ? false : undefined,
    });
    out.ok(msg.backupMade(result.branch));
    if (result.record.pinned) out.info(`  ${msg.baselinePinned()}`);
    out.info(result.snapshot ? `  ${msg.snapshotMade(result.snapshot)}` : `  ${msg.snapshotNone()}`);
    if (result.nestedRepos.length) out.warn(msg.nestedRepos(result.nestedRepos));
    if (result.dirtySubmodules.length) out.warn(msg.dirtySubmodules(result.dirtySubmodules));
    if (result.pushed) out.info(`  ${msg.pushed(config.remote)}`);
    else out.warn(msg.notPushed(result.pushError ?? 'not pushed'));
    let archive: string | null = null;
    if (values.archive) {
      const a = await createArchive(repo, config);
      archive = a.path;
      out.ok(msg.archiveMade(a.path, a.files, bytes(a.bytes)));
      if (a.skipped.length) out.warn(msg.archiveSkipped(a.skipped));
    }
    const r = result.record;
    out.data({ branch: result.branch, commit: result.commit, snapshot: result.snapshot, pushed: result.pushed, archive, trigger: r.trigger, reason: r.reason, takenOn: r.branch, baseline: r.pinned });
    return 0;
  },
};
export default backup;
