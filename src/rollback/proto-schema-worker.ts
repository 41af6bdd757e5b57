/** The worker thread of readFileRecords: reads the files it is given and posts their records back. */
import { parentPort, workerData } from 'node:worker_threads';
import { readFileRecord } from './proto-schema.js';

parentPort?.postMessage((workerData as string[]).map((source) => readFileRecord(source)));
