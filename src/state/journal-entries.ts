/**
 * What each operation writes in the journal, typed per operation: `started` carries its args
 * and plan, `done` its result, `failed` and `interrupted` a sentence. Readers narrow on `op`
 * (`if (o.op === 'cleanup') o.plan.deleteLocal`) instead of casting. The fields a reader uses
 * are typed; what only people read (`reorg-guard log`, --json) stays `unknown`. Entries written
 * by earlier versions may lack newer fields: those are optional.
 */
import type { TreeEntry } from '../git/tree.js';

/** A ref with the commit it pointed to. */
export interface RefRecord {
  ref: string;
  commit: string;
}

/**
 * The file plan a rollback or undo journals (and rollback/plan.ts applies): what it writes and
 * deletes, HEAD and index it moves, refs it creates again.
 */
export interface FilePlan {
  /** Files written, byte for byte, from a blob. */
  write: Array<TreeEntry & { from: string }>;
  /** Files removed from the work tree (never ignored ones). */
  delete: string[];
  /** HEAD and branch to move, when the operation moves them. */
  head?: { branch: string | null; from: string | null; to: string | null };
  /** Tree to read into the index, when the operation replaces it. */
  index?: string;
  /** Paths then marked as intended to be added (`git add -N`), which no tree can hold. */
  intentToAdd?: string[];
  /** Refs to create again (absent now), e.g. the backups a cleanup deleted, when undoing it. */
  refs?: RefRecord[];
  /** Facts the user should read before saying yes (e.g. where a config file comes from). */
  notes: string[];
  /** Permission bits to give written files that git writes otherwise (a private 0600 file a snapshot kept). */
  modes?: Array<[string, number]>;
}

/** What a file plan did. */
export interface FileCounts {
  written: number;
  deleted: number;
}

/** Where a `rollback full` went: the verify rollback, rollback quick and selective that follow read it. */
export interface RolledBackTo {
  backup: string;
  commit: string;
}

interface RollbackArgs {
  to?: string;
  domain?: string;
  file?: string;
}

/** Per operation: its args and plan (on `started`) and its result (on `done`). */
export interface OperationRecords {
  'rollback-quick': { args: RollbackArgs; plan: FilePlan; done: FileCounts };
  'rollback-selective': { args: RollbackArgs; plan: FilePlan; done: FileCounts };
  'rollback-full': { args: RollbackArgs & { target?: RolledBackTo }; plan: FilePlan; done: FileCounts };
  /** `undone`: the operation name of `operation`. */
  undo: { args: { operation: string; undone: string }; plan: FilePlan; done: FileCounts };
  cleanup: {
    args: unknown;
    /** Every ref it deletes with its commit (undo makes them again), and the archive files. */
    plan: { remote: string; deleteRemote: RefRecord[]; deleteLocal: RefRecord[]; deleteArchives: string[] };
    done: unknown;
  };
  /** `movedAsideTo`: where the files it replaced went (undo brings back what the safety snapshot lacks). */
  restore: { args: { archive: string; to: string }; plan: unknown; done: { movedAsideTo: string | null } };
  'emergency-stop': { args: { stash: boolean }; plan: unknown; done: unknown };
}

export type OperationName = keyof OperationRecords;
/** The operations that journal (and apply) a file plan. */
export type FilePlanOperation = { [O in OperationName]: PlanOf<O> extends FilePlan ? O : never }[OperationName];
export type ArgsOf<O extends OperationName> = OperationRecords[O]['args'];
export type PlanOf<O extends OperationName> = OperationRecords[O]['plan'];
export type DoneOf<O extends OperationName> = OperationRecords[O]['done'];

/** `interrupted`: it never finished (its process died), and an undo has since taken it back. */
export type Status = 'started' | 'done' | 'failed' | 'interrupted';

/** The safety snapshot taken before an operation changed anything. */
export interface Safety {
  ref: string;
  commit: string;
  head: string | null;
  branch: string | null;
}

interface EntryBase<O extends OperationName> {
  id: string;
  op: O;
  time: string;
  pid: number;
}

type EntryOf<O extends OperationName> =
  | (EntryBase<O> & { status: 'started'; args: ArgsOf<O>; plan: PlanOf<O>; safety: Safety })
  | (EntryBase<O> & { status: 'done'; detail?: DoneOf<O> })
  | (EntryBase<O> & { status: 'failed' | 'interrupted'; detail?: string });

/** One line of the journal. */
export type JournalEntry = { [O in OperationName]: EntryOf<O> }[OperationName];

interface OperationOf<O extends OperationName> {
  id: string;
  op: O;
  status: Status;
  startedAt: string;
  endedAt: string | null;
  /** The process that started it (a `started` operation whose process is gone was interrupted). */
  pid: number;
  /** Absent when the journal lost its `started` line (cut by a crash). */
  args?: ArgsOf<O>;
  plan?: PlanOf<O>;
  safety?: Safety;
  /** What happened (`done`), why it failed, or which undo closed it (a sentence). */
  detail?: DoneOf<O> | string;
}

/** An operation as the journal tells it: its start merged with its end, if it has one. */
export type Operation = { [O in OperationName]: OperationOf<O> }[OperationName];

const FILE_PLAN_OPERATIONS: readonly string[] = ['rollback-quick', 'rollback-selective', 'rollback-full', 'undo'] satisfies FilePlanOperation[];

/** The operation journaled a file plan (a rollback or an undo). */
export const hasFilePlan = (o: Operation): o is Extract<Operation, { op: FilePlanOperation }> => FILE_PLAN_OPERATIONS.includes(o.op);
