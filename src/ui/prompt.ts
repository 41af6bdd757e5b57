/**
 * Consent for destructive commands: `--yes` goes ahead, a terminal is asked, and without a
 * terminal the command refuses (exit 2) instead of guessing.
 */
import { createInterface } from 'node:readline/promises';
import { UsageError } from '../errors.js';
import { msg } from '../messages.js';

/** Asks a yes/no question on the terminal; only "y" or "yes" is a yes. */
export async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`${question} [y/N] `);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}

/**
 * True when the command may go ahead. Throws UsageError (exit 2) without a terminal and
 * without --yes; `what` says what would have happened.
 */
export async function consent(opts: { yes: boolean; interactive: boolean }, question: string, what: string): Promise<boolean> {
  if (opts.yes) return true;
  if (!opts.interactive) throw new UsageError(msg.needYes(what));
  return confirm(question);
}
