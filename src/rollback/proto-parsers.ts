/**
 * Parsing many .proto files on every core: worker threads, each with its own protobufjs, take
 * files in small batches as they finish the last (a thread that started late or runs slower
 * takes fewer), read the files on disk themselves, and hand back each file's record and the
 * cache line it is kept under. The thread that started them only lists and compares. A few
 * files, or where a worker cannot start (the code run from its TypeScript sources), are parsed
 * on this thread.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { blobId, cacheLine, readFileRecord, type FileRecord } from './proto-schema.js';

/** A file to parse: its text, or where it is on disk (used when its bytes are still blob `id`). */
export interface ParseItem {
  id: string;
  text?: string;
  file?: string;
}

/** A file parsed: null when the file on disk no longer holds blob `id` (then git's copy is wanted). */
export type Parsed = { record: FileRecord; line: string } | null;

/** Below this many files the workers' start (about 50 ms each) costs more than it saves. */
export const WORKER_MIN_FILES = 200;
/** Files a worker is given at a time: small enough to share the end evenly, big enough that messages cost nothing. */
const BATCH = 40;

/** One item on the thread it is read on (a worker, or this one). */
export function parseItem(item: ParseItem): Parsed {
  let text = item.text;
  if (text === undefined) {
    try {
      const bytes = readFileSync(item.file!);
      if (blobId(bytes) === item.id) text = bytes.toString('utf8');
    } catch {
      // gone since it was listed: git's copy
    }
  }
  if (text === undefined) return null;
  const record = readFileRecord(text);
  return { record, line: cacheLine(item.id, record) };
}

interface Job {
  items: ParseItem[];
  out: Parsed[];
  left: number;
  done: (out: Parsed[]) => void;
}

export interface Parsers {
  /** Each item's record, in order (batches of several calls are served as they come). */
  parse(items: ParseItem[]): Promise<Parsed[]>;
  /** Stops the workers (idempotent). */
  close(): void;
}

/** On this thread only. */
export const parseHere: Parsers = { parse: async (items) => items.map(parseItem), close() {} };

/** Starts `count` workers (one a core by default): they load protobufjs at once, before any file is given. */
export function startParsers(count = Math.min(4, Math.max(1, availableParallelism()))): Parsers {
  const script = new URL('./proto-schema-worker.js', import.meta.url);
  const queue: Array<{ job: Job; at: number }> = [];
  const idle: Worker[] = [];
  const busy = new Map<Worker, Array<{ job: Job; at: number }>>();
  let alive = 0;
  let closed = false;

  const settle = (job: Job, at: number, parsed: Parsed) => {
    job.out[at] = parsed;
    if (--job.left === 0) job.done(job.out);
  };
  /** What nothing can take any more is parsed here. */
  const drainHere = (slots: Array<{ job: Job; at: number }>) => {
    for (const s of slots) settle(s.job, s.at, parseItem(s.job.items[s.at]));
  };
  const pump = () => {
    if (alive === 0) {
      drainHere(queue.splice(0));
      return;
    }
    while (idle.length && queue.length) {
      const w = idle.pop()!;
      const slots = queue.splice(0, BATCH);
      busy.set(w, slots);
      w.postMessage(slots.map((s) => s.job.items[s.at]));
    }
  };
  const lose = (w: Worker) => {
    if (!busy.has(w) && !idle.includes(w)) return;
    alive--;
    const i = idle.indexOf(w);
    if (i >= 0) idle.splice(i, 1);
    const slots = busy.get(w);
    busy.delete(w);
    if (slots) queue.unshift(...slots);
    pump();
  };
  for (let i = 0; i < count; i++) {
    let w: Worker;
    try {
      w = new Worker(script);
    } catch {
      continue;
    }
    alive++;
    idle.push(w);
    // a worker keeps the process alive only while it has files
    w.unref();
    w.on('message', (parsed: Parsed[]) => {
      const slots = busy.get(w) ?? [];
      busy.delete(w);
      slots.forEach((s, k) => settle(s.job, s.at, parsed[k]));
      if (closed) return;
      if (queue.length === 0) w.unref();
      idle.push(w);
      pump();
    });
    w.on('error', () => lose(w));
    w.on('exit', () => lose(w));
  }
  return {
    parse(items) {
      if (items.length === 0) return Promise.resolve([]);
      return new Promise<Parsed[]>((done) => {
        const job: Job = { items, out: new Array(items.length), left: items.length, done };
        for (let at = 0; at < items.length; at++) queue.push({ job, at });
        for (const w of [...idle, ...busy.keys()]) w.ref();
        pump();
      });
    },
    close() {
      if (closed) return;
      closed = true;
      for (const w of [...idle, ...busy.keys()]) void w.terminate();
    },
  };
}
