/**
 * What restore refuses to extract, whatever the archive says: paths with `..` or absolute
 * paths, symlinks that point outside the restore folder, hard links, device files and other
 * special entries, set-user-ID bits, and entries that would be written through a symlink of
 * the same archive. Each refusal names the entry.
 */
import type { EntryHeader } from './verify-archive.js';
import type { Manifest } from './manifest.js';
import { msg } from '../messages.js';

const ALLOWED = new Set(['File', 'OldFile', 'Directory', 'SymbolicLink']);

/** Path segments without empty and `.` ones; `a//./b/` → ['a', 'b']. Backslashes count as separators. */
export function segments(p: string): string[] {
  return p.split(/[\\/]+/).filter((s) => s !== '' && s !== '.');
}

/**
 * Path segments as this system's file system sees them: on POSIX a backslash is part of a
 * name (git and the archive keep `a\\b.txt` as one file), so it is no separator here, where
 * the restore compares and merges real paths; `segments` above stays the stricter view for
 * the risk checks.
 */
export function fsSegments(p: string): string[] {
  return process.platform === 'win32' ? segments(p) : p.split('/').filter((s) => s !== '' && s !== '.');
}

/** Why a path may not be extracted, or null. */
export function pathRisk(p: string): string | null {
  if (p.startsWith('/') || /^[a-zA-Z]:/.test(p) || p.startsWith('\\')) return msg.riskAbsolute(p);
  if (segments(p).includes('..')) return msg.riskDotDot(p);
  if (segments(p).length === 0) return msg.riskNoName(p);
  return null;
}

/**
 * Why a symlink at `p` with target `target` may point outside the restore folder, or null.
 * Only leading `..` segments are accepted (they climb real folders, since nothing is written
 * below a symlink), and no more of them than the link is deep; a `..` after a name could
 * climb out of a symlinked folder.
 */
export function linkRisk(p: string, target: string): string | null {
  const refuse = msg.riskLinkOutside(p, target);
  if (!target || target.startsWith('/') || target.startsWith('\\') || /^[a-zA-Z]:/.test(target)) return refuse;
  const parts = segments(target);
  const ups = parts.findIndex((s) => s !== '..');
  const leading = ups === -1 ? parts.length : ups;
  if (parts.slice(leading).includes('..')) return refuse;
  if (leading > segments(p).length - 1) return refuse;
  return null;
}

/** Checks one entry as the archive's header states it (used while the archive streams). */
export function headerRisk(e: EntryHeader): string | null {
  if (!ALLOWED.has(e.type)) return msg.riskSpecial(e.path, e.type);
  const bad = pathRisk(e.path);
  if (bad) return bad;
  if (e.type === 'SymbolicLink') return linkRisk(e.path, e.linkpath ?? '');
  if (e.mode !== undefined && e.mode & 0o6000) return msg.riskSetuid(e.path);
  return null;
}

/**
 * Checks the manifest as a whole (the archive matches it, once verified): every path, every
 * link, no setuid bits, and no entry below a symlink of the archive.
 */
export function manifestRisks(manifest: Manifest): string[] {
  const risks: string[] = [];
  const links = new Set(manifest.entries.filter((e) => e.type === 'symlink').map((e) => segments(e.path).join('/')));
  for (const e of manifest.entries) {
    const bad =
      pathRisk(e.path) ??
      (e.type === 'symlink' ? linkRisk(e.path, e.target ?? '') : null) ??
      (e.mode & 0o6000 ? msg.riskSetuid(e.path) : null);
    if (bad) {
      risks.push(bad);
      continue;
    }
    const parts = segments(e.path);
    for (let i = 1; i < parts.length; i++) {
      const parent = parts.slice(0, i).join('/');
      if (links.has(parent)) {
        risks.push(msg.riskThroughLink(e.path, parent));
        break;
      }
    }
  }
  return risks;
}
