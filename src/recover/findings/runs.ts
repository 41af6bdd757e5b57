/** Supervised runs: still running, or gone without their supervisor cleaning up (a crash). */
import { msg } from '../../messages.js';
import { listRuns, pidReused, runState, showCommand } from '../runs.js';
import { fix, type Check, type Finding } from './finding.js';

export const recordedRuns: Check = async ({ repo }) => {
  const found: Finding[] = [];
  for (const run of await listRuns(repo)) {
    const command = showCommand(run.argv);
    if (runState(run) === 'running') {
      found.push({
        kind: 'run-running',
        severity: 'warning',
        title: msg.recRunRunning(command, run.pid, run.startedAt),
        meaning: msg.recRunRunningMeaning(run.backup),
        fix: fix(['emergency-stop'], true, false),
      });
    } else {
      found.push({
        kind: 'run-gone',
        severity: 'error',
        title: msg.recRunGone(command, run.pid, run.startedAt, pidReused(run)),
        meaning: msg.recRunGoneMeaning(run.backup),
        fix: fix(['emergency-stop']),
      });
    }
  }
  return found;
};
