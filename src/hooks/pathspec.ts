/**
 * Guarded paths (config `guardedPaths`, matched like util/glob.ts: a pattern without a slash
 * names a file or folder anywhere, one with a slash a path from the root) in the two forms
 * other tools read: git pathspecs and a lint-staged glob.
 */
import { splitPatterns } from '../util/glob.js';

/** `proto/` → `:(glob)**\/proto` and `:(glob)**\/proto/**` (the file, or everything in the folder). */
export function guardedPathspecs(patterns: string[]): string[] {
  const { anywhere, fromRoot } = splitPatterns(patterns);
  return [...anywhere.map((p) => `**/${p}`), ...fromRoot].flatMap((p) => [`:(glob)${p}`, `:(glob)${p}/**`]);
}

/**
 * lint-staged keys (picomatch globs) for the guarded paths: `**\/{proto,buf.yaml}{,/**}`, plus
 * one for paths from the root when there are any. (picomatch does not match a `**\/` inside
 * braces at the root, so it stays outside.)
 */
export function lintStagedGlobs(patterns: string[]): string[] {
  const { anywhere, fromRoot } = splitPatterns(patterns);
  const group = (list: string[]) => (list.length === 1 ? list[0] : `{${list.join(',')}}`);
  return [
    ...(anywhere.length ? [`**/${group(anywhere)}{,/**}`] : []),
    ...(fromRoot.length ? [`${group(fromRoot)}{,/**}`] : []),
  ];
}
