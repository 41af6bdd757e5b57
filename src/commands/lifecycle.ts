/**
 * The life of every destructive command, in one place:
 *
 *   plan (the caller) -> show it (--dry-run stops here) -> ask on a terminal, or require
 *   --yes without one -> lock + safety snapshot + journal `started` -> apply -> journal the
 *   end -> report (the caller).
 *
 * Rollbacks and undo (through runPlanned), cleanup and restore go through `lifecycle`;
 * emergency-stop asks through `consent`. Declining is exit 2 like every refusal: nothing changed.
 */
import type { Context } from './command.js';
import type { Repo } from '../git/repo.js';
import { journaled, type Begun, type JournaledOptions } from '../state/journal.js';
import { confirm } from '../ui/prompt.js';
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
  if (!(await confirm(c.question))) throw new UsageError(msg.declined());
}

export interface Destructive<R> {
  command: string;
  /** The plan as lines for people: printed by --dry-run, shown before the question. */
  lines: string[];
  /** The question to ask, or null when this plan needs no consent (it replaces nothing). */
  question: string | null;
  /** Where and how to journal; null when there is no repository to journal in. */
  journal: {
    repo: Repo; op: string; args: unknown; plan: unknown; plannedAt: string | null; closes?: JournaledOptions['closes'];
    /** The plan's reading of the work tree, used for the safety snapshot when no question is asked. */
    scanned?: JournaledOptions['scanned'];
  } | null;
  apply: (begun: Begun | null) => Promise<R>;
}

export type Outcome<R> = { dryRun: true } | { dryRun: false; result: R; begun: Begun | null };

/** Runs a planned destructive step through its whole life; see the top of this file. */
export async function lifecycle<R>(ctx: Context, d: Destructive<R>): Promise<Outcome<R>> {
  if (ctx.values['dry-run']) {
    for (const l of d.lines) ctx.out.info(l);
    ctx.out.info(msg.dryRunDone());
    return { dryRun: true };
  }
  if (d.question !== null) await consent(ctx, { command: d.command, lines: d.lines, question: d.question, dryRun: true });
  // while a question waited, the work tree may have changed: the safety snapshot reads it again
  const asked = d.question !== null && !ctx.values.yes;
  if (!d.journal) return { dryRun: false, result: await d.apply(null), begun: null };
  const j = d.journal;
  let begun: Begun | null = null;
  try {
    const result = await journaled(j.repo, j.op, j.args, j.plan, (b) => {
      begun = b;
      return d.apply(b);
    }, { plannedAt: j.plannedAt, closes: j.closes, scanned: asked ? null : j.scanned });
    return { dryRun: false, result, begun };
  } catch (err) {
    // Failed after its safety snapshot: say how to get back to the state before.
    if (begun) ctx.out.warn(msg.operationFailedUndo(d.command, (begun as Begun).id));
    throw err;
  }
}
