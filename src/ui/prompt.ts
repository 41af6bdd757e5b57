/**
 * Asking people: a line reader for menus (from a terminal or piped stdin with `--interactive`,
 * never waiting past the end of the input), and a yes/no question on the terminal (the consent
 * of destructive commands is commands/lifecycle.ts).
 */
import { createInterface, type Interface } from 'node:readline';
import { createInterface as createPromptInterface } from 'node:readline/promises';

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
