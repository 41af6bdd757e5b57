/** What every command file exports: its options, its help, and what it does. */
import type { ParseArgsConfig } from 'node:util';
import type { Output } from '../ui/output.js';

export type Options = NonNullable<ParseArgsConfig['options']>;
export type Values = Record<string, string | boolean | string[] | boolean[] | undefined>;

export interface Context {
  /** Folder the command runs in (-C DIR, else the current folder). */
  cwd: string;
  out: Output;
  /** Positionals after the command name. */
  args: string[];
  values: Values;
  /** Whether a person can answer a prompt. */
  interactive: boolean;
}

export interface Command {
  name: string;
  /** Full help text, shown by `reorg-guard <name> --help`. */
  help: string;
  options: Options;
  /** Takes arguments besides its options (ARCHIVE, a kind, COMMAND, lint-staged's files); without, one is refused. */
  positionals?: true;
  /** Returns the exit code. */
  run(ctx: Context): Promise<number>;
}
