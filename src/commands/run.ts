import type { Command } from './command.js';
import { openWorkspace } from '../workspace.js';
import { runSupervised } from '../supervise/runner.js';
import { showCommand } from '../supervise/runs.js';
import { UsageError } from '../errors.js';
import { msg } from '../messages.js';

const run: Command = {
  name: 'run',
  help: `Usage: reorg-guard run [--reason TEXT] -- COMMAND [ARGS...]

Takes a backup, then starts COMMAND (without a shell: use 'sh -c ...' for one) in a process
group of its own, and records its pid, process group, start time and arguments under the
git common dir, so that 'reorg-guard emergency-stop' can stop exactly it and everything it
started. Ctrl-C, SIGTERM and SIGHUP are passed on to it. The record is removed when it
ends; a record left behind (the supervisor was killed) is reported by 'reorg-guard
recover'. Several runs at once are each recorded.

Exit code: COMMAND's own (128 + N when killed by signal N).

Options:
  --reason TEXT  why (kept in the backup and the record)
  -C DIR         run in DIR (COMMAND runs in DIR too)`,
  positionals: true,
  options: { reason: { type: 'string' } },
  async run({ cwd, out, args, values }) {
    if (args.length === 0) throw new UsageError(msg.runNoCommand());
    const { repo, config } = await openWorkspace(cwd);
    const code = await runSupervised(repo, config, args, {
      cwd,
      reason: values.reason as string | undefined,
      onStart: ({ backup, record }) => out.info(msg.runStarted(showCommand(args), record?.pid ?? 0, backup.branch)),
    });
    out.info(msg.runEnded(code));
    return code;
  },
};
export default run;
