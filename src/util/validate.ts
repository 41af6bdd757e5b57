/** Checks on names and paths that come from users, before anything is done with them. */
import path from 'node:path';
import { UsageError } from '../errors.js';
import { msg } from '../messages.js';

/** A name (branch, backup, domain, operation) must not read as an option. */
export function checkName(what: string, value: string): string {
  if (value.startsWith('-')) throw new UsageError(msg.dashName(what, value));
  if (!value || /[\0\n]/.test(value)) throw new UsageError(msg.unsafePath(value, msg.whyNotValid(what)));
  return value;
}

/**
 * A path given by a user, relative to the repository top: refused when absolute, when it
 * climbs out with `..`, or when it starts with '-'. Returns it normalised with '/' separators
 * (a backslash is one only on Windows).
 */
export function checkRepoPath(value: string): string {
  checkName('path', value);
  if (path.isAbsolute(value)) throw new UsageError(msg.unsafePath(value, msg.whyAbsolutePath()));
  // A backslash separates folders on Windows only; elsewhere it is a character a file name may hold.
  const parts = value.split(process.platform === 'win32' ? /[\\/]+/ : /\/+/);
  if (parts.includes('..')) throw new UsageError(msg.unsafePath(value, msg.whyLeavesRepo()));
  const norm = path.posix.normalize(parts.join('/')).replace(/\/+$/, '');
  if (norm === '.' || norm === '') throw new UsageError(msg.unsafePath(value, msg.whyWholeRepo()));
  return norm.replace(/^\.\//, '');
}

/**
 * Why git would refuse `name` as a ref (git check-ref-format's rules, from refs.c), or null
 * when it is a valid full ref name. No git process: the hooks load the config on every run.
 */
export function refFormatProblem(name: string): string | null {
  if (name === '@') return msg.refAtAlone();
  if (/[\x00-\x20\x7f~^:?*[\\]/.test(name)) return msg.refBadCharacter();
  if (name.includes('..')) return msg.refHolds('..');
  if (name.includes('@{')) return msg.refHolds('@{');
  if (name.endsWith('.')) return msg.refEndsWithDot();
  for (const part of name.split('/')) {
    if (part === '') return msg.refEmptyPart();
    if (part.startsWith('.')) return msg.refPartStartsWithDot(part);
    if (part.endsWith('.lock')) return msg.refPartEndsWithLock(part);
  }
  return null;
}

/**
 * A repository-relative path from config (a folder or a file): null when it stays inside the
 * repository and names something below its top, else why not.
 */
export function repoPathProblem(value: string): string | null {
  if (path.isAbsolute(value) || /^[A-Za-z]:/.test(value) || value.startsWith('~')) return msg.whyNotRelative();
  const parts = value.split(/[\\/]+/).filter((p) => p !== '' && p !== '.');
  if (parts.includes('..')) return msg.whyLeavesRepo();
  if (parts.length === 0) return msg.whyWholeRepo();
  return null;
}

/** The folders of a repository-relative path, `.` and empty parts dropped. */
export const pathParts = (value: string): string[] => value.split(/[\\/]+/).filter((p) => p !== '' && p !== '.');
