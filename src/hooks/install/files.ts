/** The sh hook files this package ships (hooks/ at the package root) and how ours are told apart. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { HOOK_SOURCE_DIR } from '../../paths.js';

/** Sourced by every hook file. */
export const SHARED_FILE = 'reorg-guard.sh';

/** Where a foreign hook goes when ours takes its place; ours runs it first. */
export const FOREIGN_SUFFIX = '.before-reorg-guard';

export const hookSource = (name: string) => readFileSync(path.join(HOOK_SOURCE_DIR, name), 'utf8');

/** Every hook file of ours sources the shared file; nothing else does. */
export const isOurHook = (text: string) => text.includes(`. "\${0%/*}/${SHARED_FILE}"`);
