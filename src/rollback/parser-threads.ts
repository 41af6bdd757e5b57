/**
 * The worker threads that parse .proto files (proto-parsers.ts gives them their work), and the
 * V8 settings of a process that parses: small, so that cli.ts can start them before it loads
 * the rest (early-parsers.ts).
 */
import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { Worker } from 'node:worker_threads';

/** Below this many files the workers' start (about 50 ms each) costs more than it saves. */
export const WORKER_MIN_FILES = 200;

/**
 * Whether a git index holds enough files for the threads to pay (WORKER_MIN_FILES of them, each
 * entry 62 bytes and its path at least): known without a git process, before anything is listed.
 */
export function manyFilesIn(indexFile: string): boolean {
  try {
    return statSync(indexFile).size >= WORKER_MIN_FILES * 80;
  } catch {
    return false;
  }
}

/** How fast a heap's young generation grows (V8: twice its size each time). */
const GROWTH = 8;
/** The bytecode a function runs through between V8's looks at whether to optimize it (V8's default: 66 KB). */
const BUDGET = 1_000_000;

/**
 * V8 set for a few seconds of parsing on every thread. Only the process that verifies sets
 * these: a CLI run, over when the command is. V8's flags are the process's, not a thread's: a
 * worker sets them once it has started (proto-schema-worker.ts), for itself and this thread;
 * this thread sets them when its parsers start, unless workers started early (cli.ts) will. Set before a worker started, they
 * made its start slower: node's own modules come with code compiled for V8's flags as they were,
 * which a thread started after a change cannot use, and compiles them again (a worker's start,
 * new Worker() to its first line, 65 ms before any change, 95-105 ms after one).
 *
 * The young generation grows in fewer steps: nearly every object a parse makes lives until the
 * end (the records) or dies at once (the parser's), and each scavenge on the way to a fitting
 * size copies the records made so far (20 scavenges become 14).
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
 * of 7 and 5). 0.5 MB and 2.5 MB were slower than 1 MB; 1.5 MB about the same. Node 20's V8
 * only: from V8 12 (node 22) tiering counts calls, with Maglev between, and has no such budget.
 */
export function tuneV8(): void {
  try {
    setFlagsFromString(`--semi-space-growth-factor=${GROWTH}`);
    setFlagsFromString('--no-turbo-inlining');
    // V8 12 (node 22) tiers up by counting calls, through Maglev first: its flag is another
    // (an unknown flag is a line on stderr, not an error)
    if (Number(process.versions.v8.split('.')[0]) < 12) setFlagsFromString(`--interrupt-budget=${BUDGET}`);
  } catch {
    // the defaults then
  }
}

/**
 * Workers besides this thread: one a core beyond two, at most three (none on two cores, but
 * see threadsFor); REORG_GUARD_PARSE_THREADS, when set, says how many instead (0: this thread
 * parses alone).
 *
 * On two cores a worker did not pay: this thread, git and V8's own threads (its collector and
 * compilers) keep the second core busy, and the worker's start, warming up its own compiled
 * code, and sending back its records cost about what its share of the parse saved. Cold runs
 * by turns, medians of 7-9 (wall, CPU): the sandbox tree 950 ms and 1,170 ms CPU alone, 1,040
 * and 1,790 with a worker; the real-shaped tree 1,510 and 1,850 alone, 1,420 and 2,430 with
 * one; at half its size 940 either way, 1,120 ms CPU alone and 1,590 with one.
 */
export function threadCount(cores = availableParallelism()): number {
  return asked() ?? Math.max(0, Math.min(3, cores - 2));
}

/** REORG_GUARD_PARSE_THREADS when it is a number from 0 (at most 3), else null. */
function asked(): number | null {
  const n = Number.parseInt(process.env.REORG_GUARD_PARSE_THREADS ?? '', 10);
  return n >= 0 ? Math.min(3, n) : null;
}

/** Bytes of .proto text in the work tree from which one worker pays on two cores (see threadsFor). */
const TWO_CORES_WORKER_BYTES = 3_000_000;

/**
 * Workers for a tree of about `bytes` of .proto text: threadCount(); and on two cores one when
 * there is much to parse, started once the files are listed. By turns on two cores (cold, the
 * trees' .proto text): the sandbox tree (1.3 MB) 8% faster without, the real-shaped tree at
 * half size (2.3 MB) the same either way, at full size (4.6 MB) 1,320 ms with one (2,190 ms
 * CPU) against 1,440 without (1,730 ms CPU).
 */
export function threadsFor(bytes: number, cores = availableParallelism()): number {
  return asked() ?? (cores === 2 && bytes >= TWO_CORES_WORKER_BYTES ? 1 : threadCount(cores));
}

/** A worker, and the number it marks the items it takes with (this thread's is 1; 0: not marked yet). */
export interface Thread {
  worker: Worker;
  who: number;
}

/** Workers started before they were asked for (startEarly), not taken yet. */
let early: Thread[] = [];

/**
 * Starts `count` workers (or takes those started early). Each loads protobufjs at once; one
 * that cannot (run from the TypeScript sources, where there is no .js worker script) fails at
 * once and is handled as a lost worker. A worker keeps the process alive only while it has
 * work (startParsers refs it).
 */
export function threads(count: number): Thread[] {
  const out = early.splice(0, count);
  const script = new URL('./proto-schema-worker.js', import.meta.url);
  for (let who = out.length + 2; out.length < count; who++) {
    try {
      out.push({ worker: new Worker(script, { workerData: { who } }), who });
    } catch {
      break; // no thread could start: this one parses alone
    }
  }
  for (const t of out) t.worker.unref();
  stopEarly();
  return out;
}

/**
 * Starts the workers now, before the command is loaded and knows it needs them: a worker's own
 * start (node's, then protobufjs) takes as long as this thread's loading of the CLI, and runs
 * beside it. The worker that is not taken by startParsers is stopped by stopEarly, or ends
 * with the process (they keep nothing alive).
 */
export function startEarly(count = threadCount()): void {
  early = threads(count);
  for (const t of early) t.worker.on('error', () => {}); // an error before it is taken: startParsers sees it stopped
}

/** Whether workers started early wait to be taken (they set V8's flags themselves once running). */
export const startedEarly = () => early.length > 0;

/** Stops the workers started early and not taken (a run that found its cache: nothing to parse). */
export function stopEarly(): void {
  for (const t of early.splice(0)) void t.worker.terminate();
}
