/**
 * `verify migration` in a repository with no schema cache yet parses every .proto on every
 * core, and a worker thread's own start (node's, then protobufjs) takes about as long as this
 * thread's loading of the CLI. So cli.ts starts the workers first when the command line asks
 * for that check, the cache is not there and the index is big enough. This is a guess made
 * without git (the `.git` found from the start folder up, or GIT_DIR; a linked worktree's
 * `gitdir:` and `commondir` followed; GIT_COMMON_DIR and GIT_INDEX_FILE honoured): it only
 * decides how early the threads start. verifyMigration decides for itself, with git, and stops
 * threads it does not need (parser-threads.ts: stopEarly).
 */
import { readFileSync, statSync, existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { splitCommand } from '../util/argv.js';
import { schemaCacheIn } from '../state/paths.js';
import { manyFilesIn, startEarly, threadCount } from './parser-threads.js';

/** The git dir that `.git` in `dir` or a folder above names; null when there is none. */
function gitDirFrom(dir: string): string | null {
  for (let d = dir; ; d = path.dirname(d)) {
    const dotGit = path.join(d, '.git');
    try {
      if (statSync(dotGit).isDirectory()) return dotGit;
      const to = /^gitdir: (.*)$/m.exec(readFileSync(dotGit, 'utf8'))?.[1];
      return to ? path.resolve(d, to) : null;
    } catch {
      // not here: the folder above
    }
    if (path.dirname(d) === d) return null;
  }
}

/** A git dir's common dir: itself, or what its `commondir` file names (a linked worktree's). */
function commonDirOf(gitDir: string): string {
  try {
    return path.resolve(gitDir, readFileSync(path.join(gitDir, 'commondir'), 'utf8').trim());
  } catch {
    return gitDir;
  }
}

/** Starts the parsers' threads when `argv` runs a cold `verify migration` (see above); never fails. */
export function startIfColdVerify(argv: string[]): void {
  try {
    if (threadCount() > 0 && coldVerifyMigration(argv)) startEarly();
  } catch {
    // a guess only (a start folder gone, say): the command says what is wrong, as it would have
  }
}

/** Whether `argv` runs `verify migration` in a big repository where no schema cache was made yet. */
export function coldVerifyMigration(argv: string[], cwd = process.cwd(), env = process.env): boolean {
  const { pre, name, rest } = splitCommand(argv);
  if (name !== 'verify' || rest[0] !== 'migration' || [...pre, ...rest].some((a) => a === '-h' || a === '--help')) return false;
  // -C as main reads it: `-C DIR`, `-CDIR`, `--C=DIR`, the last one given
  const { values } = parseArgs({ args: pre, options: { C: { type: 'string', short: 'C' } }, strict: false, allowPositionals: true });
  const dir = path.resolve(cwd, typeof values.C === 'string' ? values.C : '.');
  const gitDir = env.GIT_DIR ? path.resolve(dir, env.GIT_DIR) : gitDirFrom(dir);
  if (gitDir === null) return false;
  const common = env.GIT_COMMON_DIR ? path.resolve(dir, env.GIT_COMMON_DIR) : commonDirOf(gitDir);
  const index = env.GIT_INDEX_FILE ? path.resolve(dir, env.GIT_INDEX_FILE) : path.join(gitDir, 'index');
  return !existsSync(schemaCacheIn(common)) && manyFilesIn(index);
}
