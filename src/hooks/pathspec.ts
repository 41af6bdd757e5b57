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

/**
 * lint-staged keys (picomatch globs) for the guarded paths: `**\/{proto,buf.yaml}{,/**}`, plus
 * one for paths from the root when there are any. (picomatch does not match a `**\/` inside
 * braces at the root, so it stays outside.)
 */
export function lintStagedGlobs(patterns: string[]): string[] {
  const { anywhere, fromRoot } = normalise(patterns);
  const group = (list: string[]) => (list.length === 1 ? list[0] : `{${list.join(',')}}`);
  return [
    ...(anywhere.length ? [`**/${group(anywhere)}{,/**}`] : []),
    ...(fromRoot.length ? [`${group(fromRoot)}{,/**}`] : []),
  ];
}
