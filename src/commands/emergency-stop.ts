import type { Command } from './command.js';
import { openWorkspace } from '../workspace.js';
import { requireHead } from '../git/repo.js';
import { afterStop, stopRuns, stoppedWithoutSnapshot, type StopResult } from '../supervise/stop.js';
import { listRuns, showCommand } from '../supervise/runs.js';
import { OperationLockedError } from '../state/lock.js';
import { consent, journaledStep } from './lifecycle.js';
import { UsageError } from '../errors.js';
import { msg } from '../messages.js';

const DEFAULT_GRACE_S = 10;

const emergencyStopCommand: Command = {
  name: 'emergency-stop',
  help: `Usage: reorg-guard emergency-stop [--stash] [--grace SECONDS] [--yes] [--json]

Stops exactly what 'reorg-guard run' started: the recorded process group and every process
descended from it (found through /proc, also in a session of its own), taken before the first
signal and read again until nothing of it is left: SIGTERM, then SIGKILL to what is left after
the grace period. Each pid is checked against its start time first, so a pid the system has
given to another process is never signalled; processes are never matched by name. A process
that outlives SIGKILL is named by pid and command (exit 1). Then takes a safety snapshot of
the state the migration left (journaled like every destructive command), prints its name and
what to run next. With nothing recorded it says so and still takes the snapshot. When
another reorg-guard operation is changing the repository, the runs are stopped all the same
and the snapshot is not taken: it says why (exit 1).

Options:
  --stash          also move the uncommitted work (untracked files included) out of the
                   tree; it stays in the safety snapshot and 'reorg-guard undo' brings it back
  --grace SECONDS  how long SIGTERM gets before SIGKILL (default ${DEFAULT_GRACE_S})
  -y, --yes        confirm --stash without a terminal
  --json           print {runs, operation, safetyRef, snapshotSkipped, stashed, stashSkipped};
                   each run: {id, pid, argv, outcome, killed, processes, survivors}
  -C DIR           run in DIR`,
  options: { stash: { type: 'boolean' }, grace: { type: 'string' }, yes: { type: 'boolean', short: 'y' } },
  async run(ctx) {
    const { cwd, out, values, interactive } = ctx;
    const graceText = values.grace as string | undefined;
    const grace = graceText === undefined ? DEFAULT_GRACE_S : Number(graceText);
    if (!Number.isFinite(grace) || grace < 0 || graceText?.trim() === '') throw new UsageError(msg.stopBadGrace(graceText ?? ''));
    const stash = Boolean(values.stash);
    const { repo } = await openWorkspace(cwd);
    if (stash) {
      await requireHead(repo);
      await consent({ values, interactive }, { command: 'emergency-stop --stash', lines: [], question: msg.stopConfirm(), dryRun: false });
    }
    const runs = await stopRuns(await listRuns(repo), grace * 1000);
    let result: StopResult;
    try {
      const journal = { repo, op: 'emergency-stop' as const, args: { stash }, plan: { runs, stash } };
      result = (await journaledStep(ctx, 'emergency-stop', journal, (begun) => afterStop(repo, runs, stash, begun))).result;
    } catch (err) {
      // The runs are stopped all the same; the snapshot waits for the operation holding the lock.
      if (!(err instanceof OperationLockedError)) throw err;
      result = stoppedWithoutSnapshot(runs, err.why);
    }
    if (result.runs.length === 0) out.info(msg.stopNothingRecorded());
    for (const r of result.runs) {
      const line = msg.stopOutcome(showCommand(r.argv), r.pid, r.outcome, r.killed, r.processes, r.survivors);
      if (r.outcome === 'survived') out.warn(line);
      else out.ok(line);
    }
    if (result.safetyRef) out.ok(msg.stopSnapshot(result.safetyRef));
    else out.warn(msg.stopSnapshotSkipped(result.snapshotSkipped ?? ''));
    if (result.stashed && result.operation) out.ok(msg.stopStashed(result.operation));
    if (result.stashSkipped) out.warn(msg.stopStashSkipped(result.stashSkipped));
    if (result.dirtySubmodules?.length) out.warn(msg.dirtySubmodules(result.dirtySubmodules));
    out.info(msg.stopNext());
    out.data(result);
    return result.runs.some((r) => r.outcome === 'survived') || !result.safetyRef ? 1 : 0;
  },
};
export default emergencyStopCommand;
