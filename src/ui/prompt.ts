/**
 * Asking before destroying: on a terminal the plan is shown and a person says yes; without a
 * terminal and without --yes the command refuses (exit 2) instead of guessing.
 */
import { createInterface } from 'node:readline/promises';
import { UsageError } from '../errors.js';
import { msg } from '../messages.js';

/** Asks a yes/no question on the terminal; anything but y/yes is a no. */
export async function ask(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`${question} [y/N] `);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}

export interface ConfirmContext {
  interactive: boolean;
  values: Record<string, unknown>;
}

/**
 * Returns when the user agreed (--yes, or "y" at the prompt); throws a UsageError (exit 2,
 * nothing changed) when there is nobody to ask or the answer is no. The plan goes to stderr,
 * so that --json output stays clean.
 */
export async function confirmPlan(ctx: ConfirmContext, plan: string[], command: string): Promise<void> {
  if (ctx.values.yes) return;
  if (!ctx.interactive) throw new UsageError(msg.needsYes(command));
  process.stderr.write(`${plan.join('\n')}\n`);
  if (!(await ask(msg.proceed()))) throw new UsageError(msg.declined());
}
