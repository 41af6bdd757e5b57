/**
 * Path patterns, matched on whole path segments, never on substrings:
 * - a pattern without a slash matches any single segment (`.git`, `*.log`, `node_modules`):
 *   `.git` excludes the `.git` folder but not `.github/` or `.gitignore`;
 * - a pattern with a slash matches the path from the root (`pkg/*\/proto`, `docs/**`);
 * - `*` and `?` stay within a segment, `**` spans segments.
 */
export type PathMatcher = (relPath: string, lastSegment?: string) => boolean;

/** `text` as a regular expression that matches exactly it (also for git's POSIX --get-regexp). */
export const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function toRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') {
      if (glob[i + 1] === '*') {
        i++;
        if (glob[i + 1] === '/') {
          i++;
          re += '(?:.*/)?';
        } else re += '.*';
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 's');
}

/**
 * The patterns as the rules above read them: `anywhere`, those without a slash (a segment at
 * any depth), and `fromRoot`, those with one (a path from the root); `./`, a leading '/' and a
 * trailing '/' dropped (`proto/` is the segment `proto`), empty ones left out.
 */
export function splitPatterns(patterns: string[]): { anywhere: string[]; fromRoot: string[] } {
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

export function pathMatcher(patterns: string[]): PathMatcher {
  const { anywhere, fromRoot } = splitPatterns(patterns);
  const segment = anywhere.map(toRegExp);
  const full = fromRoot.map(toRegExp);
  // `lastSegment`: the caller walks down a tree and knows that no folder above matched, so only
  // the path's last segment is tested against the segment patterns
  return (relPath, lastSegment) => {
    if (full.some((r) => r.test(relPath))) return true;
    if (segment.length === 0) return false;
    if (lastSegment !== undefined) return segment.some((r) => r.test(lastSegment));
    return relPath.split('/').some((seg) => segment.some((r) => r.test(seg)));
  };
}

/**
 * Whether a path is matched, itself or through a folder above it: the file, or everything in a
 * matched folder, as git's pathspecs `p` and `p/**` (hooks/pathspec.ts) take the same patterns.
 */
export function pathOrFolderMatcher(patterns: string[]): (relPath: string) => boolean {
  const { anywhere, fromRoot } = splitPatterns(patterns);
  const segment = anywhere.map(toRegExp);
  const full = fromRoot.map(toRegExp);
  return (relPath) => {
    // a segment pattern is tested on each segment once: a folder above is one of them
    if (segment.length && relPath.split('/').some((seg) => segment.some((r) => r.test(seg)))) return true;
    // a path pattern on the path and on each folder above it
    for (let p = relPath; p; p = p.slice(0, Math.max(0, p.lastIndexOf('/')))) if (full.some((r) => r.test(p))) return true;
    return false;
  };
}
