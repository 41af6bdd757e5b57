import type { Command } from './command.js';
import { openWorkspace } from '../workspace.js';
import { UsageError } from '../errors.js';
import { findOperation, planUndo } from '../rollback/undo.js';
import { runPlanned } from './run-planned.js';
import { journalMark } from '../state/journal.js';
import { msg } from '../messages.js';
import { stillAtWork } from '../recover/proc.js';

const undo: Command = {
  name: 'undo',
  summary: 'take back any journaled operation: HEAD, branch, index and work tree',
  help: `Usage: reorg-guard undo [OPERATION] [--dry-run] [--yes] [--json]

Returns the repository exactly to the safety snapshot taken before the newest journaled
operation (or OPERATION, an id from 'reorg-guard log', or a unique start of one): HEAD and
the branch position, the index, and the work tree byte for byte (files not in the snapshot
are removed; ignored files are never touched). Undo is journaled too: undo it to redo.
After a crash in the middle of an operation, undo brings back the state before it.

Options:
  --dry-run  print the exact plan, change nothing
  -y, --yes  do not ask (required without a terminal)
  --json     print the plan or the result as JSON
  -C DIR     run in DIR`,
  options: { 'dry-run': { type: 'boolean' }, yes: { type: 'boolean', short: 'y' } },
  async run(ctx) {
    if (ctx.args.length > 1) throw new UsageError(msg.undoArgs());
    const { repo } = await openWorkspace(ctx.cwd);
    const plannedAt = await journalMark(repo);
    const op = await findOperation(repo, ctx.args[0]);
    const plan = await planUndo(repo, op);
    // An operation whose process died is closed by its undo: recover stops reporting it.
    const closes = op.status === 'started' && !stillAtWork(op.pid, op.startedAt) ? { id: op.id, op: op.op } : undefined;
    return runPlanned(ctx, repo, { op: 'undo', command: `undo ${op.id}`, args: { operation: op.id, undone: op.op }, plannedAt, plan, closes });
  },
};
export default undo;
