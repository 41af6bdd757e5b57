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

/**
 * Why git would refuse `name` as a ref (git check-ref-format's rules, from refs.c), or null
 * when it is a valid full ref name. No git process: the hooks load the config on every run.
 */
export function refFormatProblem(name: string): string | null {
  if (name === '@') return "'@' alone is not a ref";
  if (/[\x00-\x20\x7f~^:?*[\\]/.test(name)) return 'it holds a space, a control character or one of ~ ^ : ? * [ \\';
  if (name.includes('..')) return "it holds '..'";
  if (name.includes('@{')) return "it holds '@{'";
  if (name.endsWith('.')) return "it ends with '.'";
  for (const part of name.split('/')) {
    if (part === '') return "it has an empty part ('//', or '/' at either end)";
    if (part.startsWith('.')) return `its part ${JSON.stringify(part)} starts with '.'`;
    if (part.endsWith('.lock')) return `its part ${JSON.stringify(part)} ends with '.lock'`;
  }
  return null;
}

/**
 * A repository-relative path from config (a folder or a file): null when it stays inside the
 * repository and names something below its top, else why not.
 */
export function repoPathProblem(value: string): string | null {
  if (path.isAbsolute(value) || /^[A-Za-z]:/.test(value) || value.startsWith('~')) return 'it must be relative to the repository, not absolute';
  const parts = value.split(/[\\/]+/).filter((p) => p !== '' && p !== '.');
  if (parts.includes('..')) return "'..' would leave the repository";
  if (parts.length === 0) return 'it names the whole repository';
  return null;
}

/** The folders of a repository-relative path, `.` and empty parts dropped. */
export const pathParts = (value: string): string[] => value.split(/[\\/]+/).filter((p) => p !== '' && p !== '.');
