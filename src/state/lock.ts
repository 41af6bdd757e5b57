/**
 * One changing operation at a time per work tree: `<git dir>/reorg-guard/operation.lock` (a linked
 * worktree has its own HEAD, index and files, so its own lock),
 * created whole (a temp file linked into place, so nobody reads half a lock) and holding the
 * pid, its /proc start time and the operation. A lock whose process is gone (killed, crashed)
 * is stale and taken over; a live one makes the second operation refuse with nothing changed.
 * Re-entrant within one process.
 */
import { link, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Repo } from '../git/repo.js';
import { existsSync } from 'node:fs';
import { pidExists, startTime } from '../util/proc.js';
import { UsageError } from '../errors.js';
import { tempSuffix } from '../util/temp-name.js';
import { msg } from '../messages.js';
import { worktreeStateDir } from './paths.js';

/** Another process holds the lock: nothing was changed. `why` says who, without that last sentence. */
export class OperationLockedError extends UsageError {
  constructor(readonly why: string) {
    super(msg.nothingChanged(why));
  }
}

interface Holder {
  pid: number;
  start: string | null;
  op: string;
  since: string;
}

const held = new Map<string, { count: number; content: string }>();

const lockFile = (repo: Repo) => path.join(worktreeStateDir(repo), 'operation.lock');

function parse(text: string): Holder | null {
  try {
    const h = JSON.parse(text) as Holder;
    return typeof h.pid === 'number' ? h : null;
  } catch {
    return null;
  }
}

/** Where /proc gives no start times (not Linux), a pid that exists is trusted alone. */
const HAVE_PROC = existsSync('/proc/self/stat');

const alive = (h: Holder | null) =>
  h !== null && (HAVE_PROC ? h.start !== null && startTime(h.pid) === h.start : h.pid !== process.pid && pidExists(h.pid));

async function readIfThere(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

async function acquire(repo: Repo, op: string): Promise<string> {
  const file = lockFile(repo);
  const content = JSON.stringify({ pid: process.pid, start: startTime(process.pid), op, since: new Date().toISOString() } satisfies Holder) + '\n';
  const tmp = `${file}.${tempSuffix()}`;
  await writeFile(tmp, content, { mode: 0o600 });
  try {
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        await link(tmp, file);
        return content;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      const seen = await readIfThere(file);
      if (seen === null) continue;
      const holder = parse(seen);
      if (alive(holder)) throw new OperationLockedError(msg.operationLocked(holder!.op, holder!.pid, holder!.since));
      await breakStale(file, tmp, seen);
    }
    throw new OperationLockedError(msg.operationLockContended(file));
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
}

/** A takeover left by a process killed in its few microseconds is old after this long. */
const TAKEOVER_STALE_MS = 10_000;

/**
 * Removes the lock `file` if it still holds `seen` (judged stale). Only the holder of
 * `<file>.takeover` (linked into place like the lock) may remove a stale lock, so between its
 * second read and its unlink nobody else can have replaced the file: a live lock is never lost.
 */
async function breakStale(file: string, tmp: string, seen: string): Promise<void> {
  const takeover = `${file}.takeover`;
  try {
    await link(tmp, takeover);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    const st = await stat(takeover).catch(() => null);
    if (st && Date.now() - st.mtimeMs > TAKEOVER_STALE_MS) await unlink(takeover).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 20)); // another process is taking over: let it finish
    return;
  }
  try {
    if ((await readIfThere(file)) === seen) await unlink(file).catch(() => undefined);
  } finally {
    await unlink(takeover).catch(() => undefined);
  }
}

/** Runs `work` holding the work tree's operation lock. */
export async function withOperationLock<T>(repo: Repo, op: string, work: () => Promise<T>): Promise<T> {
  const file = lockFile(repo);
  const mine = held.get(file);
  if (mine) {
    mine.count++;
  } else {
    held.set(file, { count: 1, content: await acquire(repo, op) });
  }
  try {
    return await work();
  } finally {
    const entry = held.get(file)!;
    if (--entry.count === 0) {
      held.delete(file);
      // Only our own lock is removed (never one that replaced it after it was judged stale).
      if ((await readIfThere(file)) === entry.content) await unlink(file).catch(() => undefined);
    }
  }
}
