/**
 * The life of every destructive command, in one place: show the plan (--dry-run stops there),
 * confirm, take a safety snapshot and journal, apply, journal the end, report.
 * Not a command itself: rollback and undo call it.
 */
import type { Context } from './command.js';
import { gitOperationInProgress, type Repo } from '../git/repo.js';
import { UsageError } from '../errors.js';
import { journaled, listOperations } from '../state/journal.js';
import { applyPlan, describePlan, isNoop, type Plan } from '../rollback/plan.js';
import { confirmPlan } from '../ui/prompt.js';
import { msg } from '../messages.js';
import { stillAtWork } from '../recover/proc.js';

export interface Planned {
  /** Journal name and crash-point prefix, e.g. `rollback-quick`. */
  op: string;
  /** The command line as a user would type it, for the prompt and messages. */
  command: string;
  args: Record<string, unknown>;
  plan: Plan;
  /** `journalMark` taken before planning: an operation that ran since makes the plan stale. */
  plannedAt: string | null;
  /** The interrupted operation this one takes back (undo of a crashed one): closed once this is done. */
  closes?: { id: string; op: string };
}

export async function runPlanned(ctx: Context, repo: Repo, p: Planned): Promise<number> {
  const { out } = ctx;
  const lines = describePlan(p.plan).map((l) => `  ${l}`);
  if (ctx.values['dry-run']) {
    out.info(msg.planHeader(p.command));
    for (const l of lines) out.info(l);
    out.info(msg.dryRunDone());
    out.data({ dryRun: true, operation: p.op, plan: p.plan });
    return 0;
  }
  if (isNoop(p.plan)) {
    for (const n of p.plan.notes) out.info(n);
    out.ok(msg.nothingToDo(p.command));
    out.data({ operation: null, changed: false, plan: p.plan });
    return 0;
  }
  const busy = gitOperationInProgress(repo);
  if (busy) throw new UsageError(msg.gitBusy(busy.what, p.command, busy.abort));
  const [last] = await listOperations(repo);
  // (one whose process still runs is not unfinished but running: the operation lock answers that)
  if (last?.status === 'started' && p.op !== 'undo' && !stillAtWork(last.pid, last.startedAt)) out.warn(msg.unfinishedOperation(last.id, last.op));
  await confirmPlan(ctx, [msg.planHeader(p.command), ...lines], `reorg-guard ${p.command}`);
  let id = '';
  let safety = '';
  try {
    await journaled(repo, p.op, p.args, p.plan, async (begun) => {
      id = begun.id;
      safety = begun.safetyRef;
      if (begun.snapshot.dirtySubmodules.length) out.warn(msg.dirtySubmodules(begun.snapshot.dirtySubmodules));
      await applyPlan(repo, p.op, p.plan);
      return { written: p.plan.write.length, deleted: p.plan.delete.length };
    }, { plannedAt: p.plannedAt, closes: p.closes });
  } catch (err) {
    if (id) out.warn(msg.operationFailedUndo(p.command, id));
    throw err;
  }
  for (const n of p.plan.notes) out.info(n);
  out.ok(msg.planApplied(p.command, p.plan.write.length, p.plan.delete.length, p.plan.head ? p.plan.head.branch ?? 'HEAD' : null));
  out.info(`  ${msg.undoHint(id, safety)}`);
  out.data({ operation: id, safety, changed: true, plan: p.plan });
  return 0;
}
