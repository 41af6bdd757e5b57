/**
 * Reading answers line by line, from a terminal or from piped stdin (`--interactive`), never
 * waiting past the end of the input: at EOF every question gets null.
 */
import { createInterface, type Interface } from 'node:readline';

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
