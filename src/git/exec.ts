/**
 * The one door to git. Every git process the tool starts is started here: through simple-git,
 * or through node's spawn (src/git/spawn.ts) where the repository was opened with the `spawn`
 * door (the hooks), with the same environment (env.ts).
 * Nothing else in the code base spawns git. Network steps (push, fetch, ls-remote) always go
 * through spawn.ts, which stops a silent one as a whole process group.
 */
import { createRequire } from 'node:module';
import type { SimpleGit } from 'simple-git';
import { ALLOWED_ENV, gitEnvironment } from './env.js';
import { spawnGit } from './spawn.js';
import type { GitAt, GitOptions, GitResult } from './types.js';

/**
 * simple-git's CommonJS build, through require (importing its ES build makes node parse each
 * of its CommonJS dependencies for their exports first), and only once a git call needs it:
 * a hook, which starts git directly, never loads it.
 */
let simpleGitModule: typeof import('simple-git') | undefined;
const loadSimpleGit = () => (simpleGitModule ??= createRequire(import.meta.url)('simple-git') as typeof import('simple-git')).simpleGit;

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
    // Done when git's output is closed, not 50 ms after it exited: on a loaded machine stdout can
    // still be draining then, and simple-git handed back part of a long output (a listing of
    // 7,000 files came back with a fifth of them; simple-git issue #608, PR #1063).
    completion: { onClose: true, onExit: false },
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

/**
 * Runs `git <args>` in `at.top`, through `at.door` (a Repo carries the door it was opened with).
 * Throws GitError unless the exit code is 0 or in okExitCodes.
 */
export async function git(at: GitAt, args: readonly string[], opts: GitOptions = {}): Promise<GitResult> {
  // simple-git can neither start git in a process group of its own nor stop what git started:
  // network steps go through spawn.ts, whichever door the rest uses (and so do blob bytes).
  const result = await (at.door === 'spawn' || opts.timeoutMs || opts.bytes ? spawnGit : viaSimpleGit)(at.top, args, opts);
  if (result.exitCode !== 0 && !(opts.okExitCodes ?? []).includes(result.exitCode)) {
    throw new GitError(args, result.exitCode, result.stderr);
  }
  return result;
}

/** Runs git and returns stdout with the trailing newline removed. */
export async function gitOut(at: GitAt, args: readonly string[], opts: GitOptions = {}): Promise<string> {
  const { stdout } = await git(at, args, opts);
  return stdout.replace(/\n$/, '');
}

/**
 * Runs git and returns stdout's bytes, undecoded: output that counts bytes (`cat-file --batch`)
 * or is not text (blob content). Always through node's spawn: simple-git hands stdout over as text.
 */
export async function gitBytes(at: GitAt, args: readonly string[], opts: GitOptions = {}): Promise<Buffer> {
  return (await git(at, args, { ...opts, bytes: true })).stdoutBytes!;
}

/** Splits NUL-separated output (`-z`) into its records. */
export function splitZ(out: string): string[] {
  return out.split('\0').filter((s) => s.length > 0);
}
