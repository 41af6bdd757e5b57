/** Journaled operations that never ended, and work an emergency stop moved out of the tree. */
import { msg } from '../../messages.js';
import { stillAtWork } from '../proc.js';
import { fix, type Check, type Finding } from './finding.js';

/** `started` without `done`/`failed`: interrupted when its process is gone. */
export const interruptedOperations: Check = async ({ operations }) => {
  const found: Finding[] = [];
  for (const op of operations) {
    if (op.status !== 'started') continue;
    if (stillAtWork(op.pid, op.startedAt)) {
      found.push({ kind: 'operation-running', severity: 'info', title: msg.recOpRunning(op.op, op.id, op.pid), meaning: msg.recOpRunningMeaning(), fix: null });
      continue;
    }
    found.push({
      kind: 'interrupted-operation',
      severity: 'error',
      title: msg.recOpInterrupted(op.op, op.id, op.startedAt),
      meaning: msg.recOpInterruptedMeaning(op.safety?.ref ?? null),
      fix: fix(['undo', op.id], true, true),
    });
  }
  return found;
};

/** `emergency-stop --stash` moved work into its safety snapshot, and no undo has run since. */
export const stashedWork: Check = async ({ operations }) => {
  const i = operations.findIndex((op) => op.op === 'emergency-stop' && op.status === 'done' && (op.args as { stash?: boolean })?.stash);
  if (i < 0 || operations.slice(0, i).some((op) => op.op === 'undo')) return [];
  const op = operations[i];
  return [{
    kind: 'stashed-work',
    severity: 'warning',
    title: msg.recStashed(op.id, op.startedAt),
    meaning: msg.recStashedMeaning(op.safety?.ref ?? ''),
    fix: fix(['undo', op.id], true, false),
  }];
};
