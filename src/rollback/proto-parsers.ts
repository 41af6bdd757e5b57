/**
 * Parsing many .proto files on every core: worker threads, each with its own protobufjs, and
 * this thread take files one at a time from a counter they share (a thread that started late,
 * runs slower or is busy elsewhere takes fewer, and none waits for another to hand it work),
 * read the files on disk themselves, and the workers send back each file's record and the
 * cache line it is kept under. A few files are parsed on this thread alone, and where a worker
 * cannot start (the code run from its TypeScript sources) or stops, this thread parses what it
 * had.
 */
import { readFileSync } from 'node:fs';
import type { Worker } from 'node:worker_threads';
import { blobId, cacheLine, readFileRecord, type FileRecord } from './proto-schema.js';
import { THREADS, threads } from './parser-threads.js';

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

export interface Parsers {
  /** Each item's record, in order (calls made one after another are served in that order). */
  parse(items: ParseItem[]): Promise<Parsed[]>;
  /** Stops the workers (idempotent). */
  close(): void;
}

/** On this thread only. */
export const parseHere: Parsers = { parse: async (items) => items.map(parseItem), close() {} };

/** What a worker is sent per call of parse(): the items, and the counter every thread takes the next one from. */
export interface JobMessage {
  job: number;
  items: ParseItem[];
  /** Int32 [0]: the next item to take; Int8 [4 + k]: who took item k (0 this thread, 1 + the worker's index). */
  shared: SharedArrayBuffer;
}
/** What a worker sends back: records of items it took, by index. */
export interface DoneMessage {
  job: number;
  at: number[];
  parsed: Parsed[];
}

/** Items a worker parses before it sends what it has: the end of a job is sent at once. */
export const SEND_EVERY = 8;
/** Items this thread parses before it lets the event loop run (git's output, workers' records). */
const TURN = 8;

/** A job's shared memory as a thread reads it: the counter, and who took each item. */
export interface Counter {
  next: Int32Array;
  takenBy: Int8Array;
  length: number;
}
export const counterOf = (shared: SharedArrayBuffer, length: number): Counter => ({ next: new Int32Array(shared, 0, 1), takenBy: new Int8Array(shared, 4), length });
/** Takes the next item of a job: its index, or -1 when all are taken. */
export function take(c: Counter, who: number): number {
  const k = Atomics.add(c.next, 0, 1);
  if (k >= c.length) return -1;
  c.takenBy[k] = who;
  return k;
}
const untaken = (c: Counter) => Atomics.load(c.next, 0) < c.length;

interface Job {
  id: number;
  items: ParseItem[];
  counter: Counter;
  out: Parsed[];
  /** Items settled so far (a record, or null). */
  done: boolean[];
  left: number;
  finish: (out: Parsed[]) => void;
}

/**
 * Starts `count` workers (one a core besides this thread's, by default): they load protobufjs at
 * once, before any file is given. Each call of parse() is a job every thread takes items from,
 * one at a time, through a shared counter: a thread that started late, runs slower or is busy
 * with something else (this one resolving a set) takes fewer, and none waits for another to
 * hand it work. This thread parses too, a few items a turn of the event loop.
 */
export function startParsers(count = THREADS()): Parsers {
  const jobs: Job[] = [];
  const workers = new Map<Worker, number>();
  let closed = false;
  let helping = false;
  let next = 0;

  const settle = (job: Job, at: number, parsed: Parsed) => {
    if (job.done[at]) return;
    job.done[at] = true;
    job.out[at] = parsed;
    if (--job.left === 0) {
      jobs.splice(jobs.indexOf(job), 1);
      job.finish(job.out);
    }
  };
  /** This thread's share: a few items of the oldest job with items left, then the event loop, then more. */
  const help = () => {
    if (closed) return void (helping = false);
    for (let n = 0; n < TURN; n++) {
      const job = jobs.find((j) => untaken(j.counter));
      if (!job) break;
      const k = take(job.counter, 0);
      if (k >= 0) settle(job, k, parseItem(job.items[k]));
    }
    if (jobs.some((j) => untaken(j.counter))) setImmediate(help);
    else helping = false;
  };
  const startHelping = () => {
    if (!helping) (helping = true), setImmediate(help);
  };
  /** A worker gone: what it took and did not send back is parsed here. */
  const lose = (w: Worker) => {
    const who = workers.get(w);
    if (who === undefined) return;
    workers.delete(w);
    for (const job of [...jobs]) {
      for (let k = 0; k < job.items.length; k++) if (job.counter.takenBy[k] === who && !job.done[k]) settle(job, k, parseItem(job.items[k]));
    }
  };
  for (const [i, w] of threads(count).entries()) {
    const who = i + 1;
    workers.set(w, who);
    w.on('message', (m: DoneMessage) => {
      const job = jobs.find((j) => j.id === m.job);
      if (job) m.at.forEach((k, n) => settle(job, k, m.parsed[n]));
      if (jobs.length === 0) w.unref();
    });
    w.on('error', () => lose(w));
    w.on('exit', () => lose(w));
    if (w.threadId < 0) lose(w); // it stopped before it was taken
  }
  return {
    parse(items) {
      if (items.length === 0) return Promise.resolve([]);
      return new Promise<Parsed[]>((finish) => {
        const shared = new SharedArrayBuffer(4 + items.length);
        const job: Job = { id: next++, items, counter: counterOf(shared, items.length), out: new Array(items.length), done: new Array(items.length).fill(false), left: items.length, finish };
        jobs.push(job);
        const message: JobMessage = { job: job.id, items, shared };
        for (const w of workers.keys()) {
          w.postMessage(message);
          w.ref(); // it has work: the process waits for it
        }
        startHelping();
      });
    },
    close() {
      if (closed) return;
      closed = true;
      for (const w of workers.keys()) void w.terminate();
      workers.clear();
    },
  };
}
