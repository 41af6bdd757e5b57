/**
 * The life of every destructive command, in one place:
 *
 *   plan (the caller) -> show it (--dry-run stops here) -> ask on a terminal, or require
 *   --yes without one -> lock + safety snapshot + journal `started` -> apply -> journal the
 *   end -> report (the caller).
 *
 * Rollbacks and undo (through runPlanned), cleanup and restore go through `lifecycle`;
 * emergency-stop asks through `consent` and journals through `journaledStep` (it stops the runs
 * in between, before the snapshot). Declining is exit 2 like every refusal: nothing changed.
 * Journaling happens here only, never in a feature module.
 */
import type { Context } from './command.js';
import type { Repo } from '../git/repo.js';
import { journaled, type Begun, type JournaledOptions } from '../state/journal.js';
import type { ArgsOf, DoneOf, OperationName, PlanOf } from '../state/journal-entries.js';
import { UsageError } from '../errors.js';
import { msg } from '../messages.js';

export interface Consent {
  /** The command as a user types it after `reorg-guard`, e.g. `cleanup`, `rollback full`. */
  command: string;
  /** The plan as lines for people: shown (on stderr) before the question. */
  lines: string[];
  /** The yes/no question; `[y/N]` is added. */
  question: string;
  /** The command has --dry-run (the refusal names it). */
  dryRun: boolean;
}

/**
 * Returns when the command may go ahead: --yes, or "y"/"yes" typed on a terminal. Throws a
 * UsageError (exit 2, nothing changed) without a terminal and without --yes, or on any other answer.
 */
export async function consent(ctx: Pick<Context, 'interactive' | 'values'>, c: Consent): Promise<void> {
  if (ctx.values.yes) return;
  if (!ctx.interactive) throw new UsageError(msg.needYes(c.command, c.dryRun));
  if (c.lines.length) process.stderr.write(`${c.lines.join('\n')}\n`); // stderr: --json stays clean
  // loaded when a question is asked (node's readline with it): --yes and scripts never load it
  const { confirm } = await import('../ui/prompt.js');
  if (!(await confirm(c.question))) throw new UsageError(msg.declined());
}

/** Where and how a destructive step is journaled: what `op` journals is typed by its name. */
export interface JournalSpec<O extends OperationName> {
  repo: Repo;
  op: O;
  args: ArgsOf<O>;
  plan: PlanOf<O>;
  /** `journalMark` from before planning (a changed journal refuses the plan); undefined: not checked. */
  plannedAt?: string | null;
  closes?: JournaledOptions['closes'];
  /** The plan's reading of the work tree, used for the safety snapshot when no question is asked. */
  scanned?: JournaledOptions['scanned'];
  /** With `scanned`: the written paths to look at for ignored files in the way. */
  inTheWay?: JournaledOptions['inTheWay'];
}

export interface Destructive<R, O extends OperationName> {
  command: string;
  /** The plan as lines for people: printed by --dry-run, shown before the question (may be a getter: read only then). */
  lines: string[];
  /** The question to ask, or null when this plan needs no consent (it replaces nothing). */
  question: string | null;
  /** Where and how to journal; null when there is no repository to journal in. */
  journal: (JournalSpec<O> & { plannedAt: string | null }) | null;
  apply: (begun: Begun | null) => Promise<R>;
}

export type Outcome<R> = { dryRun: true } | { dryRun: false; result: R; begun: Begun | null };

/** Runs a planned destructive step through its whole life; see the top of this file. */
export async function lifecycle<R extends DoneOf<O>, O extends OperationName>(ctx: Context, d: Destructive<R, O>): Promise<Outcome<R>> {
  if (ctx.values['dry-run']) {
    for (const l of d.lines) ctx.out.info(l);
    ctx.out.info(msg.dryRunDone());
    return { dryRun: true };
  }
  // the lines read only when shown: a plan of a large tree lists thousands of files
  if (d.question !== null) await consent(ctx, { command: d.command, get lines() { return d.lines; }, question: d.question, dryRun: true });
  const asked = d.question !== null && !ctx.values.yes;
  if (!d.journal) return { dryRun: false, result: await d.apply(null), begun: null };
  // a question asked: the work tree may have changed while it waited, the safety snapshot reads it again
  const journal = asked ? { ...d.journal, scanned: null, inTheWay: undefined } : d.journal;
  return { dryRun: false, ...(await journaledStep(ctx, d.command, journal, d.apply)) };
}

/**
 * Lock + safety snapshot + journal `started`, apply, journal the end. A failure after the
 * safety snapshot says how to get back to the state before.
 */
export async function journaledStep<R extends DoneOf<O>, O extends OperationName>(
  ctx: Pick<Context, 'out'>, command: string, j: JournalSpec<O>, apply: (begun: Begun) => Promise<R>,
): Promise<{ result: R; begun: Begun }> {
  let begun: Begun | null = null;
  try {
    const result = await journaled(j.repo, j.op, j.args, j.plan, (b) => {
      begun = b;
      return apply(b);
    }, { plannedAt: j.plannedAt, closes: j.closes, scanned: j.scanned, inTheWay: j.inTheWay });
    return { result, begun: begun! };
  } catch (err) {
    if (begun) ctx.out.warn(msg.operationFailedUndo(command, (begun as Begun).id));
    throw err;
  }
}
