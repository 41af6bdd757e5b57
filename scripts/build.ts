/**
 * Builds dist/: the CLI and the verify-migration worker as esbuild bundles, ES modules split
 * into shared chunks, so that each node start reads a few files instead of a module graph of
 * ~150, and a command loads only its own chunks (a hook never loads protobufjs or tar).
 * Every output file sits flat in dist/: src/paths.ts relies on it (see there).
 * The dependencies stay in node_modules, and names and white space are kept (only the syntax is
 * folded): README, "How the package is built", says what was measured.
 * Type checking is not done here: `npm run typecheck` (tsc --noEmit).
 */
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };

rmSync(path.join(ROOT, 'dist'), { recursive: true, force: true });
await build({
  absWorkingDir: ROOT,
  entryPoints: ['src/cli.ts', 'src/rollback/proto-schema-worker.ts'],
  outdir: 'dist',
  entryNames: '[name]',
  chunkNames: 'chunk-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: Object.keys(pkg.dependencies),
  minifySyntax: true,
  legalComments: 'none',
  logLevel: 'warning',
});
