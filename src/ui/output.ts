/** How commands talk: lines for people (colour unless NO_COLOR), JSON for scripts. */
import pc from './colors.js';

export interface Output {
  json: boolean;
  /** A line for people on stdout (quiet in --json mode). */
  info(line: string): void;
  /** Something done: a green check in front. */
  ok(line: string): void;
  /** A warning on stderr, in every mode. */
  warn(line: string): void;
  /** Data for scripts on stdout (only in --json mode). */
  data(value: unknown): void;
}

export function createOutput(json: boolean): Output {
  return {
    json,
    info(line) {
      if (!json) process.stdout.write(`${line}\n`);
    },
    ok(line) {
      if (!json) process.stdout.write(`${pc.green('✔')} ${line}\n`);
    },
    warn(line) {
      process.stderr.write(`${pc.yellow('warning:')} ${line}\n`);
    },
    data(value) {
      if (json) process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
    },
  };
}

export function printError(line: string): void {
  process.stderr.write(`${pc.red('error:')} ${line}\n`);
}
