/** The worker thread of readSchemas: parses the set it is given and posts the schema back. */
import { parentPort, workerData } from 'node:worker_threads';
import { readSchema } from './proto-schema.js';

parentPort?.postMessage(readSchema(workerData as Parameters<typeof readSchema>[0]));
