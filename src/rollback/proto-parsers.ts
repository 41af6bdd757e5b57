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
import { availableParallelism } from 'node:os';
import { setFlagsFromString } from 'node:v8';
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

/** The size a worker's young generation starts at, in MB (V8 starts at 1), and how fast this thread's grows. */
const YOUNG_MB = 16;
const GROWTH = 8;
/** The bytecode a function runs through between V8's looks at whether to optimize it (V8's default: 66 KB). */
const BUDGET = 1_000_000;

/**
 * V8 set for a few seconds of parsing on every thread. Only the process that verifies sets
 * these: a CLI run, over when the command is.
 *
 * The young generation: nearly every object a parse makes lives until the end (the records) or
 * dies at once (the parser's): with V8's first young generation of 1 MB, each of the many
 * scavenges on the way to a fitting size copies the records made so far (a worker's 12
 * scavenges of a cold run become one). V8 reads the first flag when an isolate's heap is made,
 * so a worker started after this has the larger one from the start (Worker's resourceLimits set
 * only the largest); this thread's heap, made already, grows in fewer steps instead (20
 * scavenges become 14).
 *
 * The optimizing compiler without inlining: each thread runs protobufjs's parser a few
 * thousand times, too few for code that inlines its callees to pay for its compiling. Each
 * thread compiles its own (on V8's compiler threads, which share the same cores), and
 * protobufjs's parser and this module's reading of its result are functions within functions:
 * with inlining, some took a hundred milliseconds or more each to compile. Without it, 1,600
 * real-shaped files parsed on one thread cost 16% fewer instructions in all (valgrind's count,
 * compiler threads included: 2,256 M instead of 2,676 M beyond node's start).
 *
 * And later: V8 sends a function to its optimizing compiler once it has run through a budget
 * of bytecode (66 KB by default) a few times. On a run this short that compiled far more than
 * it paid back: in a cold run on the sandbox tree, a quarter of all instructions (valgrind) were
 * the optimizing compiler's. With a budget of 1 MB only the hottest functions are compiled:
 * 16% fewer instructions in all (4,771 M to 3,994 M), and, by turns with the budget before,
 * wall 1,230 to 970 ms on the sandbox tree and 2,000 to 1,660 ms on the real-shaped one (medians
 * of 7 and 5). 0.5 MB and 2.5 MB were slower than 1 MB; 1.5 MB about the same.
 */
function tuneV8(): void {
  try {
    setFlagsFromString(`--min-semi-space-size=${YOUNG_MB}`);
    setFlagsFromString(`--semi-space-growth-factor=${GROWTH}`);
    setFlagsFromString('--no-turbo-inlining');
    setFlagsFromString(`--interrupt-budget=${BUDGET}`);
  } catch {
    // the defaults then
  }
}

/** Workers besides this thread: one a core, at most three. */
const THREADS = () => Math.min(3, availableParallelism() - 1);

/** Workers started before they were asked for (startEarly), not taken yet. */
let early: Worker[] = [];

/**
 * Starts `count` workers (or takes those started early). Each loads protobufjs at once. A
 * worker keeps the process alive only while it has work (ref'd by parse()).
 */
function threads(count: number): Worker[] {
  tuneV8();
  const out = early.splice(0, count);
  const script = new URL('./proto-schema-worker.js', import.meta.url);
  for (let who = out.length + 1; who <= count; who++) {
    try {
      out.push(new Worker(script, { workerData: { who } }));
    } catch {
      break; // the code run from its TypeScript sources: this thread parses alone
    }
  }
  for (const w of out) w.unref();
  stopEarly();
  return out;
}

/**
 * Starts the workers now, before the command is loaded and knows it needs them: a worker's own
 * start (node's, then protobufjs) takes as long as this thread's loading of the CLI, and runs
 * beside it. The worker that is not taken by startParsers is stopped by stopEarly, or ends
 * with the process (they keep nothing alive).
 */
export function startEarly(count = THREADS()): void {
  early = threads(count);
  for (const w of early) w.on('error', () => {}); // an error before it is taken: startParsers sees it stopped
}

/** Stops the workers started early and not taken (a run that found its cache: nothing to parse). */
export function stopEarly(): void {
  for (const w of early.splice(0)) void w.terminate();
}

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
