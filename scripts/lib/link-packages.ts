/**
 * A node_modules as `npm install -D reorg-guard husky lint-staged` leaves it, without the
 * registry: the real husky and lint-staged are linked from this package's own node_modules,
 * reorg-guard is this repository (built: dist/cli.js). Used by the tests, the bench and the demo.
 */
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export function linkPackages(dir: string): void {
  const nm = path.join(dir, 'node_modules');
  mkdirSync(path.join(nm, '.bin'), { recursive: true });
  for (const name of ['husky', 'lint-staged']) symlinkSync(path.join(ROOT, 'node_modules', name), path.join(nm, name));
  symlinkSync(ROOT, path.join(nm, 'reorg-guard'));
  symlinkSync('../husky/bin.js', path.join(nm, '.bin', 'husky'));
  symlinkSync('../lint-staged/bin/lint-staged.js', path.join(nm, '.bin', 'lint-staged'));
  // npm makes bin targets executable; dist/cli.js is not, so a shim stands in for the link.
  const shim = path.join(nm, '.bin', 'reorg-guard');
  writeFileSync(shim, `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(path.join(ROOT, 'dist/cli.js'))} "$@"\n`);
  chmodSync(shim, 0o755);
}
