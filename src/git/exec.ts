/**
 * The one door to git. Every git process the tool starts is started here: through simple-git,
 * or in a hook through node's spawn (src/git/spawn.ts), with the same environment (env.ts).
 * Nothing else in the code base spawns git. Network steps (push, fetch, ls-remote) always go
 * through spawn.ts, which stops a silent one as a whole process group.
 */
import { createRequire } from 'node:module';
import type { SimpleGit } from 'simple-git';
import { ALLOWED_ENV, gitEnvironment } from './env.js';
import { spawnGit } from './spawn.js';

/**
 * simple-git's CommonJS build, through require (importing its ES build makes node parse each
 * of its CommonJS dependencies for their exports first), and only once a git call needs it:
 * a hook, which starts git directly, never loads it.
 */
let simpleGitModule: typeof import('simple-git') | undefined;
const loadSimpleGit = () => (simpleGitModule ??= createRequire(import.meta.url)('simple-git') as typeof import('simple-git')).simpleGit;

let direct = false;
/**
 * From now on this process starts git with node's spawn instead of simple-git (src/git/spawn.ts):
 * what `reorg-guard hook` does, because git waits for it. Same environment, same results.
 */
export function spawnGitDirectly(): void {
  direct = true;
}

/**
 * The line of git's stderr that says why: its first `fatal:` line (later lines tend to be
 * advice: "Please make sure you have the correct access rights / and the repository exists."),
 * else its last line that is not a hint or a push's `To <url>`.
 */
export function reason(stderr: string): string {
  // split on \r too: a network step's progress lines are rewritten in place with \r
  const lines = stderr.trim().split(/[\r\n]+/).map((l) => l.trimEnd()).filter((l) => l && !l.startsWith('To ') && !/^hint:/.test(l) && !PROGRESS.test(l));
  return lines.find((l) => l.startsWith('fatal:')) ?? lines.pop() ?? '';
}

/** A progress line (`Writing objects:  50% (1/2)`, `remote: Counting objects: 3, done.`, `Total 3 (delta 0) ...`): never the reason. */
const PROGRESS = /^(remote: +)?([A-Z][a-z]+( [a-z]+)*: +\d+(%|, done)|Total \d+ \(delta|Delta compression using)/;

/** git exited with a code the caller did not expect. */
export class GitError extends Error {
  constructor(readonly args: readonly string[], readonly exitCode: number, readonly stderr: string) {
    super(reason(stderr) || `git ${args[0]} exited with ${exitCode}`);
    this.name = 'GitError';
  }
}

export interface GitOptions {
  /** Extra environment for this call (merged over the process environment). */
  env?: Record<string, string | undefined>;
  /** Bytes written to git's stdin. */
  input?: string | Buffer;
  /** Exit codes that are answers, not failures (e.g. 1 for `diff --quiet`). */
  okExitCodes?: number[];
  /**
   * A network step: git runs in a process group of its own, and the whole group is stopped
   * after this many milliseconds without output (spawn.ts).
   */
  timeoutMs?: number;
}

export interface GitResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

function client(cwd: string, opts: GitOptions, onExit: (code: number, stderr: string) => void): SimpleGit {
  const git = loadSimpleGit()({
    baseDir: cwd,
    allowEnvironment: ALLOWED_ENV,
    // The user's own environment (ssh command, askpass, config) is trusted: it is theirs. The one
    // core.hooksPath write is uninstall's removal of the one husky set (git/config.ts).
    unsafe: {
      allowUnsafeSshCommand: true, allowUnsafeAskPass: true, allowUnsafeConfigPaths: true, allowUnsafeConfigEnvCount: true,
      allowUnsafeHooksPath: true,
    },
    ...(opts.input !== undefined ? { input: () => opts.input } : {}),
    errors(error, result) {
      onExit(result.exitCode, Buffer.concat(result.stdErr).toString('utf8'));
      // simple-git treats a non-zero exit with empty stderr as success; we decide ourselves.
      return result.exitCode === 0 ? error : undefined;
    },
  });
  return git.env(gitEnvironment(opts.env)).outputHandler((_command, stdout) => {
    // simple-git waits 50 ms more after a git process that printed nothing, in case its output
    // is late. Most of git's silent commands (update-ref, add, diff --quiet, read-tree) would
    // each pay that: a hook would spend more time waiting than working. Once stdout has
    // ended no output can be late, so an empty chunk then tells simple-git not to wait.
    stdout.once('end', () => stdout.emit('data', Buffer.alloc(0)));
  });
}

/** Runs git through simple-git; throws only when it could not run it. */
async function viaSimpleGit(cwd: string, args: readonly string[], opts: GitOptions): Promise<GitResult> {
  let exitCode = 0;
  let stderr = '';
  const runner = client(cwd, opts, (code, err) => {
    exitCode = code;
    stderr = err;
  });
  try {
    const stdout = await runner.raw([...args]);
    return { stdout, stderr, exitCode };
  } catch (err) {
    throw new GitError(args, exitCode || 128, stderr || (err as Error).message);
  }
}

/** Runs `git <args>` in `cwd`. Throws GitError unless the exit code is 0 or in okExitCodes. */
export async function git(cwd: string, args: readonly string[], opts: GitOptions = {}): Promise<GitResult> {
  // simple-git can neither start git in a process group of its own nor stop what git started:
  // network steps go through spawn.ts, whichever runner the rest uses.
  const result = await (direct || opts.timeoutMs ? spawnGit : viaSimpleGit)(cwd, args, opts);
  if (result.exitCode !== 0 && !(opts.okExitCodes ?? []).includes(result.exitCode)) {
    throw new GitError(args, result.exitCode, result.stderr);
  }
  return result;
}

/** Runs git and returns stdout with the trailing newline removed. */
export async function gitOut(cwd: string, args: readonly string[], opts: GitOptions = {}): Promise<string> {
  const { stdout } = await git(cwd, args, opts);
  return stdout.replace(/\n$/, '');
}

/** Splits NUL-separated output (`-z`) into its records. */
export function splitZ(out: string): string[] {
  return out.split('\0').filter((s) => s.length > 0);
}
