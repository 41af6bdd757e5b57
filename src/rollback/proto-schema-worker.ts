/**
 * A worker thread of proto-parsers: loads protobufjs at once (while the main thread still lists
 * the files), then takes the items of each job it is sent, one at a time from the counter all
 * threads share, and sends back their records a few at a time (the last of a job at once).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadParser } from './proto-schema.js';
import { SEND_EVERY, counterOf, itemOf, readItem, take, type Claims, type DoneMessage, type JobMessage, type Reading } from './proto-parsers.js';
import { enableCompileCache } from '../util/compile-cache.js';
import { tuneV8 } from './parser-threads.js';

// V8's flags for parsing, set once this thread has started (parser-threads.ts: tuneV8)
tuneV8();
// a worker does not inherit the main thread's compile cache: protobufjs, loaded next, is most of its start
enableCompileCache();
loadParser();

const who = (workerData as { who: number }).who;
const jobs: JobMessage[] = [];
let working = false;

/** The jobs in the order sent, each until its counter runs out; then the event loop (new jobs). */
function work(): void {
  for (let job = jobs.shift(); job; job = jobs.shift()) {
    let at: number[] = [];
    let parsed: Reading[] = [];
    const send = () => {
      parentPort!.postMessage({ job: job!.job, at, parsed } satisfies DoneMessage);
      at = [];
      parsed = [];
    };
    const counter = counterOf(job.shared, job.items.length);
    const claims: Claims = new Int32Array(job.claims);
    for (let k = take(counter, who); k >= 0; k = take(counter, who)) {
      at.push(k);
      parsed.push(readItem(itemOf(job, k), claims, job.base + k));
      if (at.length === SEND_EVERY) send();
    }
    if (at.length) send();
  }
  working = false;
}

parentPort?.on('message', (job: JobMessage) => {
  jobs.push(job);
  if (!working) (working = true), setImmediate(work);
});
