/**
 * Where this package's own files are. This module sits at the top of the code folder: src/
 * when run from source, dist/ when built, where every bundle file lies flat (scripts/build.ts),
 * so that one level up is the package's root either way, wherever the bundler put this code.
 */
import { fileURLToPath } from 'node:url';

/** The package's root: package.json, hooks/. */
export const PACKAGE_ROOT = new URL('../', import.meta.url);

/** hooks/ at the package's root. */
export const HOOK_SOURCE_DIR = fileURLToPath(new URL('hooks/', PACKAGE_ROOT));

/** The CLI's entry beside this code: dist/cli.js (src/cli.ts from source, through tsx). */
export const CLI_FILE = fileURLToPath(new URL('cli.js', import.meta.url));
