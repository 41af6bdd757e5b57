import path from 'node:path';

/**
 * Where `p` lies below `root`: relative, its parts joined by '/' ('' for `root` itself), or null
 * when it lies outside (`..`, `../x`, another drive). Both paths as given: resolve symbolic
 * links first where they matter.
 */
export function inside(root: string, p: string): string | null {
  const rel = path.relative(root, p);
  if (rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) return null;
  return rel.split(path.sep).join('/');
}
