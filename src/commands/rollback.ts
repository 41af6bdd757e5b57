import type { Command, Context } from './command.js';
import { openWorkspace } from '../workspace.js';
import { currentBranch } from '../git/repo.js';
import { ReorgGuardError, UsageError } from '../errors.js';
import { findBackup, backupState, describeTarget, targetData, type BackupTarget } from '../rollback/backup-target.js';
import { planRestore } from '../rollback/restore-snapshot.js';
import { checkRepoPath } from '../util/validate.js';
import { runPlanned } from './run-planned.js';
import { journalMark } from '../state/journal.js';
import { msg } from '../messages.js';
import { hookFilesInTree } from '../hooks/install/hook-files.js';
import { applyFileByFile, type Plan } from '../rollback/plan.js';
import type { Repo } from '../git/repo.js';
import { tierUpLater } from '../util/tier-up-later.js';
import { partition } from '../util/group.js';

/**
 * The hook files the backup lacks or holds as they were before init (init ran, or they were
 * committed, after it) stay as they are: without them git would run no hook of ours and the
 * commits after the rollback would take no backup. Applied file by file then, since git's reset
 * would remove or rewrite the tracked ones.
 */
async function keepHookFiles(repo: Repo, plan: Plan): Promise<void> {
  if (plan.delete.length === 0 && plan.write.length === 0) return;
  const isHookFile = hookFilesInTree(repo);
  // each list read once: isHookFile may read a husky hook file to look for our block
  const [keptDeletes, deletes] = partition(plan.delete, isHookFile);
  const [keptWrites, writes] = partition(plan.write, (w) => isHookFile(w.path));
  const kept = [...keptDeletes, ...keptWrites.map((w) => w.path)];
  if (kept.length === 0) return;
  plan.delete = deletes;
  plan.write = writes;
  applyFileByFile(plan);
  plan.notes.push(msg.fullKeptHooks(kept));
}

const KINDS = ['quick', 'full', 'selective'];

const rollback: Command = {
  name: 'rollback',
  help: `Usage: reorg-guard rollback quick|full [--to NAME] [--dry-run] [--yes] [--json]
       reorg-guard rollback selective (--domain NAME | --file PATH) [--to NAME] [--dry-run]
                                      [--yes] [--json]

  quick      config files back from their *.backup (else from the baseline backup),
             the new layout root removed, generated files of the new layout only removed.
             Generated files beside an original .proto in the old layout are never touched.
             Refuses (exit 1) when old-layout protos are gone: use 'rollback full'.
  full       the current branch (or detached HEAD) back to the baseline (or --to), and
             the work tree and index to the backup's snapshot, byte for byte, untracked
             files included. Fetches the remote's backup branches first.
  selective  --domain NAME: the domain's new-layout folder removed, its old-layout folder
             as in the backup. --file PATH: that path and its own x.pb.go/x_grpc.pb.go as
             in the backup (restored, or removed when the backup lacks them).

Before changing anything, every rollback takes a safety snapshot of the whole state and
journals itself: 'reorg-guard undo' takes it back. Ignored files are never touched.

Options:
  --to NAME      the backup to use, or any commit (origin/main, a tag, a SHA). Default: the
                 baseline, the newest backup of this branch from before the migration began
                 (or pinned with 'backup --baseline'); quick and selective after a rollback
                 full: the backup it went to. The command names the one it uses, and why.
  --domain NAME  selective: the domain
  --file PATH    selective: the file, relative to the repository top
  --dry-run      print the exact plan (files to restore and delete, refs to move), change nothing
  -y, --yes      do not ask (required without a terminal)
  --json         print the plan or the result as JSON
  -C DIR         run in DIR`,
  positionals: true,
  options: {
    to: { type: 'string' },
    domain: { type: 'string' },
    file: { type: 'string' },
    'dry-run': { type: 'boolean' },
    yes: { type: 'boolean', short: 'y' },
  },
  async run(ctx: Context) {
    tierUpLater(); // short loops over thousands of paths: see util/tier-up-later.ts
    const { values, out } = ctx;
    const [kind, ...extra] = ctx.args;
    if (!kind || !KINDS.includes(kind) || extra.length) throw new UsageError(msg.rollbackKind(kind ?? ''));
    const to = values.to as string | undefined;
    const domain = values.domain as string | undefined;
    const file = values.file as string | undefined;
    // each kind loads its own planning (rollback full, the one timed against git, loads neither)
    const selective = kind === 'selective' ? await import('../rollback/selective.js') : null;
    if (selective) {
      if ((domain === undefined) === (file === undefined)) throw new UsageError(msg.selectiveWhich());
      if (domain !== undefined) selective.checkDomain(domain);
      else checkRepoPath(file!);
    } else if (domain !== undefined || file !== undefined) throw new UsageError(msg.selectiveOnly());

    // rollback full: HEAD and the branch read with the repository, for the backup's choice and the plan
    const { repo, config, head } = await openWorkspace(ctx.cwd, { command: `rollback ${kind}`, head: kind === 'full' });
    const plannedAt = await journalMark(repo);
    const warn = (l: string) => out.warn(l);
    const args = { to, domain, file };
    /** The one line that says which backup and why; --json carries the same. */
    const using = (b: BackupTarget) => {
      out.info(describeTarget(b));
      return { backup: targetData(b) };
    };
    if (kind === 'quick') {
      // After a rollback full, the backup it went to; else the baseline (for config files whose *.backup is missing).
      const backup = await findBackup(repo, config, { name: to, warn, afterRollback: true }).catch((err) => {
        if (to === undefined && err instanceof ReorgGuardError && err.exitCode === 1) return null;
        throw err;
      });
      const data = backup ? using(backup) : { backup: null };
      const { planQuick } = await import('../rollback/quick.js');
      return runPlanned(ctx, repo, { op: 'rollback-quick', command: 'rollback quick', args, plannedAt, plan: await planQuick(repo, config, backup), data });
    }
    if (kind === 'full') {
      const backup = await findBackup(repo, config, { name: to, fetch: true, warn, head });
      const data = using(backup);
      const plan = await planRestore(repo, await backupState(repo, backup, head ? head.branch : await currentBranch(repo)), head);
      if (!backup.snapshot) plan.notes.push(msg.fullNoSnapshot(backup.name));
      await keepHookFiles(repo, plan);
      // Where it went, for the verify rollback, rollback quick and selective that follow.
      const target = { backup: backup.name, commit: backup.commit };
      return runPlanned(ctx, repo, { op: 'rollback-full', command: `rollback full --to ${backup.name}`, args: { ...args, target }, plannedAt, plan, data });
    }
    const backup = await findBackup(repo, config, { name: to, warn, afterRollback: true });
    const data = using(backup);
    const plan = domain !== undefined ? await selective!.planDomain(repo, config, backup, domain) : await selective!.planFile(repo, config, backup, file!);
    const what = domain !== undefined ? `--domain ${domain}` : `--file ${file}`;
    return runPlanned(ctx, repo, { op: 'rollback-selective', command: `rollback selective ${what} --to ${backup.name}`, args, plannedAt, plan, data });
  },
};
export default rollback;
