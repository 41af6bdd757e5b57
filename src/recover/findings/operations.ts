/** Journaled operations that never ended, and work an emergency stop moved out of the tree. */
import { msg } from '../../messages.js';
import { stillAtWork } from '../../util/proc.js';
import { fix, type Check, type Finding } from './finding.js';
import type { Repo } from '../../git/repo.js';
import type { Operation } from '../../state/journal.js';
import { planUndo } from '../../rollback/undo.js';
import { workSince } from '../../rollback/work-since.js';
import { ReorgGuardError } from '../../errors.js';

/** What undoing `op` would discard beyond its own changes; an operation that cannot be undone discards nothing. */
async function laterWork(repo: Repo, op: Operation): Promise<string[]> {
  try {
    return await workSince(repo, op, await planUndo(repo, op));
  } catch (err) {
    if (err instanceof ReorgGuardError) return [];
    throw err;
  }
}

/**
 * `started` without an end: interrupted when its process is gone. Its undo is a fix `--auto`
 * applies alone only while it would discard nothing made after the operation (otherwise the
 * fix is `undo --force`, applied only with --yes).
 */
export const interruptedOperations: Check = async ({ repo, operations }) => {
  const found: Finding[] = [];
  for (const op of operations) {
    if (op.status !== 'started') continue;
    if (stillAtWork(op.pid, op.startedAt)) {
      found.push({ kind: 'operation-running', severity: 'info', title: msg.recOpRunning(op.op, op.id, op.pid), meaning: msg.recOpRunningMeaning(), fix: null });
      continue;
    }
    const since = await laterWork(repo, op);
    found.push({
      kind: 'interrupted-operation',
      severity: 'error',
      title: msg.recOpInterrupted(op.op, op.id, op.startedAt),
      meaning: since.length ? msg.recOpWorkSince(op.safety?.ref ?? null, since) : msg.recOpInterruptedMeaning(op.safety?.ref ?? null),
      // undo refuses to discard work done since unless forced: the finding names that work
      fix: fix(['undo', op.id, ...(since.length ? ['--force'] : [])], true, since.length === 0),
      ...(since.length ? { discards: since } : {}),
    });
  }
  return found;
};

/** `emergency-stop --stash` moved work into its safety snapshot, and no undo has run since. */
export const stashedWork: Check = async ({ operations }) => {
  const i = operations.findIndex((op) => op.op === 'emergency-stop' && op.status === 'done' && op.args?.stash);
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
