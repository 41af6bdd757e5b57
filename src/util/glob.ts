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

export function pathMatcher(patterns: string[]): PathMatcher {
  const segment: RegExp[] = [];
  const full: RegExp[] = [];
  for (const raw of patterns) {
    const p = raw.replace(/^\.\//, '').replace(/\/+$/, '');
    if (!p) continue;
    if (p.includes('/')) full.push(toRegExp(p.replace(/^\//, '')));
    else segment.push(toRegExp(p));
  }
  // `lastSegment`: the caller walks down a tree and knows that no folder above matched, so only
  // the path's last segment is tested against the segment patterns
  return (relPath, lastSegment) => {
    if (full.some((r) => r.test(relPath))) return true;
    if (segment.length === 0) return false;
    if (lastSegment !== undefined) return segment.some((r) => r.test(lastSegment));
    return relPath.split('/').some((seg) => segment.some((r) => r.test(seg)));
  };
}
