/**
 * The one door to git. Every git process the tool starts is started here, through
 * simple-git. Nothing else in the code base spawns git.
 */
import { createRequire } from 'node:module';
import type { SimpleGit } from 'simple-git';

// simple-git's CommonJS build, through require: importing its ES build makes node parse each
// of its CommonJS dependencies (debug, ...) for their exports first, a cost that every hook
// run pays before its first git call.
const { simpleGit } = createRequire(import.meta.url)('simple-git') as typeof import('simple-git');

/**
 * Variables git sets for hooks (GIT_INDEX_FILE, GIT_DIR, ...) and the ones users rely on
 * for pushing (GIT_SSH_COMMAND, GIT_ASKPASS). simple-git 4 strips every inherited GIT_*
 * variable unless it is named here; inside a hook that would silently point git at the
 * wrong index.
 */
const ALLOWED_ENV = [
  'GIT_INDEX_FILE', 'GIT_DIR', 'GIT_WORK_TREE', 'GIT_COMMON_DIR', 'GIT_PREFIX',
  'GIT_OBJECT_DIRECTORY', 'GIT_ALTERNATE_OBJECT_DIRECTORIES', 'GIT_QUARANTINE_PATH',
  'GIT_AUTHOR_NAME', 'GIT_AUTHOR_EMAIL', 'GIT_AUTHOR_DATE',
  'GIT_COMMITTER_NAME', 'GIT_COMMITTER_EMAIL', 'GIT_COMMITTER_DATE',
  'GIT_CONFIG_GLOBAL', 'GIT_CONFIG_SYSTEM', 'GIT_CONFIG_NOSYSTEM', 'GIT_CONFIG_COUNT',
  'GIT_CONFIG_PARAMETERS', 'GIT_CEILING_DIRECTORIES',
  'GIT_SSH', 'GIT_SSH_COMMAND', 'GIT_SSH_VARIANT', 'GIT_ASKPASS', 'SSH_ASKPASS', 'GIT_TERMINAL_PROMPT',
  'GIT_HTTP_USER_AGENT', 'GIT_SSL_NO_VERIFY', 'GIT_SSL_CAINFO', 'GIT_SSL_CAPATH', 'GIT_TRACE',
  'GIT_NO_REPLACE_OBJECTS', 'GIT_OPTIONAL_LOCKS', 'GIT_REFLOG_ACTION', 'GIT_PROTOCOL',
];
// Numbered config variables: the user's, and the ones a call adds after them.
for (let i = 0; i < 64; i++) ALLOWED_ENV.push(`GIT_CONFIG_KEY_${i}`, `GIT_CONFIG_VALUE_${i}`);
const ALLOWED = new Set(ALLOWED_ENV.map((k) => k.toLowerCase()));
/** Non-GIT_ variables simple-git also guards; never passed on (git needs none of them here). */
const GUARDED = new Set(['editor', 'visual', 'pager', 'prefix']);

/**
 * The environment for git: the process environment without the guarded variables that are not
 * allowed (simple-git would refuse them), plus the call's own.
 */
function environment(extra: Record<string, string | undefined> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...process.env, ...extra })) {
    const key = k.toLowerCase();
    if (v === undefined || ((key.startsWith('git_') || GUARDED.has(key)) && !ALLOWED.has(key))) continue;
    env[k] = v;
  }
  return env;
}

/**
 * The line of git's stderr that says why: its first `fatal:` line (later lines tend to be
 * advice: "Please make sure you have the correct access rights / and the repository exists."),
 * else its last line that is not a hint or a push's `To <url>`.
 */
export function reason(stderr: string): string {
  const lines = stderr.trim().split('\n').map((l) => l.trimEnd()).filter((l) => l && !l.startsWith('To ') && !/^hint:/.test(l));
  return lines.find((l) => l.startsWith('fatal:')) ?? lines.pop() ?? '';
}

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
  /** Kill git after this many milliseconds of silence. */
  timeoutMs?: number;
}

export interface GitResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

function client(cwd: string, opts: GitOptions, onExit: (code: number, stderr: string) => void): SimpleGit {
  const git = simpleGit({
    baseDir: cwd,
    allowEnvironment: ALLOWED_ENV,
    // The user's own environment (ssh command, askpass, config) is trusted: it is theirs.
    unsafe: { allowUnsafeSshCommand: true, allowUnsafeAskPass: true, allowUnsafeConfigPaths: true, allowUnsafeConfigEnvCount: true },
    ...(opts.input !== undefined ? { input: () => opts.input } : {}),
    ...(opts.timeoutMs ? { timeout: { block: opts.timeoutMs } } : {}),
    errors(error, result) {
      onExit(result.exitCode, Buffer.concat(result.stdErr).toString('utf8'));
      // simple-git treats a non-zero exit with empty stderr as success; we decide ourselves.
      return result.exitCode === 0 ? error : undefined;
    },
  });
  return git.env(environment(opts.env)).outputHandler((_command, stdout) => {
    // simple-git waits 50 ms more after a git process that printed nothing, in case its output
    // is late. Most of git's silent commands (update-ref, add, diff --quiet, read-tree) would
    // each pay that: a hook would spend more time waiting than working. Once stdout has
    // ended no output can be late, so an empty chunk then tells simple-git not to wait.
    stdout.once('end', () => stdout.emit('data', Buffer.alloc(0)));
  });
}

/** Runs `git <args>` in `cwd`. Throws GitError unless the exit code is 0 or in okExitCodes. */
export async function git(cwd: string, args: readonly string[], opts: GitOptions = {}): Promise<GitResult> {
  let exitCode = 0;
  let stderr = '';
  const runner = client(cwd, opts, (code, err) => {
    exitCode = code;
    stderr = err;
  });
  let stdout: string;
  try {
    stdout = await runner.raw([...args]);
  } catch (err) {
    const e = err as Error;
    throw new GitError(args, exitCode || 128, stderr || e.message);
  }
  if (exitCode !== 0 && !(opts.okExitCodes ?? []).includes(exitCode)) {
    throw new GitError(args, exitCode, stderr);
  }
  return { stdout, stderr, exitCode };
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
