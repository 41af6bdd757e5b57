/** Checks on names and paths that come from users, before anything is done with them. */
import path from 'node:path';
import { UsageError } from '../errors.js';
import { msg } from '../messages.js';

/** A name (branch, backup, domain, operation) must not read as an option. */
export function checkName(what: string, value: string): string {
  if (value.startsWith('-')) throw new UsageError(msg.dashName(what, value));
  if (!value || /[\0\n]/.test(value)) throw new UsageError(msg.unsafePath(value, `not a valid ${what}`));
  return value;
}

/**
 * A path given by a user, relative to the repository top: refused when absolute, when it
 * climbs out with `..`, or when it starts with '-'. Returns it normalised with '/' separators
 * (a backslash is one only on Windows).
 */
export function checkRepoPath(value: string): string {
  checkName('path', value);
  if (path.isAbsolute(value)) throw new UsageError(msg.unsafePath(value, 'absolute paths are not allowed, give it relative to the repository'));
  // A backslash separates folders on Windows only; elsewhere it is a character a file name may hold.
  const parts = value.split(process.platform === 'win32' ? /[\\/]+/ : /\/+/);
  if (parts.includes('..')) throw new UsageError(msg.unsafePath(value, "'..' would leave the repository"));
  const norm = path.posix.normalize(parts.join('/')).replace(/\/+$/, '');
  if (norm === '.' || norm === '') throw new UsageError(msg.unsafePath(value, 'it names the whole repository'));
  return norm.replace(/^\.\//, '');
}
