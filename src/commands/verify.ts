/**
 * `reorg-guard verify <what>`: a dispatcher. Each check is a command of its own, named
 * 'verify <what>', in its own file; this table routes to it.
 */
import type { Command, Options } from './command.js';
import verifyBackups from './verify-backups.js';
import { UsageError } from '../errors.js';
import { msg } from '../messages.js';

const CHECKS: Record<string, Command> = {
  backups: verifyBackups,
};

const options: Options = Object.assign({}, ...Object.values(CHECKS).map((c) => c.options));

const verify: Command = {
  name: 'verify',
  summary: 'verify backups (branches, remote copies, snapshots, archives read in full)',
  help: [
    'Usage: reorg-guard verify <what> [options]',
    '',
    ...Object.entries(CHECKS).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`),
    '',
    ...Object.values(CHECKS).map((c) => c.help),
  ].join('\n'),
  options,
  async run(ctx) {
    const [what, ...rest] = ctx.args;
    if (!what) throw new UsageError(msg.verifyNoSub());
    const check = CHECKS[what];
    if (!check) throw new UsageError(msg.verifyUnknown(what));
    return check.run({ ...ctx, args: rest });
  },
};
export default verify;
