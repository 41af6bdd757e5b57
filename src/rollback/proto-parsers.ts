/**
 * Parsing many .proto files: worker threads (where they pay: parser-threads.ts), each with its
 * own protobufjs, and this thread take files one at a time from a counter they share (a thread
 * that started late, runs slower or is busy elsewhere takes fewer, and none waits for another
 * to hand it work), read the files on disk themselves, and claim each file's body in a table
 * they share: a file whose body another claimed first (a moved file, proto-header.ts) is not
 * parsed, its record is made here from the other's. The workers send back each file's record
 * and the cache line it is kept under. A few files are parsed on this thread alone, and where
 * a worker cannot start (the code run from its TypeScript sources) or stops, this thread
 * parses what it had.
 */
import { readFileSync } from 'node:fs';
import type { Worker } from 'node:worker_threads';
import { cacheLine, readFileRecord, textBlobId, readHeader, twinRecord, type FileRecord, type Header } from './proto-schema.js';
import { bodyKey, splitHeader } from './proto-header.js';
import { startedEarly, threadCount, threads, tuneV8 } from './parser-threads.js';
import { append } from '../util/group.js';

/** A file to parse: its text, or where it is on disk (used when its bytes are still blob `id`). */
export interface ParseItem {
  id: string;
  text?: string;
  file?: string;
}

/** A file parsed: null when the file on disk no longer holds blob `id` (then git's copy is wanted). */
export type Parsed = { record: FileRecord; line: string } | null;

/**
 * What a thread sends back for an item: its record (with the line its body starts on, for the
 * twins that name it); or, when another item claimed its body first, that item's serial and
 * this file's own header (made into a record on the main thread: see startParsers); null as in
 * Parsed.
 */
export type Reading = Own | Twin | null;
export type Own = { record: FileRecord; line: string; bodyLine?: number };
export type Twin = { twinOf: number; header: Header; bodyLine: number };

/**
 * The text of an item: its own, or its file's while the file still holds blob `id` (else null:
 * git's copy is wanted). The file is read as text in one call (node reads and decodes it
 * natively: cheaper than its bytes, then a Hash object, then the decoding, 30 ms against 56 for
 * the sandbox's 1,632 files read once); a file that is not UTF-8 reads as another blob, and
 * git's copy, decoded the same way, is read instead.
 */
function textOf(item: ParseItem): string | null {
  if (item.text !== undefined) return item.text;
  try {
    const text = readFileSync(item.file!, 'utf8');
    if (textBlobId(text) === item.id) return text;
  } catch {
    // gone since it was listed: git's copy
  }
  return null;
}

/** One item parsed whole, on the thread it is read on. */
export function parseItem(item: ParseItem): Parsed {
  const text = textOf(item);
  return text === null ? null : recordOf(item.id, text);
}

/** A text parsed: its record and the cache line it is kept under. */
function recordOf(id: string, text: string): Own {
  const record = readFileRecord(text);
  return { record, line: cacheLine(id, record) };
}

/**
 * One item as the parsers' threads read it: its body claimed under `serial` first
 * (proto-header.ts); a body another item claimed already is not parsed again, only this
 * file's header is read.
 */
export function readItem(item: ParseItem, claims: Claims, serial: number): Reading {
  const text = textOf(item);
  if (text === null) return null;
  const split = splitHeader(text);
  if (split) {
    const owner = claim(claims, bodyKey(text, split), serial);
    const header = owner >= 0 ? readHeader(text, split.bodyAt) : null;
    if (header) return { twinOf: owner, header, bodyLine: split.bodyLine };
  }
  const own = recordOf(item.id, text);
  if (split) own.bodyLine = split.bodyLine;
  return own;
}

/**
 * The bodies claimed so far, shared by every thread of one startParsers: open addressing over
 * slots of four Int32: the owner's serial + 1 (0: free; -1: being written), then three words
 * of the body's key. A table three quarters full claims nothing more (each item is then
 * parsed whole, as without it).
 */
export type Claims = Int32Array;
const CLAIM_SLOTS = 1 << 15;
export const newClaims = (): Claims => new Int32Array(new SharedArrayBuffer(CLAIM_SLOTS * 16 + 4));

/** Claims a body for `serial`: -1 when it is this item's to parse, else the serial of the item that claimed it first. */
export function claim(table: Claims, key: Buffer, serial: number): number {
  const slots = (table.length - 1) >> 2;
  const [w0, w1, w2] = [key.readInt32LE(0), key.readInt32LE(4), key.readInt32LE(8)];
  for (let probe = 0, s = w0 & (slots - 1); probe < slots; probe++, s = (s + 1) & (slots - 1)) {
    const at = 1 + s * 4;
    let owner = Atomics.load(table, at);
    if (owner === 0) {
      if (Atomics.add(table, 0, 1) >= (slots * 3) >> 2) return -1; // full enough: parsed whole
      owner = Atomics.compareExchange(table, at, 0, -1);
      if (owner === 0) {
        Atomics.store(table, at + 1, w0);
        Atomics.store(table, at + 2, w1);
        Atomics.store(table, at + 3, w2);
        Atomics.store(table, at, serial + 1);
        return -1;
      }
    }
    // another thread writing this slot this instant: parsed here too rather than waited for
    if (owner === -1) return -1;
    if (Atomics.load(table, at + 1) === w0 && Atomics.load(table, at + 2) === w1 && Atomics.load(table, at + 3) === w2) return owner - 1;
  }
  return -1;
}

export interface Parsers {
  /** Each item's record, in order (calls made one after another are served in that order). */
  parse(items: ParseItem[]): Promise<Parsed[]>;
  /** Stops the workers (idempotent); a parse not finished yet, or asked for after, fails. */
  close(): void;
}

/** On this thread only. */
export const parseHere: Parsers = { parse: async (items) => items.map((item) => parseItem(item)), close() {} };

/** An item as a worker is sent it: a text as where its bytes are in the job's shared texts. */
export type SentItem = { id: string; file?: string; span?: [at: number, length: number] };

/** What a worker is sent per call of parse(): the items, and the counter every thread takes the next one from. */
export interface JobMessage {
  job: number;
  items: SentItem[];
  /** Int32 [0]: the next item to take; Int8 [4 + k]: who took item k (see Counter). */
  shared: SharedArrayBuffer;
  /** The items' texts, UTF-8, one after another (null when no item has one). */
  texts: SharedArrayBuffer | null;
  /** The bodies claimed (see Claims), and the serial of item 0 (serials count on across jobs). */
  claims: SharedArrayBuffer;
  base: number;
}

/**
 * The items as workers are sent them: the texts (files read from git) copied once into memory
 * every thread shares, not once per worker by each message, and each thread decodes only those
 * it takes.
 */
function shareTexts(items: ParseItem[]): { sent: SentItem[]; texts: SharedArrayBuffer | null } {
  let size = 0;
  for (const item of items) if (item.text !== undefined) size += Buffer.byteLength(item.text);
  if (size === 0) return { sent: items, texts: null };
  const texts = new SharedArrayBuffer(size);
  const bytes = Buffer.from(texts);
  let at = 0;
  const sent = items.map((item): SentItem => {
    if (item.text === undefined) return item;
    const length = bytes.write(item.text, at);
    const span: [number, number] = [at, length];
    at += length;
    return { id: item.id, span };
  });
  return { sent, texts };
}

/** Item `k` of a job as a worker reads it. */
export function itemOf(job: JobMessage, k: number): ParseItem {
  const { id, file, span } = job.items[k];
  if (span && job.texts) return { id, text: Buffer.from(job.texts, span[0], span[1]).toString('utf8') };
  return file === undefined ? { id } : { id, file };
}
/** What a worker sends back: readings of items it took, by index. */
export interface DoneMessage {
  job: number;
  at: number[];
  parsed: Reading[];
}

/** Items a worker parses before it sends what it has: the end of a job is sent at once. */
export const SEND_EVERY = 8;
/** Items this thread parses before it lets the event loop run (git's output, workers' records). */
const TURN = 8;

/**
 * A job's shared memory as a thread reads it: the counter, and who took each item (this
 * thread 1, a worker its number from 2; 0 until the taker has written it, an instant after it
 * took the item).
 */
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

/** This thread's mark on the items it takes. */
const HERE = 1;

interface Job {
  id: number;
  /** The serial of item 0. */
  base: number;
  items: ParseItem[];
  counter: Counter;
  out: Parsed[];
  /** Items settled so far (a record, or null). */
  done: boolean[];
  left: number;
  finish: (out: Parsed[]) => void;
  fail: (err: Error) => void;
}

/**
 * Starts `count` workers (one a core besides this thread's, by default): they load protobufjs at
 * once, before any file is given. Each call of parse() is a job every thread takes items from,
 * one at a time, through a shared counter: a thread that started late, runs slower or is busy
 * with something else (this one resolving a set) takes fewer, and none waits for another to
 * hand it work. This thread parses too, a few items a turn of the event loop.
 */
export function startParsers(count = threadCount()): Parsers {
  const jobs: Job[] = [];
  const workers = new Map<Worker, number>();
  let closed = false;
  let helping = false;
  let next = 0;
  let serials = 0;
  const claims = newClaims();
  /**
   * Each item settled, by serial: the record that owns its body, or null when it has none (it
   * had no text, or was parsed whole here after its worker was lost); and the twins that wait
   * for an item not settled yet (see twins).
   */
  const owners = new Map<number, { record: FileRecord; bodyLine: number } | null>();
  const waiting = new Map<number, Array<{ job: Job; at: number; twin: Twin }>>();

  /**
   * A twin's record: its owner's, under its own header and lines (proto-schema.ts: twinRecord);
   * parsed whole here when the owner's did not parse.
   */
  const twins = (job: Job, at: number, owner: { record: FileRecord; bodyLine: number }, twin: Twin): Own | null => {
    if (owner.record.problem) return parseItem(job.items[at]);
    const record = twinRecord(owner.record, twin.bodyLine - owner.bodyLine, twin.header);
    return { record, line: cacheLine(job.items[at].id, record) };
  };
  const settle = (job: Job, at: number, reading: Reading) => {
    if (job.done[at]) return;
    if (reading && 'twinOf' in reading) {
      const owner = owners.get(reading.twinOf);
      if (owner === undefined) return append(waiting, reading.twinOf, { job, at, twin: reading });
      // an owner with no record: the twin parsed whole
      reading = owner ? twins(job, at, owner, reading) : parseItem(job.items[at]);
    }
    job.done[at] = true;
    job.out[at] = reading && { record: reading.record, line: reading.line };
    const serial = job.base + at;
    const owner = reading?.bodyLine !== undefined ? { record: reading.record, bodyLine: reading.bodyLine } : null;
    owners.set(serial, owner);
    const twinsOf = waiting.get(serial);
    if (twinsOf) {
      waiting.delete(serial);
      for (const w of twinsOf) settle(w.job, w.at, owner ? twins(w.job, w.at, owner, w.twin) : parseItem(w.job.items[w.at]));
    }
    if (--job.left === 0) {
      jobs.splice(jobs.indexOf(job), 1);
      job.finish(job.out);
      // no work left: the workers keep the process alive no longer
      if (jobs.length === 0) for (const w of workers.keys()) w.unref();
    }
  };
  /** This thread's share: a few items of the oldest job with items left, then the event loop, then more. */
  const help = () => {
    if (closed) return void (helping = false);
    for (let n = 0; n < TURN; n++) {
      const job = jobs.find((j) => untaken(j.counter));
      if (!job) break;
      const k = take(job.counter, HERE);
      if (k >= 0) settle(job, k, readItem(job.items[k], claims, job.base + k));
    }
    if (jobs.some((j) => untaken(j.counter))) setImmediate(help);
    else helping = false;
  };
  const startHelping = () => {
    if (!helping) (helping = true), setImmediate(help);
  };
  /**
   * A worker gone: what it took and did not send back is parsed here, and so is what was taken
   * and not marked yet (its taker may have been this worker; parsed twice, an item counts once).
   */
  const lose = (w: Worker) => {
    const who = workers.get(w);
    if (who === undefined) return;
    workers.delete(w);
    for (const job of [...jobs]) {
      const taken = Math.min(Atomics.load(job.counter.next, 0), job.items.length);
      for (let k = 0; k < taken; k++) {
        const by = job.counter.takenBy[k];
        if ((by === who || by === 0) && !job.done[k]) settle(job, k, parseItem(job.items[k]));
      }
    }
  };
  const fromEarly = startedEarly();
  for (const { worker: w, who } of threads(count)) {
    workers.set(w, who);
    w.on('message', (m: DoneMessage) => {
      const job = jobs.find((j) => j.id === m.job);
      if (job) m.at.forEach((k, n) => settle(job, k, m.parsed[n]));
    });
    w.on('error', () => lose(w));
    w.on('exit', () => lose(w));
    if (w.threadId < 0) lose(w); // it stopped before it was taken
  }
  // V8 set for parsing: by workers started early, once they run (set before, their start is
  // slower); else now, by this thread, which parses from now on
  if (!fromEarly) tuneV8();
  return {
    parse(items) {
      if (items.length === 0) return Promise.resolve([]);
      if (closed) return Promise.reject(new Error('the parsers were closed'));
      return new Promise<Parsed[]>((finish, fail) => {
        const shared = new SharedArrayBuffer(4 + items.length);
        const job: Job = { id: next++, base: serials, items, counter: counterOf(shared, items.length), out: new Array(items.length), done: new Array(items.length).fill(false), left: items.length, finish, fail };
        serials += items.length;
        jobs.push(job);
        const { sent, texts } = workers.size ? shareTexts(items) : { sent: [], texts: null };
        const message: JobMessage = { job: job.id, items: sent, shared, texts, claims: claims.buffer as SharedArrayBuffer, base: job.base };
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
      waiting.clear();
      for (const job of jobs.splice(0)) job.fail(new Error('the parsers were closed before every file was parsed'));
    },
  };
}
