/**
 * The worker threads that parse .proto files (proto-parsers.ts gives them their work), and the
 * V8 settings of a process that parses: small, so that cli.ts can start them before it loads
 * the rest (early-parsers.ts).
 */
import { availableParallelism } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { Worker } from 'node:worker_threads';

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
 * of 7 and 5). 0.5 MB and 2.5 MB were slower than 1 MB; 1.5 MB about the same. Node 20's V8
 * only: from V8 12 (node 22) tiering counts calls, with Maglev between, and has no such budget.
 */
function tuneV8(): void {
  try {
    setFlagsFromString(`--min-semi-space-size=${YOUNG_MB}`);
    setFlagsFromString(`--semi-space-growth-factor=${GROWTH}`);
    setFlagsFromString('--no-turbo-inlining');
    // V8 12 (node 22) tiers up by counting calls, through Maglev first: its flag is another
    // (an unknown flag is a line on stderr, not an error)
    if (Number(process.versions.v8.split('.')[0]) < 12) setFlagsFromString(`--interrupt-budget=${BUDGET}`);
  } catch {
    // the defaults then
  }
}

/** Workers besides this thread: one a core, at most three. */
export const THREADS = () => Math.min(3, availableParallelism() - 1);

/** Workers started before they were asked for (startEarly), not taken yet. */
let early: Worker[] = [];

/**
 * Starts `count` workers (or takes those started early). Each loads protobufjs at once. A
 * worker keeps the process alive only while it has work (ref'd by parse()).
 */
export function threads(count: number): Worker[] {
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
