#!/usr/bin/env node
/**
 * The entry. Turns on node's compile cache before any other module of ours is compiled (a
 * static import would be compiled first), then runs the CLI (main.ts).
 */
import { enableCompileCache } from './util/compile-cache.js';

enableCompileCache();
await import('./main.js');
