/** The lifecycle every destructive command shares (commands/lifecycle.ts): its plan, the question, the lock, the report. */
import { count, capitalized } from './format.js';

export const lifecycle = {
  gitBusy: (what: string, command: string, abort: string) =>
    `${capitalized(what)} is in progress here, and its state (conflicts, MERGE_HEAD) is not in any snapshot: finish it, or '${abort}', then run 'reorg-guard ${command}' again. Nothing was changed.`,
  needYes: (command: string, dryRun: boolean) =>
    `reorg-guard ${command} would change things and there is no terminal to ask: pass --yes to go ahead${dryRun ? ', or --dry-run to see the plan' : ''}. Nothing was changed.`,
  declined: () => 'Not confirmed: nothing was changed.',
  operationLocked: (op: string, pid: number, since: string) =>
    `Another reorg-guard operation (${op}, pid ${pid}, since ${since.slice(11, 19)} UTC) is changing this repository: wait for it to finish, then run this again.`,
  operationLockContended: (file: string) => `Could not take the operation lock ${file}: other reorg-guard processes keep taking it.`,
  nothingChanged: (why: string) => `${why} Nothing was changed.`,
  operationRanMeanwhile: (id: string) =>
    `Operation ${id} changed this repository after this command made its plan: run the command again to plan from the present state. Nothing was changed.`,
  proceed: () => 'Go ahead?',
  planHeader: (command: string) => `Plan of reorg-guard ${command}:`,
  dryRunDone: () => 'Dry run: nothing was changed.',
  nothingToDo: (command: string) => `Nothing to do for ${command}: the repository is already there.`,
  planApplied: (command: string, written: number, deleted: number, moved: string | null) =>
    `${command}: ${count(written, 'file')} restored, ${deleted} removed${moved ? `, ${moved} moved` : ''}.`,
  undoHint: (id: string, safety: string) => `The state before is kept in ${safety}; 'reorg-guard undo ${id}' takes it back.`,
};
