import type { Command } from './command.js';
import { openWorkspace } from '../workspace.js';
import { UsageError } from '../errors.js';
import { findOperation, planUndo } from '../rollback/undo.js';
import { runPlanned } from './run-planned.js';
import path from 'node:path';
import { journalMark, listOperations, type Operation } from '../state/journal.js';
import type { Repo } from '../git/repo.js';
import { openWorktreeOf } from '../git/worktrees.js';
import { lostToUndo, workSince, type LostToUndo } from '../rollback/work-since.js';
import type { Plan } from '../rollback/plan.js';
import { msg } from '../messages.js';
import { stillAtWork } from '../util/proc.js';
import { tierUpLater } from '../util/tier-up-later.js';

const undo: Command = {
  name: 'undo',
  help: `Usage: reorg-guard undo [OPERATION] [--worktree DIR] [--force] [--dry-run] [--yes] [--json]

Returns the repository exactly to the safety snapshot taken before the newest journaled
operation (or OPERATION, an id from 'reorg-guard log', or a unique start of one): HEAD and
the branch position, the index, and the work tree byte for byte (files not in the snapshot
are removed; ignored files are never touched). Undo is journaled too: undo it to redo.
After a crash in the middle of an operation, undo brings back the state before it.

It refuses (exit 2) when work was done since the operation that it would discard: commits
on the branch it moves back, files created or changed since. It names them; '--force'
undoes all the same, listing them in the plan (its own safety snapshot keeps them: undo
that undo to get them back).

Each work tree (the main one and every linked worktree) has its own operations: undo sees
those of the work tree it runs in. '--worktree DIR' takes back an operation of another work
tree of the repository (DIR is that work tree), and refuses when that work tree has moved on
since it (a newer operation, files, commits or staging changed after it).

Options:
  --worktree DIR  the work tree whose operation to undo (default: this one)
  --force         undo even when it discards work done since the operation (this work tree)
  --dry-run       print the exact plan, change nothing
  -y, --yes       do not ask (required without a terminal)
  --json          print the plan or the result as JSON
  -C DIR          run in DIR`,
  positionals: true,
  options: { 'dry-run': { type: 'boolean' }, yes: { type: 'boolean', short: 'y' }, worktree: { type: 'string' }, force: { type: 'boolean' } },
  async run(ctx) {
    tierUpLater(); // short loops over thousands of paths: see util/tier-up-later.ts
    if (ctx.args.length > 1) throw new UsageError(msg.undoArgs());
    // HEAD and the branch read with the repository, for the plan
    const { repo: here, head } = await openWorkspace(ctx.cwd, { command: 'undo', head: true });
    const named = ctx.values.worktree as string | undefined;
    const repo = named === undefined ? here : await openWorktreeOf(here, path.resolve(ctx.cwd, named));
    const elsewhere = path.resolve(repo.gitDir) !== path.resolve(here.gitDir);
    const plannedAt = await journalMark(repo);
    const op = await findOperation(repo, ctx.args[0]);
    const plan = await planUndo(repo, op, elsewhere ? undefined : head);
    let lost: LostToUndo | null = null;
    if (elsewhere) await refuseIfMovedOn(repo, op, plan);
    else lost = await refuseIfLoses(repo, op, plan, Boolean(ctx.values.force));
    // An operation whose process died is closed by its undo: recover stops reporting it.
    const closes = op.status === 'started' && !stillAtWork(op.pid, op.startedAt) ? { id: op.id, op: op.op } : undefined;
    const data = lost ? { discards: { commits: lost.commits.map((c) => c.commit), files: lost.files } } : undefined;
    return runPlanned(ctx, repo, { op: 'undo', command: `undo ${op.id}`, args: { operation: op.id, undone: op.op }, plannedAt, plan, closes, data });
  },
};
/** Another work tree's operation is undone only while that work tree is as the operation left it. */
async function refuseIfMovedOn(repo: Repo, op: Operation, plan: Plan): Promise<void> {
  const [newest] = await listOperations(repo);
  const why = newest && newest.id !== op.id ? [msg.worktreeNewerOperation(newest.id)] : await workSince(repo, op, plan);
  if (why.length) throw new UsageError(msg.worktreeMovedOn(repo.top, op.id, why));
}

/**
 * Work done since the operation that the undo would discard (commits on the branch it moves
 * back, files created or changed since): refused without `force`; with it, named in the plan.
 */
async function refuseIfLoses(repo: Repo, op: Operation, plan: Plan, force: boolean): Promise<LostToUndo | null> {
  const lost = await lostToUndo(repo, op, plan);
  if (lost.commits.length === 0 && lost.files.length === 0) return null;
  if (!force) throw new UsageError(msg.undoLosesWork(op.id, lost.commits.map((c) => c.commit), lost.files));
  plan.notes.push(
    msg.undoDiscardsNote(op.id),
    ...lost.commits.map((c) => msg.undoDiscardsCommit(c.commit, c.subject)),
    ...lost.files.map((f) => msg.undoDiscardsFile(f)),
  );
  return lost;
}

export default undo;
