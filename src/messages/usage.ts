/** Where reorg-guard runs and how it is called: errors of usage, one line each. */
import { q } from './format.js';

export const usage = {
  notARepo: (dir: string) => `${dir} is not inside a git repository: run reorg-guard inside one, or pass -C DIR.`,
  bareRepo: (dir: string) => `${dir} is a bare repository: reorg-guard needs a work tree.`,
  noSuchDir: (dir: string) => `${dir} does not exist.`,
  emptyRepo: () => 'This repository has no commit yet: make a first commit, then back up.',
  unknownCommand: (name: string) => `Unknown command ${q(name)}: run 'reorg-guard --help' for the list.`,
  badOption: (why: string, cmd: string) => `${why.replace(/\.?$/, '.')} Run 'reorg-guard ${cmd} --help'.`,
  unexpectedArgument: (arg: string, cmd: string) => `Unexpected argument ${q(arg)}: reorg-guard ${cmd} takes options only (they start with '-'); nothing was done.`,
  dashValue: (option: string, cmd: string) =>
    `${option} needs a value, and a value starting with '-' is refused (it would read as an option). Run 'reorg-guard ${cmd} --help'.`,
  dashName: (what: string, value: string) => `The ${what} ${q(value)} starts with '-': refused, it would read as an option.`,
  unsafePath: (value: string, why: string) => `The path ${q(value)} is refused: ${why}.`,
  // why a name or a path from the user is refused (unsafePath and configRefused say it)
  whyNotValid: (what: string) => `not a valid ${what}`,
  whyAbsolutePath: () => 'absolute paths are not allowed, give it relative to the repository',
  whyNotRelative: () => 'it must be relative to the repository, not absolute',
  whyLeavesRepo: () => "'..' would leave the repository",
  whyWholeRepo: () => 'it names the whole repository',
  // why git would refuse a ref name (git check-ref-format's rules)
  refAtAlone: () => "'@' alone is not a ref",
  refBadCharacter: () => 'it holds a space, a control character or one of ~ ^ : ? * [ \\',
  refHolds: (what: string) => `it holds '${what}'`,
  refEndsWithDot: () => "it ends with '.'",
  refEmptyPart: () => "it has an empty part ('//', or '/' at either end)",
  refPartStartsWithDot: (part: string) => `its part ${q(part)} starts with '.'`,
  refPartEndsWithLock: (part: string) => `its part ${q(part)} ends with '.lock'`,
  unexpected: (why: string) => `Unexpected error: ${why} (run with DEBUG=reorg-guard for details).`,
  gitFailed: (why: string) => `git failed: ${why}`,
  badCount: (opt: string, value: string) => `--${opt} ${q(value)} must be a whole number >= 0.`,
  badDuration: (value: string) => `--keep-within ${q(value)} is not a duration: use a number and a unit, e.g. 90m, 12h, 7d, 2w.`,
};
