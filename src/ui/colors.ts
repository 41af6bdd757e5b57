/**
 * picocolors, through require (like simple-git in src/git/exec.ts): importing a CommonJS
 * package from ES modules makes node parse it for its exports first, which every hook run
 * would pay.
 */
import { createRequire } from 'node:module';

const pc = createRequire(import.meta.url)('picocolors') as typeof import('picocolors');
export default pc;
