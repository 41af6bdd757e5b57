import pc from '../ui/colors.js';
import type { Command } from './command.js';
import { openWorkspace } from '../workspace.js';
import path from 'node:path';
import { listOperations } from '../state/journal.js';
import { openWorktreeOf } from '../git/worktrees.js';
import { age } from '../util/time.js';
import { msg } from '../messages.js';

const log: Command = {
  name: 'log',
  help: `Usage: reorg-guard log [--worktree DIR] [--json]

Lists every journaled operation (rollbacks, undos, and whatever else changed the work tree
through reorg-guard), newest first: its id (for 'reorg-guard undo ID'), what it was, its
status (started means it never finished: a crash, or still running; interrupted means it
crashed and an undo has taken it back since), and when.

Each work tree (the main one and every linked worktree) has its own journal: log lists the
operations of the work tree it runs in, or with '--worktree DIR' those of another work tree
of the repository.

Options:
  --worktree DIR  list the operations of that work tree
  --json          print the operations as JSON
  -C DIR          run in DIR`,
  options: { worktree: { type: 'string' } },
  async run({ cwd, out, values }) {
    const here = (await openWorkspace(cwd)).repo;
    const named = values.worktree as string | undefined;
    const repo = named === undefined ? here : await openWorktreeOf(here, path.resolve(cwd, named));
    const ops = await listOperations(repo);
    out.data(ops);
    if (ops.length === 0) out.info(msg.logEmpty());
    const colour = { done: pc.green, failed: pc.red, started: pc.yellow, interrupted: pc.yellow };
    for (const o of ops) {
      const args = Object.entries((o.args ?? {}) as Record<string, unknown>)
        .filter(([, v]) => v !== undefined && v !== false)
        .map(([k, v]) => (v === true ? `--${k}` : `${k}=${argText(v)}`))
        .join(' ');
      const closed = o.status === 'interrupted' && typeof o.detail === 'string' ? `  ${pc.dim(`(${o.detail})`)}` : '';
      out.info(`${o.id}  ${o.op}  ${colour[o.status](o.status)}${closed}  ${pc.dim(`${age(new Date(o.startedAt))} ago`)}${args ? `  ${pc.dim(args)}` : ''}`);
    }
    return 0;
  },
};
export default log;

/** An argument as a person reads it: a backup by its name (rollback full's target), anything else as JSON. */
function argText(v: unknown): string {
  if (v === null || typeof v !== 'object') return String(v);
  const backup = (v as { backup?: unknown }).backup;
  return typeof backup === 'string' ? backup : JSON.stringify(v);
}
