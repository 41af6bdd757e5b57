/** `undo`: back to the safety snapshot of any journaled operation (an undo included). */
import type { Repo } from '../git/repo.js';
import { resolveCommit } from '../git/refs.js';
import { listOperations, type Operation } from '../state/journal.js';
import { ReorgGuardError, UsageError } from '../errors.js';
import { checkName } from '../util/validate.js';
import { msg } from '../messages.js';
import { planRestore, snapshotState } from './restore-snapshot.js';
import type { Plan } from './plan.js';

/** The newest operation, or the one whose id is (or uniquely starts with) `id`. */
export async function findOperation(repo: Repo, id?: string): Promise<Operation> {
  const ops = await listOperations(repo);
  if (id === undefined) {
    if (!ops[0]) throw new ReorgGuardError(msg.nothingToUndo());
    return ops[0];
  }
  checkName('operation', id);
  const exact = ops.find((o) => o.id === id);
  const matches = exact ? [exact] : ops.filter((o) => o.id.startsWith(id));
  if (matches.length !== 1) throw new UsageError(matches.length ? msg.ambiguousOperation(id) : msg.unknownOperation(id));
  return matches[0];
}

export async function planUndo(repo: Repo, op: Operation): Promise<Plan> {
  const safety = op.safety;
  if (!safety || !(await resolveCommit(repo, safety.commit))) throw new ReorgGuardError(msg.noSafetySnapshot(op.id));
  return planRestore(repo, await snapshotState(repo, safety.commit, safety.head, safety.branch, `safety snapshot of ${op.id}`));
}
