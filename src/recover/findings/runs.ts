/** Supervised runs: still running, or gone without their supervisor cleaning up (a crash). */
import { msg } from '../../messages.js';
import { listRuns, pidReused, runState, showCommand } from '../../supervise/runs.js';
import { fix, type Check } from './finding.js';

export const recordedRuns: Check = async ({ repo }) => {
  const runs = (await listRuns(repo)).map((run) => ({ run, state: runState(run) }));
  // emergency-stop clears the records of gone runs, but it also stops every running one:
  // only when none runs is it harmless enough for --auto.
  const stopsSomething = runs.some((r) => r.state === 'running');
  const stop = fix(['emergency-stop'], stopsSomething);
  return runs.map(({ run, state }) =>
    state === 'running'
      ? {
          kind: 'run-running',
          severity: 'warning' as const,
          title: msg.recRunRunning(showCommand(run.argv), run.pid, run.startedAt),
          meaning: msg.recRunRunningMeaning(run.backup),
          fix: stop,
        }
      : {
          kind: 'run-gone',
          severity: 'error' as const,
          title: msg.recRunGone(showCommand(run.argv), run.pid, run.startedAt, pidReused(run)),
          meaning: msg.recRunGoneMeaning(run.backup),
          fix: stop,
        },
  );
};
