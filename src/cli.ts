#!/usr/bin/env node
/**
 * The entry. Turns on node's compile cache before any other module of ours is compiled (a
 * static import would be compiled first), starts the parsers' threads of a cold `verify
 * migration` (rollback/early-parsers.ts), then runs the CLI (main.ts).
 */
import { enableCompileCache } from './util/compile-cache.js';

enableCompileCache();
if (process.argv.includes('migration')) (await import('./rollback/early-parsers.js')).startIfColdVerify(process.argv.slice(2));
await import('./main.js');
