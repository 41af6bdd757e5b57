/** Argument parsing and dispatch only (started by cli.ts). */
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { COMMANDS } from './commands/index.js';
import type { Options } from './commands/command.js';
import { ReorgGuardError, UsageError } from './errors.js';
import { GitError } from './git/exec.js';
import { createOutput, printError } from './ui/output.js';
import { msg } from './messages.js';
import { PACKAGE_ROOT } from './paths.js';
import { splitCommand } from './argv.js';

const GLOBAL: Options = {
  C: { type: 'string', short: 'C' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('package.json', PACKAGE_ROOT), 'utf8')) as { version: string };
  return pkg.version;
}

function mainHelp(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return [
    'reorg-guard: a safety net for risky repository reorganizations.',
    '',
    'Usage: reorg-guard [-C DIR] <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'Global options:',
    '  -C DIR      run as if started in DIR',
    '  --json      print data as JSON (where a command prints data)',
    '  -h, --help  help for reorg-guard or a command',
    '  --version   print the version',
    '',
    'Exit codes: 0 done, 1 a check or an operation failed, 2 bad usage or refused input (nothing changed).',
    "Run 'reorg-guard <command> --help' for a command's options.",
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const { pre, name, rest } = splitCommand(argv);
  if (pre.includes('--version')) {
    process.stdout.write(`${version()}\n`);
    return 0;
  }
  if (!name || name === 'help') {
    const topic = name === 'help' ? rest[0] : undefined;
    if (topic && COMMANDS[topic]) {
      process.stdout.write(`${(await COMMANDS[topic].load()).help}\n`);
      return 0;
    }
    process.stdout.write(`${mainHelp()}\n`);
    return pre.some((a) => a === '-h' || a === '--help') || name === 'help' ? 0 : 2;
  }
  const entry = COMMANDS[name];
  if (!entry) throw new UsageError(msg.unknownCommand(name));
  const command = await entry.load();
  let parsed;
  try {
    parsed = parseArgs({ args: [...pre, ...rest], options: { ...GLOBAL, ...command.options }, allowPositionals: true, strict: true });
  } catch (err) {
    // node says "Option '--to <value>' argument is ambiguous" for `--to -x`: say what that means.
    const dashed = /^Option '(-[-\w]+)[^']*' argument is ambiguous/.exec((err as Error).message);
    if (dashed) throw new UsageError(msg.dashValue(dashed[1], name));
    throw new UsageError(msg.badOption((err as Error).message.split('\n')[0], name));
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  if (values.help) {
    process.stdout.write(`${command.help}\n`);
    return 0;
  }
  const cwd = path.resolve(typeof values.C === 'string' ? values.C : '.');
  const out = createOutput(Boolean(values.json));
  return command.run({
    cwd,
    out,
    args: parsed.positionals,
    values,
    // Asked only when read: opening stdin costs ~6 ms, which a hook that never asks would pay.
    get interactive() {
      return Boolean(process.stdin.isTTY && process.stdout.isTTY) && process.env.CI !== 'true';
    },
  });
}

/** Maps any failure to one line on stderr and its exit code. */
export function report(err: unknown): number {
  if (process.env.DEBUG?.split(',').includes('reorg-guard')) console.error(err);
  if (err instanceof ReorgGuardError) {
    printError(err.message);
    return err.exitCode;
  }
  if (err instanceof GitError) {
    printError(msg.gitFailed(err.message));
    return 1;
  }
  printError(msg.unexpected((err as Error)?.message ?? String(err)));
  return 1;
}

// A closed stdout (`reorg-guard log | head`) must not crash the process, least of all in the
// middle of a rollback: later writes are dropped, the command runs to its end.
process.stdout.on('error', () => {});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.exitCode = report(err);
  },
);
