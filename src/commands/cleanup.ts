import pc from '../ui/colors.js';
import type { Command, Values } from './command.js';
import { openWorkspace } from '../workspace.js';
import { journalMark } from '../state/journal.js';
import { toDelete, type CleanupPlan, type RetentionRules } from '../backup/retention.js';
import { planCleanup } from '../backup/retention-facts.js';
import { backupsInUse } from '../rollback/backup-target.js';
import { applyCleanup, cleanupJournalPlan } from '../backup/cleanup.js';
import { HEADS, trackingPrefix } from '../git/ref-names.js';
import { parseDuration } from '../util/duration.js';
import { lifecycle } from './lifecycle.js';
import type { Config } from '../config.js';
import { UsageError } from '../errors.js';
import { bytes } from '../util/time.js';
import { msg } from '../messages.js';

function count(values: Values, opt: string, fallback: number): number {
  const raw = values[opt];
  if (raw === undefined) return fallback;
  if (typeof raw !== 'string' || !/^\d+$/.test(raw)) throw new UsageError(msg.badCount(opt, String(raw)));
  return Number(raw);
}

function rulesFrom(values: Values, config: Config): RetentionRules {
  const within = values['keep-within'] as string | undefined;
  return {
    keepBranches: count(values, 'keep-branches', config.keepBranches),
    keepArchives: count(values, 'keep-archives', config.keepArchives),
    keepWithinMs: within === undefined ? null : parseDuration(within),
    keepWithinText: within ?? null,
  };
}

/** The plan as lines for people: every backup and archive, kept or deleted, and why. */
function planLines(plan: CleanupPlan): string[] {
  const where = (b: CleanupPlan['backups'][number]) => {
    const has = (prefix: string) => b.local.some((r) => r.ref.startsWith(prefix));
    const remote = b.remote.length ? 'now' : has(trackingPrefix(plan.remote)) ? 'last seen' : null;
    return msg.cleanupWhere(has(HEADS), plan.remote, remote);
  };
  const mark = (keep: boolean) => (keep ? pc.green('keep  ') : pc.red('delete'));
  const lines = [msg.cleanupPlanHead()];
  if (plan.backups.length) lines.push(pc.bold('Backup branches'));
  for (const b of plan.backups) lines.push(`  ${mark(b.keep)} ${b.name}  ${pc.dim(`(${where(b)})`)}  ${b.reasons.join('; ')}`);
  if (plan.archives.length) lines.push(pc.bold('Archives'));
  for (const a of plan.archives) lines.push(`  ${mark(a.keep)} ${a.name}  ${pc.dim(bytes(a.size))}  ${a.reasons.join('; ')}`);
  return lines;
}

const cleanup: Command = {
  name: 'cleanup',
  help: `Usage: reorg-guard cleanup [--keep-branches N] [--keep-archives M] [--keep-within DURATION]
                         [--dry-run] [--yes] [--json]

Deletes old backups: backup branches in this clone and on the remote, their snapshot refs
and unpushed records, and this repository's archives in the backup dir (never another
repository's archives, never other files). A backup is kept when any rule keeps it:
  - it is among the N newest backup branches (config keepBranches, default 5),
    or the M newest archives (config keepArchives, default 10);
  - it is younger than DURATION (--keep-within 7d; units s, m, h, d, w);
  - it is the newest one, it is checked out, or an unfinished operation in the journal
    refers to it: these are never deleted.
The remote's refs go in one push, the local refs in one transaction. The run is journaled
with every deleted ref and its commit, after a safety snapshot. Exit 1 when the remote kept
refs it was asked to delete, or a backup it deleted without being asked could not be pushed
back (its commit is kept; 'reorg-guard push' tries again).

Options:
  --keep-branches N       keep the N newest backup branches
  --keep-archives M       keep the M newest archives
  --keep-within DURATION  also keep everything younger than DURATION (e.g. 7d)
  --dry-run               list what would go and what stays, and why; change nothing
  -y, --yes               do not ask (needed without a terminal)
  --json                  print {dryRun, plan, result} (result: null when nothing was
                          deleted)
  -C DIR                  run in DIR`,
  options: {
    'keep-branches': { type: 'string' },
    'keep-archives': { type: 'string' },
    'keep-within': { type: 'string' },
    'dry-run': { type: 'boolean' },
    yes: { type: 'boolean', short: 'y' },
  },
  async run(ctx) {
    const { out, values } = ctx;
    const { repo, config } = await openWorkspace(ctx.cwd);
    const rules = rulesFrom(values, config);
    const plannedAt = await journalMark(repo);
    const plan = await planCleanup(repo, config, rules, await backupsInUse(repo, config));
    const dryRun = Boolean(values['dry-run']);
    const doomed = toDelete(plan);
    const n = doomed.backups.length + doomed.archives.length;
    if (plan.remoteSkipped) out.warn(msg.cleanupRemoteSkipped(plan.remote, plan.remoteSkipped));
    if (n === 0) {
      out.info(msg.cleanupNothing());
      out.data({ dryRun, plan, result: null });
      return 0;
    }
    const done = await lifecycle(ctx, {
      command: 'cleanup',
      lines: planLines(plan),
      question: msg.cleanupConfirm(n),
      journal: { repo, op: 'cleanup', args: { ...rules, now: undefined }, plan: cleanupJournalPlan(plan), plannedAt },
      apply: (begun) => applyCleanup(repo, plan, begun!.id, config.networkTimeout * 1000),
    });
    if (done.dryRun) {
      out.data({ dryRun, plan, result: null });
      return 0;
    }
    const result = done.result;
    out.ok(msg.cleanupDone(result.local, result.remote, result.archives));
    out.info(`  ${msg.cleanupJournal(result.operation)}`);
    if (result.remoteFailed.length) out.warn(msg.cleanupRemoteFailed(result.remoteFailed, result.remoteError ?? 'rejected'));
    for (const s of result.unrestored) out.warn(msg.cleanupStrayUnrestored(s.ref, s.keptAt, plan.remote));
    out.data({ dryRun, plan, result });
    return result.remoteFailed.length || result.unrestored.length ? 1 : 0;
  },
};
export default cleanup;
