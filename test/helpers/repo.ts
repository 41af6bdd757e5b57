/**
 * Real repositories in temp folders for tests: a work tree with a bare `origin`, the default
 * branch set explicitly, and an identity and config isolated from the machine's.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, rmSync, realpathSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULTS } from '../../src/config.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CLI = path.join(ROOT, 'dist/cli.js');

/** The default config's backup branch prefix, and the refs of those branches (a for-each-ref pattern). */
export const PREFIX = DEFAULTS.branchPrefix;
export const BACKUP_BRANCHES = `refs/heads/${PREFIX}*`;

/** Environment for every git and CLI call in tests: no global or system config leaks in. */
export function testEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  // NODE_OPTIONS=--import=tsx is for the test runner itself, not for the CLI under test; CI=true
  // (the CLI never prompts under CI) and FORCE_COLOR would make a test's terminal unlike a person's.
  for (const k of Object.keys(env)) if (k.startsWith('GIT_') || ['HUSKY', 'REORG_GUARD', 'NODE_OPTIONS', 'CI', 'FORCE_COLOR'].includes(k)) delete env[k];
  const home = sandboxHome();
  return {
    ...env,
    HOME: home,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: path.join(home, '.gitconfig'),
    GIT_AUTHOR_NAME: 'Test',
    GIT_AUTHOR_EMAIL: 'test@example.com',
    GIT_COMMITTER_NAME: 'Test',
    GIT_COMMITTER_EMAIL: 'test@example.com',
    NO_COLOR: '1',
    ...extra,
  };
}

let home: string | undefined;
function sandboxHome(): string {
  if (!home) {
    home = tmpDir('rg-home-');
    writeFileSync(path.join(home, '.gitconfig'), '[init]\n\tdefaultBranch = main\n[advice]\n\tdetachedHead = false\n');
  }
  return home;
}

/** Temp folders made by this test process, removed when it exits (a failed test included). */
const made = new Set<string>();
process.on('exit', () => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** A new empty folder under the OS temp folder. */
export function tmpDir(prefix = 'rg-'): string {
  const dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), prefix)));
  made.add(dir);
  return dir;
}

/** Runs git and returns trimmed stdout; throws on failure. */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env: testEnv(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).replace(/\n$/, '');
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI (dist/cli.js) as a user would. */
export function cli(cwd: string, args: string[], opts: { env?: Record<string, string>; input?: string } = {}): RunResult {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, env: testEnv(opts.env), encoding: 'utf8', input: opts.input ?? '' });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Same, without blocking: for concurrent runs. */
export function cliAsync(cwd: string, args: string[], opts: { env?: Record<string, string> } = {}): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env: testEnv(opts.env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

export interface TestRepo {
  /** The work tree. */
  dir: string;
  /** The bare origin. */
  origin: string;
  /** Folder holding both (and a backups/ folder for archives). */
  base: string;
  write(rel: string, content: string | Buffer): void;
  read(rel: string): Buffer;
  git(...args: string[]): string;
  cli(args: string[], opts?: { env?: Record<string, string>; input?: string }): RunResult;
  cleanup(): void;
}

export interface RepoOptions {
  /** Files of the first commit (default: a README). Pass {} for a repository without commits. */
  files?: Record<string, string | Buffer>;
  /** Add the bare origin (default true). */
  origin?: boolean;
  /** Branch name (default main). */
  branch?: string;
}

/** A repository with a first commit pushed to a bare origin. backupDir points into base. */
export function makeRepo(opts: RepoOptions = {}): TestRepo {
  const base = tmpDir();
  const dir = path.join(base, 'work');
  const origin = path.join(base, 'origin.git');
  const branch = opts.branch ?? 'main';
  mkdirSync(dir);
  git(base, 'init', '-q', '--bare', `--initial-branch=${branch}`, origin);
  git(dir, 'init', '-q', `--initial-branch=${branch}`);
  if (opts.origin !== false) git(dir, 'remote', 'add', 'origin', origin);
  const repo: TestRepo = {
    dir,
    origin,
    base,
    write(rel, content) {
      const file = path.join(dir, rel);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, content);
    },
    read: (rel) => readFileSync(path.join(dir, rel)),
    git: (...args) => git(dir, ...args),
    cli: (args, o) => cli(dir, args, o),
    cleanup: () => rmSync(base, { recursive: true, force: true }),
  };
  repo.write('reorg-guard.config.json', JSON.stringify({ backupDir: path.join(base, 'backups') }, null, 2) + '\n');
  const files = opts.files ?? { 'README.md': '# test\n' };
  for (const [rel, content] of Object.entries(files)) repo.write(rel, content);
  if (Object.keys(files).length > 0) {
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'initial');
    if (opts.origin !== false) git(dir, 'push', '-q', 'origin', branch);
  }
  return repo;
}

/**
 * Leaves `repo` in the middle of a merge with a conflict on `file`: main and a branch `side`
 * each changed it, and `git merge side` stopped (MERGE_HEAD and three index stages).
 */
export function conflictedMerge(repo: TestRepo, file: string): void {
  repo.git('checkout', '-q', '-b', 'side');
  repo.write(file, 'side\n');
  repo.git('commit', '-qam', 'side');
  repo.git('checkout', '-q', 'main');
  repo.write(file, 'main\n');
  repo.git('commit', '-qam', 'main');
  try {
    repo.git('merge', 'side');
  } catch {
    // the conflict is the point
  }
}

/** What a test's setup may return: a repository, or a record holding one as `repo`. */
type Made = { cleanup(): void } | { repo: { cleanup(): void } };

/** Registers a teardown (stop a process, close a server) that runs after the body, before the repository goes. */
export type Defer = (teardown: () => unknown) => void;

/**
 * A test body that gets a fresh repository and removes it afterwards, whether the body passed
 * or threw: `test('...', withRepo(async (repo) => {...}))`. The repository is `makeRepo(opts)`,
 * or what `make` returns (a gcommon-shaped repo, or the test file's own setup, e.g.
 * `{ repo, id }` of a crashed operation). What else the test starts it hands to `defer`:
 * those teardowns run last first, then the repository is removed.
 */
export function withRepo(body: (repo: TestRepo, defer: Defer) => unknown): () => Promise<void>;
export function withRepo(opts: RepoOptions, body: (repo: TestRepo, defer: Defer) => unknown): () => Promise<void>;
export function withRepo<R extends Made>(make: () => R, body: (made: R, defer: Defer) => unknown): () => Promise<void>;
export function withRepo(first: RepoOptions | ((...args: never[]) => unknown), body?: (made: never, defer: Defer) => unknown): () => Promise<void> {
  const make = body === undefined ? () => makeRepo() : typeof first === 'function' ? (first as () => Made) : () => makeRepo(first);
  const run = (body ?? first) as (made: Made, defer: Defer) => unknown;
  return async () => {
    const made = make();
    const teardowns: Array<() => unknown> = [];
    try {
      await run(made, (t) => teardowns.push(t));
    } finally {
      try {
        for (const t of teardowns.reverse()) await t();
      } finally {
        ('repo' in made ? made.repo : made).cleanup();
      }
    }
  };
}
