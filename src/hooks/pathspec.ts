/**
 * Guarded paths (config `guardedPaths`, matched like util/glob.ts: a pattern without a slash
 * names a file or folder anywhere, one with a slash a path from the root) in the two forms
 * other tools read: git pathspecs and a lint-staged glob.
 */

function normalise(patterns: string[]): { anywhere: string[]; fromRoot: string[] } {
  const anywhere: string[] = [];
  const fromRoot: string[] = [];
  for (const raw of patterns) {
    const p = raw.replace(/^\.\//, '').replace(/\/+$/, '');
    if (!p) continue;
    if (p.includes('/')) fromRoot.push(p.replace(/^\/+/, ''));
    else anywhere.push(p);
  }
  return { anywhere, fromRoot };
}

/** `proto/` → `:(glob)**\/proto` and `:(glob)**\/proto/**` (the file, or everything in the folder). */
export function guardedPathspecs(patterns: string[]): string[] {
  const { anywhere, fromRoot } = normalise(patterns);
  return [...anywhere.map((p) => `**/${p}`), ...fromRoot].flatMap((p) => [`:(glob)${p}`, `:(glob)${p}/**`]);
}

/** One lint-staged key for every guarded path: `{**\/proto/**,**\/buf.yaml,...}`. */
export function lintStagedGlob(patterns: string[]): string {
  const { anywhere, fromRoot } = normalise(patterns);
  const globs = [...anywhere.map((p) => `**/${p}`), ...fromRoot].flatMap((p) => [p, `${p}/**`]);
  return globs.length === 1 ? globs[0] : `{${globs.join(',')}}`;
}
