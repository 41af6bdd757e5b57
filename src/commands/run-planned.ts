/**
 * Rollbacks and undo: a file plan (rollback/plan.ts) through the lifecycle of every destructive
 * command (lifecycle.ts), with the checks that only a plan over the work tree needs.
 */
import type { Context } from './command.js';
import { gitOperationInProgress, type Repo } from '../git/repo.js';
import { UsageError } from '../errors.js';
import { listOperations } from '../state/journal.js';
import type { ArgsOf, FilePlanOperation, OperationName } from '../state/journal-entries.js';
import { applyPlan, describePlan, isNoop, type Plan } from '../rollback/plan.js';
import { scanOf, writesToCheck } from '../rollback/restore-snapshot.js';
import { msg } from '../messages.js';
import { stillAtWork } from '../util/proc.js';
import { lifecycle } from './lifecycle.js';

export interface Planned<O extends FilePlanOperation> {
  /** Journal name and crash-point prefix, e.g. `rollback-quick`. */
  op: O;
  /** The command line as a user would type it, for the prompt and messages. */
  command: string;
  args: ArgsOf<O>;
  plan: Plan;
  /** `journalMark` taken before planning: an operation that ran since makes the plan stale. */
  plannedAt: string | null;
  /** More for --json (e.g. the backup used and why). */
  data?: Record<string, unknown>;
  /** The interrupted operation this one takes back (undo of a crashed one): closed once this is done. */
  closes?: { id: string; op: OperationName };
}

export async function runPlanned<O extends FilePlanOperation>(ctx: Context, repo: Repo, p: Planned<O>): Promise<number> {
  const { out } = ctx;
  const dryRun = Boolean(ctx.values['dry-run']);
  if (!dryRun && isNoop(p.plan)) {
    for (const n of p.plan.notes) out.info(n);
    out.ok(msg.nothingToDo(p.command));
    out.data({ operation: null, changed: false, plan: p.plan, ...p.data });
    return 0;
  }
  if (!dryRun) {
    const busy = gitOperationInProgress(repo);
    if (busy) throw new UsageError(msg.gitBusy(busy.what, p.command, busy.abort));
    const [last] = await listOperations(repo);
    // (one whose process still runs is not unfinished but running: the operation lock answers that)
    if (last?.status === 'started' && p.op !== 'undo' && !stillAtWork(last.pid, last.startedAt)) out.warn(msg.unfinishedOperation(last.id, last.op));
  }
  const done = await lifecycle(ctx, {
    command: p.command,
    // made only when shown (--dry-run, or before the question): with --yes nobody reads thousands of lines
    get lines() {
      return [msg.planHeader(p.command), ...describePlan(p.plan).map((l) => `  ${l}`)];
    },
    question: msg.proceed(),
    journal: { repo, op: p.op, args: p.args, plan: p.plan, plannedAt: p.plannedAt, closes: p.closes, scanned: scanOf(p.plan), inTheWay: writesToCheck(p.plan) },
    apply: async (begun) => {
      if (begun?.snapshot.dirtySubmodules.length) out.warn(msg.dirtySubmodules(begun.snapshot.dirtySubmodules));
      // the branch HEAD names, as the safety snapshot read it under the operation lock
      // the refs through the update-ref that made the safety ref
      await applyPlan(repo, p.op, p.plan, begun?.snapshot.branch, begun?.refs);
      return { written: p.plan.write.length, deleted: p.plan.delete.length };
    },
  });
  if (done.dryRun) {
    out.data({ dryRun: true, operation: p.op, plan: p.plan, ...p.data });
    return 0;
  }
  const { id, safetyRef } = done.begun!;
  for (const n of p.plan.notes) out.info(n);
  out.ok(msg.planApplied(p.command, p.plan.write.length, p.plan.delete.length, p.plan.head ? p.plan.head.branch ?? 'HEAD' : null));
  out.info(`  ${msg.undoHint(id, safetyRef)}`);
  out.data({ operation: id, safety: safetyRef, changed: true, plan: p.plan, ...p.data });
  return 0;
}
