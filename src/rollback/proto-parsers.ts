/**
 * Parsing many .proto files on every core: worker threads, each with its own protobufjs, take
 * files in small batches as they finish the last (a thread that started late or runs slower
 * takes fewer), read the files on disk themselves, and hand back each file's record and the
 * cache line it is kept under; the thread that started them parses its share between handing
 * out batches. A few files are parsed on this thread alone, and where a worker cannot start
 * (the code run from its TypeScript sources) this thread parses what it had.
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
/** Files a worker is given at a time: small enough to share the end evenly, big enough that messages cost nothing. */
const BATCH = 32;
/**
 * Batches a worker holds at once: it never waits for this thread to hand out the next, even
 * while this thread resolves a set whose files are all in (a few tens of milliseconds).
 */
const DEPTH = 3;
/**
 * Batches a worker is given when this thread is about to be busy without a break (resolving a
 * set of 1,600 files: a tenth of a second or more): with DEPTH only, the worker ran out of files
 * and waited, for as long again, on a profile of a cold run.
 */
const BUSY_DEPTH = 12;

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
  /** This thread is about to be busy for a while: each worker is given more of the files waiting. */
  busy(): void;
}

/** On this thread only. */
export const parseHere: Parsers = { parse: async (items) => items.map(parseItem), close() {}, busy() {} };

type Slot = { job: Job; at: number };

/** The size a worker's young generation starts at, in MB (V8 starts at 1), and how fast this thread's grows. */
const YOUNG_MB = 16;
const GROWTH = 8;

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
 */
function tuneV8(): void {
  try {
    setFlagsFromString(`--min-semi-space-size=${YOUNG_MB}`);
    setFlagsFromString(`--semi-space-growth-factor=${GROWTH}`);
    setFlagsFromString('--no-turbo-inlining');
  } catch {
    // the defaults then
  }
}

/**
 * Starts `count` workers (one a core besides this thread's, by default): they load protobufjs at
 * once, before any file is given. This thread parses too, a batch at a time, between the
 * messages that hand each worker its next batch (each holds a few, so it never waits for this one).
 */
export function startParsers(count = Math.min(3, availableParallelism() - 1)): Parsers {
  const script = new URL('./proto-schema-worker.js', import.meta.url);
  tuneV8();
  const queue: Slot[] = [];
  /** The batches each live worker has, oldest first (it answers them in order). */
  const workers = new Map<Worker, Slot[][]>();
  let closed = false;
  let helping = false;

  const settle = (job: Job, at: number, parsed: Parsed) => {
    job.out[at] = parsed;
    if (--job.left === 0) job.done(job.out);
  };
  const pump = (depth = DEPTH) => {
    for (const [w, batches] of workers) {
      while (batches.length < depth && queue.length) {
        const slots = queue.splice(0, BATCH);
        batches.push(slots);
        w.postMessage(slots.map((s) => s.job.items[s.at]));
        w.ref(); // it has files: the process waits for it
      }
    }
  };
  /** This thread's share: a batch, then the event loop (workers answered and fed), then the next. */
  const help = () => {
    if (closed || queue.length === 0) {
      helping = false;
      return;
    }
    for (const s of queue.splice(0, BATCH)) settle(s.job, s.at, parseItem(s.job.items[s.at]));
    pump();
    setImmediate(help);
  };
  const lose = (w: Worker) => {
    const batches = workers.get(w);
    if (!batches) return;
    workers.delete(w);
    queue.unshift(...batches.flat());
    if (!helping && queue.length) (helping = true), help();
  };
  for (let i = 0; i < count; i++) {
    let w: Worker;
    try {
      w = new Worker(script);
    } catch {
      continue;
    }
    workers.set(w, []);
    // a worker keeps the process alive only while it has files
    w.unref();
    w.on('message', (parsed: Parsed[]) => {
      const batches = workers.get(w);
      const slots = batches?.shift() ?? [];
      slots.forEach((s, k) => settle(s.job, s.at, parsed[k]));
      if (closed || !batches) return;
      pump();
      if (batches.length === 0) w.unref();
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
        pump();
        if (!helping && queue.length) {
          helping = true;
          setImmediate(help);
        }
      });
    },
    busy() {
      if (!closed) pump(BUSY_DEPTH);
    },
    close() {
      if (closed) return;
      closed = true;
      for (const w of workers.keys()) void w.terminate();
      workers.clear();
    },
  };
}
