/**
 * Asking people: a line reader for menus (from a terminal or piped stdin with `--interactive`,
 * never waiting past the end of the input), and consent for destructive commands (`--yes` goes
 * ahead, a terminal is asked, and without a terminal the command refuses with exit 2).
 */
import { createInterface, type Interface } from 'node:readline';
import { createInterface as createPromptInterface } from 'node:readline/promises';
import { UsageError } from '../errors.js';
import { msg } from '../messages.js';

export interface LineReader {
  /** Writes `question` to stdout and resolves to the next line, or null at the end of input. */
  ask(question: string): Promise<string | null>;
  /** Lets go of stdin (e.g. while a child process uses the terminal); the next ask takes it again. */
  release(): void;
}

export function lineReader(input: NodeJS.ReadableStream = process.stdin, output: NodeJS.WritableStream = process.stdout): LineReader {
  let rl: Interface | null = null;
  let lines: AsyncIterator<string> | null = null;
  let ended = false;
  return {
    async ask(question) {
      output.write(question);
      if (ended) return null;
      if (!rl) {
        rl = createInterface({ input, terminal: false });
        lines = rl[Symbol.asyncIterator]();
      }
      const next = await lines!.next();
      if (next.done) {
        ended = true;
        output.write('\n');
        return null;
      }
      return next.value.trim();
    },
    release() {
      rl?.close();
      rl = null;
      lines = null;
    },
  };
}

/** Asks a yes/no question on the terminal (on stderr, so --json stays clean); only "y" or "yes" is a yes. */
export async function confirm(question: string): Promise<boolean> {
  const rl = createPromptInterface({ input: process.stdin, output: process.stderr });
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
  if (!(await confirm(msg.proceed()))) throw new UsageError(msg.declined());
}
