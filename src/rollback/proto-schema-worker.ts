/**
 * A worker thread of proto-parsers: loads protobufjs at once (while the main thread still lists
 * the files), then parses each batch of files it is given and posts their records back.
 */
import { parentPort } from 'node:worker_threads';
import { loadParser } from './proto-schema.js';
import { parseItem, type ParseItem } from './proto-parsers.js';
import { enableCompileCache } from '../util/compile-cache.js';

// a worker does not inherit the main thread's compile cache: protobufjs, loaded next, is most of its start
enableCompileCache();
loadParser();
parentPort?.on('message', (items: ParseItem[]) => parentPort!.postMessage(items.map(parseItem)));
