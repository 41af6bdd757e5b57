/** The command line's shape, read before anything else is loaded (cli.ts and main.ts). */

/** Splits leading global options (-C DIR, --json) from the command name and its arguments. */
export function splitCommand(argv: string[]): { pre: string[]; name: string | undefined; rest: string[] } {
  const pre: string[] = [];
  let i = 0;
  while (i < argv.length && argv[i].startsWith('-')) {
    pre.push(argv[i]);
    if ((argv[i] === '-C') && i + 1 < argv.length) pre.push(argv[++i]);
    i++;
  }
  return { pre, name: argv[i], rest: argv.slice(i + 1) };
}
