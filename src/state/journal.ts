/**
 * The operation journal: every destructive command appends `started` (with its safety
 * snapshot and plan) before it changes anything, and `done` or `failed` at the end. One JSON
 * object per line, appended with fsync, in <git dir>/reorg-guard/journal.jsonl: one journal per
 * work tree (a linked worktree's operations are its own; the main work tree's git dir is the
 * common dir, where the one journal of earlier versions was).
 */
import { readFileSync, type Stats } from 'node:fs';
import { mkdir, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Repo } from '../git/repo.js';
import { headBranch, headState } from '../git/repo.js';
import { takeSnapshot, type Snapshot, type WorkState } from '../git/snapshot.js';
import { openRefSession, type RefSession } from '../git/refs.js';
import { SAFETY_PREFIX } from '../git/ref-names.js';
import { stamp } from '../util/time.js';
import { appendDurable, writeAtomic } from './atomic.js';
import { allWorktreeStates, worktreeStateDir, type WorktreeState } from './paths.js';
import { crashPoint } from './crash.js';
import { withOperationLock } from './lock.js';
import { UsageError } from '../errors.js';
import { msg } from '../messages.js';
import type { ArgsOf, DoneOf, FilePlan, JournalEntry, Operation, OperationName, PlanOf } from './journal-entries.js';

export type { JournalEntry, Operation, OperationName, Status } from './journal-entries.js';

const JOURNAL = 'journal.jsonl';

export function journalFile(repo: Repo): string {
  return path.join(worktreeStateDir(repo), JOURNAL);
}

async function append(repo: Repo, entry: JournalEntry): Promise<void> {
  await appendDurable(journalFile(repo), JSON.stringify(entry) + '\n');
}

export const readJournal = (repo: Repo): Promise<JournalEntry[]> => readJournalFile(journalFile(repo));

/**
 * Journals read by this process, by file: a rollback reads its journal three or four times
 * (the mark before planning, the unfinished check, the mark again under the lock), and a
 * journal's plans list every file (megabytes after a few rollbacks of a large tree). The file
 * only grows (appends), so its size says whether the copy read before is still the file.
 */
const readBefore = new Map<string, { size: number; mtimeMs: number; entries: JournalEntry[] }>();

async function readJournalFile(file: string): Promise<JournalEntry[]> {
  let text: string;
  let st: Stats;
  try {
    st = await stat(file);
    const before = readBefore.get(file);
    if (before && before.size === st.size && before.mtimeMs === st.mtimeMs) return [...before.entries];
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const entries = parseJournal(text, path.join(path.dirname(file), PLANS));
  // what was read is what stat saw only when the sizes agree (an append may land in between)
  if (Buffer.byteLength(text) === st.size) readBefore.set(file, { size: st.size, mtimeMs: st.mtimeMs, entries });
  return [...entries];
}

function parseJournal(text: string, plansDir: string): JournalEntry[] {
  const entries: JournalEntry[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const e = JSON.parse(line) as JournalEntry;
      if (e.status === 'started') withFilesOf(e.plan, plansDir);
      entries.push(e);
    } catch {
      // a line cut by a crash mid-append: the fsync of the next line never happened either
    }
  }
  return entries;
}

/**
 * A file plan's lists of files (`write`, `delete`) go into a file of their own beside the
 * journal when they are long: a rollback of a large tree lists thousands of files (about 450
 * KB for 3,400), and every later command read and parsed them all again with the journal
 * (a few operations made it megabytes, tens of milliseconds of parsing and garbage collection
 * for each command). The journal line says where they are (`files`); they are read only when
 * asked for (undo of another work tree's operation, recover).
 */
const PLANS = 'plans';
const LONG_PLAN = 100;

/** The plan as journaled, and its lists to write beside it, when they are long. */
function splitPlan(plan: unknown, id: string): { line: unknown; files: { write: unknown[]; delete: unknown[] } | null } {
  const p = plan as Partial<FilePlan> | null | undefined;
  if (!p || !Array.isArray(p.write) || !Array.isArray(p.delete) || p.write.length + p.delete.length <= LONG_PLAN) return { line: plan, files: null };
  const { write, delete: del, ...rest } = p;
  return { line: { ...rest, files: `${id}.json`, written: write.length, deleted: del.length }, files: { write, delete: del } };
}

/**
 * A journaled plan whose lists are in a file of their own: `write` and `delete` read from it
 * when first asked for. A file that is gone or cut leaves them absent, as a plan cut short:
 * readers then count everything as unknown (work-since.ts).
 */
function withFilesOf(plan: unknown, plansDir: string): void {
  const p = plan as { files?: unknown } | null | undefined;
  if (!p || typeof p !== 'object' || typeof p.files !== 'string' || p.files.includes('/') || p.files.includes('\\')) return;
  const file = path.join(plansDir, p.files);
  let lists: { write?: unknown; delete?: unknown } | undefined;
  const read = () => {
    if (lists === undefined) {
      try {
        lists = JSON.parse(readFileSync(file, 'utf8')) as { write?: unknown; delete?: unknown };
      } catch {
        lists = {};
      }
    }
    return lists;
  };
  for (const key of ['write', 'delete'] as const) {
    Object.defineProperty(p, key, { enumerable: true, configurable: true, get: () => read()[key] });
  }
}

/** This work tree's operations, newest first. */
export const listOperations = async (repo: Repo): Promise<Operation[]> => operationsOf(await readJournal(repo));

/** The operations of every work tree of the repository (this one included), each newest first. */
export async function operationsByWorktree(repo: Repo): Promise<Array<WorktreeState & { operations: Operation[] }>> {
  const all = allWorktreeStates(repo);
  const journals = await Promise.all(all.map((w) => readJournalFile(path.join(w.dir, JOURNAL))));
  return all.map((w, i) => ({ ...w, operations: operationsOf(journals[i]) }));
}

function operationsOf(entries: JournalEntry[]): Operation[] {
  const byId = new Map<string, Operation>();
  for (const e of entries) {
    const op = byId.get(e.id);
    if (!op) {
      const start = { id: e.id, op: e.op, status: e.status, startedAt: e.time, endedAt: e.status === 'started' ? null : e.time, pid: e.pid };
      // the entry's own fields, by its status; `op` names both, so they stay of one operation
      byId.set(e.id, (e.status === 'started' ? { ...start, args: e.args, plan: e.plan, safety: e.safety } : { ...start, detail: e.detail }) as Operation);
    } else {
      op.status = e.status;
      op.endedAt = e.time;
      if (e.status !== 'started' && e.detail !== undefined) op.detail = e.detail;
    }
  }
  // An undo that finished closed the interrupted operation it undid, even when it died before
  // journaling that (the `interrupted` entry comes right after the undo's `done`).
  for (const u of byId.values()) {
    const undone = u.op === 'undo' && u.status === 'done' ? byId.get(u.args?.operation ?? '') : undefined;
    if (undone?.status === 'started') Object.assign(undone, { status: 'interrupted', endedAt: u.endedAt, detail: undoneBy(u.id) });
  }
  return [...byId.values()].reverse();
}

const undoneBy = (id: string) => `interrupted, undone by ${id}`;

export interface Begun {
  id: string;
  snapshot: Snapshot;
  safetyRef: string;
  /** The git process that made the safety ref, for the refs the operation moves (closed by `journaled`). */
  refs: RefSession;
}

/**
 * Takes a safety snapshot of the whole state (HEAD, branch, index, work tree with untracked
 * files), keeps it under refs/reorg-guard/safety/<id>, and journals the start of `op`.
 * Call before changing anything; then `endOperation`.
 */
export async function beginOperation<O extends OperationName>(
  repo: Repo, op: O, args: ArgsOf<O>, plan: PlanOf<O>, scanned?: WorkState | null, checkInTheWay?: string[],
): Promise<Begun> {
  const id = `${stamp()}-${op.replace(/[^a-z0-9-]+/gi, '-')}-${randomBytes(3).toString('hex')}`;
  const message = `reorg-guard safety snapshot before ${op}`;
  const safetyRef = `${SAFETY_PREFIX}${id}`;
  // one update-ref for the safety ref and the refs the operation moves (the reflog names the operation)
  const refs = openRefSession(repo, `reorg-guard ${op}`);
  // HEAD as the plan's reading of the work tree found it, while HEAD still names that branch:
  // the ref transaction checks its commit (not read again); moved since, read again
  const planned = scanned?.head && headBranch(repo) === scanned.branch ? scanned : null;
  // a long plan's lists of files, written (and synced) beside the journal while the snapshot is taken
  const { line: journaledPlan, files } = splitPlan(plan, id);
  const dir = path.join(path.dirname(journalFile(repo)), PLANS);
  const listsFile = path.join(dir, `${id}.json`);
  const listsWritten = files ? mkdir(dir, { recursive: true, mode: 0o700 }).then(() => writeAtomic(listsFile, JSON.stringify(files))) : null;
  listsWritten?.catch(() => {}); // a failure is met below, where it is awaited
  let journaling = false;
  try {
    // files the plan writes: an ignored one there is kept in the snapshot (git would overwrite it)
    const written = (plan as Partial<FilePlan> | null | undefined)?.write;
    const inTheWay = Array.isArray(written) ? written.map((w) => w.path) : undefined;
    // files it writes or deletes: their permission bits are kept where git would not give them back
    const deleted = (plan as Partial<FilePlan> | null | undefined)?.delete;
    const touched = [...(inTheWay ?? []), ...(Array.isArray(deleted) ? deleted : [])];
    // made from the plan's scan: only the written paths that scan did not read need a look
    const fromScan = checkInTheWay ?? inTheWay;
    let snapshot = planned ? await takeSnapshot(repo, { message, head: planned.head, branch: planned.branch, inTheWay: fromScan, touched }, planned) : null;
    if (planned && snapshot) {
      const verified = await refs.update([{ op: 'verify', ref: 'HEAD', old: planned.head! }, { op: 'update', ref: safetyRef, value: snapshot.commit }]);
      if (!verified) snapshot = null;
    }
    let { head, branch } = planned ?? { head: null, branch: null };
    if (!snapshot) {
      ({ commit: head, branch } = await headState(repo));
      snapshot = await takeSnapshot(repo, { message, head, branch, inTheWay, touched }, scanned);
      await refs.update([{ op: 'update', ref: safetyRef, value: snapshot.commit }]);
    }
    crashPoint(`${op}:snapshot`);
    await listsWritten;
    journaling = true;
    await append(repo, {
      id, op, status: 'started', time: new Date().toISOString(), pid: process.pid, args, plan: journaledPlan,
      safety: { ref: safetyRef, commit: snapshot.commit, head, branch },
    } as JournalEntry);
    crashPoint(`${op}:journaled`);
    return { id, snapshot, safetyRef, refs };
  } catch (err) {
    await refs.close();
    // not journaled: nothing refers to the lists (an append that failed half way: its line is dropped when read)
    if (listsWritten && !journaling) await listsWritten.then(() => rm(listsFile, { force: true }), () => {});
    throw err;
  }
}

/** Journals the end of an operation: `done` with its result, `failed` or `interrupted` with a sentence. */
export async function endOperation<O extends OperationName>(
  repo: Repo, begun: { id: string }, op: O, ...[status, detail]: ['done', DoneOf<O>?] | ['failed' | 'interrupted', string]
): Promise<void> {
  await append(repo, { id: begun.id, op, status, time: new Date().toISOString(), pid: process.pid, detail } as JournalEntry);
}

/**
 * Where the journal stands (its last entry), to be taken before planning and passed to
 * `journaled`: an operation that ran in between makes the plan stale.
 */
export async function journalMark(repo: Repo): Promise<string | null> {
  const last = (await readJournal(repo)).pop();
  return last ? `${last.id} ${last.status}` : null;
}

export interface JournaledOptions {
  /** `journalMark` from before planning; when given, a changed journal refuses the plan. */
  plannedAt?: string | null;
  /** An interrupted operation this one takes back (an undo): journaled `interrupted` once this one is done. */
  closes?: { id: string; op: OperationName };
  /**
   * The work tree as the plan read it, when nothing happened in between (no question asked):
   * the safety snapshot is made from it instead of reading the work tree again.
   */
  scanned?: WorkState | null;
  /** With `scanned`: the paths the plan writes that it did not read (writesToCheck), looked at for ignored files in the way. */
  inTheWay?: string[];
}

/**
 * Runs `work` as a journaled operation: under the repository's operation lock (one changing
 * operation at a time), safety snapshot first, `done`/`failed` after.
 */
export async function journaled<O extends OperationName, T extends DoneOf<O>>(
  repo: Repo, op: O, args: ArgsOf<O>, plan: PlanOf<O>, work: (b: Begun) => Promise<T>, opts: JournaledOptions = {},
): Promise<T> {
  return withOperationLock(repo, op, async () => {
    if (opts.plannedAt !== undefined) {
      const now = await journalMark(repo);
      if (now !== opts.plannedAt) throw new UsageError(msg.operationRanMeanwhile(now!.split(' ')[0]));
    }
    const begun = await beginOperation(repo, op, args, plan, opts.scanned, opts.scanned ? opts.inTheWay : undefined);
    try {
      const result = await work(begun);
      await begun.refs.close();
      await endOperation(repo, begun, op, 'done', result);
      if (opts.closes) await endOperation(repo, opts.closes, opts.closes.op, 'interrupted', undoneBy(begun.id));
      return result;
    } catch (err) {
      await begun.refs.close();
      await endOperation(repo, begun, op, 'failed', (err as Error).message);
      throw err;
    }
  });
}
