/** undo and log: the journal of operations, across work trees. */
import { q, plural, count, firstOf, oneLine } from './format.js';

export const undo = {
  undoRefsNote: (n: number) => `${count(n, 'ref')} the operation deleted ${plural(n, 'comes', 'come')} back; their copies on the remote are recorded as unpushed: 'reorg-guard push' sends them again.`,
  undoRefsGone: (refs: string[]) =>
    `${count(refs.length, 'ref')} the operation deleted cannot come back: their commits are no longer in this repository (pruned by git gc): ${firstOf(refs, 5)}`,
  undoRestoreAside: (dir: string, n: number) =>
    `the files that restore replaced are kept in ${dir}; ${n} of them (ignored files, which no snapshot holds) come back from there.`,
  nothingToUndo: () => 'Nothing to undo: the journal has no operation.',
  unknownOperation: (id: string) => `No operation ${q(id)} in the journal: run 'reorg-guard log' for the ids.`,
  ambiguousOperation: (id: string) => `${q(id)} starts more than one operation id: give more of it ('reorg-guard log').`,
  noSafetySnapshot: (id: string) => `Operation ${id} has no safety snapshot any more (its ref was deleted): it cannot be undone.`,
  undoArgs: () => 'undo takes at most one operation id.',
  operationOfOtherWorktree: (id: string, top: string) =>
    `Operation ${id} belongs to the work tree ${top}, not this one: run 'reorg-guard undo --worktree ${top} ${id}' (or undo there). Nothing was changed.`,
  undoBranchElsewhere: (id: string, branch: string, top: string) =>
    `Undoing ${id} would check out ${branch.replace(/^refs\/heads\//, '')}, which the work tree ${top} has checked out: it was journaled there; run 'reorg-guard undo --worktree ${top}' instead. Nothing was changed.`,
  notThisRepoWorktree: (dir: string) => `${dir} is not a work tree of this repository ('git worktree list' shows them). Nothing was changed.`,
  worktreeMovedOn: (top: string, id: string, why: string[]) =>
    `The work tree ${top} has moved on since ${id} (${firstOf(why, 5, '; ')}): undoing it from here would discard that. Undo in that work tree itself ('reorg-guard -C ${top} undo ${id} --force') if that is what you want. Nothing was changed.`,
  undoLosesWork: (id: string, commits: string[], files: string[]) =>
    `Undoing ${id} would discard work done since it: ${[
      ...(commits.length ? [`${count(commits.length, 'commit')} (${firstOf(commits.map((c) => c.slice(0, 10)), 3)})`] : []),
      ...(files.length ? [`${count(files.length, 'file')} created or changed (${firstOf(files.map(q), 3)})`] : []),
    ].join(' and ')}. Keep it elsewhere first (a branch for the commits, a copy of the files), or run 'reorg-guard undo ${id} --force' to undo all the same: the undo's safety snapshot keeps that work, and 'reorg-guard undo' right after brings it back. Nothing was changed.`,
  undoDiscardsNote: (id: string) =>
    `--force: this discards the work done since ${id} named below; the undo's safety snapshot keeps it ('reorg-guard undo' right after brings it back).`,
  undoDiscardsCommit: (commit: string, subject: string) => `discarded: commit ${commit.slice(0, 10)} ${q(oneLine(subject))}`,
  undoDiscardsFile: (file: string) => `discarded: ${q(file)}, created or changed since`,
  worktreeNewerOperation: (newer: string) => `operation ${newer} ran there after it`,
  unfinishedOperation: (id: string, op: string) => `The last operation (${op} ${id}) never finished: 'reorg-guard undo ${id}' brings back the state before it.`,
  operationFailedUndo: (command: string, id: string) => `${command} failed part-way: 'reorg-guard undo ${id}' brings back the state before it.`,
  logEmpty: () => 'No operations journaled yet.',
};
