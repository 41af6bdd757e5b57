/**
 * What both ways of starting git (exec.ts through simple-git, spawn.ts through node's spawn)
 * share: a leaf module, so that neither imports the other for its types.
 */

/**
 * Which way git is started. `simple-git` for commands; `spawn` for the hooks, where git waits
 * for us (no simple-git to load, less time per call: see spawn.ts). Chosen when the repository
 * is opened (`openRepo(dir, door)`), and carried by the Repo to every call.
 */
export type Door = 'simple-git' | 'spawn';

/** Where git runs (a work tree's top, or any folder) and through which door: a Repo is one. */
export interface GitAt {
  top: string;
  /** Default `simple-git`. */
  door?: Door;
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
  /** Keep stdout's bytes as they are (`stdoutBytes`), e.g. blob content: started with node's spawn. */
  bytes?: boolean;
}

export interface GitResult {
  stdout: string;
  stderr: string;
  exitCode: number;
  /** stdout undecoded, when `bytes` was asked for. */
  stdoutBytes?: Buffer;
}
