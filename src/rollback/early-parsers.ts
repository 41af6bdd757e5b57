/**
 * `verify migration` in a repository with no schema cache yet parses every .proto on every
 * core, and a worker thread's own start (node's, then protobufjs) takes about as long as this
 * thread's loading of the CLI. So cli.ts starts the workers first when the command line asks
 * for that check and the cache is not there. This is a guess made without git (the `.git`
 * found from the start folder up; a linked worktree's `gitdir:` and `commondir` followed): it
 * only decides how early the threads start. verifyMigration decides for itself, with git, and
 * stops threads it does not need (parser-threads.ts: stopEarly).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { splitCommand } from '../argv.js';
import { schemaCacheIn } from '../state/paths.js';
import { startEarly } from './parser-threads.js';

/** The git common dir of the repository `dir` is in, as far as the files tell; null when not found. */
function commonDirFrom(dir: string): string | null {
  for (let d = dir; ; d = path.dirname(d)) {
    const dotGit = path.join(d, '.git');
    try {
      if (statSync(dotGit).isDirectory()) return dotGit;
      const gitDir = path.resolve(d, /^gitdir: (.*)$/m.exec(readFileSync(dotGit, 'utf8'))?.[1] ?? '');
      const common = path.join(gitDir, 'commondir');
      return existsSync(common) ? path.resolve(gitDir, readFileSync(common, 'utf8').trim()) : gitDir;
    } catch {
      // not here: the folder above
    }
    if (path.dirname(d) === d) return null;
  }
}

/** Starts the parsers' threads when `argv` runs `verify migration` where no schema cache was made yet. */
export function startIfColdVerify(argv: string[]): void {
  if (coldVerifyMigration(argv)) startEarly();
}

/** Whether `argv` runs `verify migration` where no schema cache was made yet (see above). */
export function coldVerifyMigration(argv: string[], cwd = process.cwd()): boolean {
  const { pre, name, rest } = splitCommand(argv);
  if (name !== 'verify' || rest[0] !== 'migration' || [...pre, ...rest].some((a) => a === '-h' || a === '--help')) return false;
  const at = pre.indexOf('-C');
  const dir = path.resolve(cwd, at >= 0 ? (pre[at + 1] ?? '.') : '.');
  const common = process.env.GIT_DIR ? path.resolve(cwd, process.env.GIT_DIR) : commonDirFrom(dir);
  return common !== null && !existsSync(schemaCacheIn(common));
}
