/** Talking to the remote: one push for many refs, one ls-remote for many branches. */
import { git, GitError, reason } from './exec.js';
import type { Repo } from './repo.js';
import { readConfig } from './config.js';

export interface PushResult {
  /** Per destination ref: true when the remote has it now. */
  refs: Map<string, boolean>;
  /** Why refs failed, in git's words, when they did. */
  error: string | null;
  /** Destination refs refused because the remote has them already, at another commit (`createOnly`). */
  taken: Set<string>;
}

/**
 * Network steps: each gets a timeout (config `networkTimeout`): git and its transport are stopped
 * as a whole after that long without a sign of life (git/spawn.ts). `--progress` makes a long
 * transfer a sign of life, so only a remote that stopped answering is cut off.
 */

/** Never prompt for credentials: a hook or a script has nobody to answer. */
export const NO_PROMPT = { GIT_TERMINAL_PROMPT: '0', GIT_ASKPASS: '', SSH_ASKPASS: '' };

/** True when `name` is a configured remote. */
export async function hasRemote(repo: Repo, name: string): Promise<boolean> {
  return (await readConfig(repo)).remotes.has(name);
}

/**
 * Pushes every refspec in one `git push`, without running the pre-push hook
 * (reorg-guard's own pre-push pushes backups and must not recurse).
 * `createOnly`: each destination must be absent on the remote or at the commit pushed already
 * (an empty `--force-with-lease` expectation), so that a backup never moves a ref of the same
 * name another clone pushed, not even by a fast-forward.
 */
export async function pushRefs(
  repo: Repo,
  remote: string,
  refspecs: string[],
  timeoutMs: number,
  opts: { createOnly?: boolean } = {},
): Promise<PushResult> {
  const refs = new Map<string, boolean>();
  const taken = new Set<string>();
  if (refspecs.length === 0) return { refs, error: null, taken };
  const leases = opts.createOnly ? refspecs.map((spec) => `--force-with-lease=${destination(spec)}:`) : [];
  let stdout = '';
  let error: string | null = null;
  try {
    const res = await git(repo, ['push', '--porcelain', '--progress', '--no-verify', ...leases, remote, ...refspecs], {
      env: NO_PROMPT,
      okExitCodes: [1],
      timeoutMs,
    });
    stdout = res.stdout;
    if (res.exitCode !== 0) error = reason(res.stderr) || 'push rejected';
  } catch (err) {
    if (!(err instanceof GitError)) throw err;
    error = err.message;
  }
  for (const spec of refspecs) refs.set(destination(spec), false);
  for (const [ref, { flag, summary }] of parsePorcelain(stdout)) {
    refs.set(ref, flag !== '!');
    if (flag === '!' && opts.createOnly && /stale info/.test(summary)) taken.add(ref);
  }
  return { refs, error, taken };
}

/** `git push --porcelain` output: destination ref → its flag (' ', '+', '-', '*', '!', '=') and summary. */
export function parsePorcelain(stdout: string): Map<string, { flag: string; summary: string }> {
  const out = new Map<string, { flag: string; summary: string }>();
  for (const line of stdout.split('\n')) {
    // <flag>\t<from>:<to>\t<summary>
    const m = /^([ +\-*!=])\t([^\t]*):([^\t]*)\t(.*)$/.exec(line);
    if (m) out.set(m[3], { flag: m[1], summary: m[4] });
  }
  return out;
}

/** Ref name → commit on the remote for refs under the prefixes, in one ls-remote. */
export async function lsRemote(repo: Repo, remote: string, patterns: string[], timeoutMs: number): Promise<Map<string, string>> {
  const { stdout } = await git(repo, ['ls-remote', '--refs', remote, ...patterns], { env: NO_PROMPT, timeoutMs });
  const out = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const [commit, ref] = line.split('\t');
    if (commit && ref) out.set(ref, commit);
  }
  return out;
}

function destination(spec: string): string {
  const s = spec.startsWith('+') ? spec.slice(1) : spec;
  const i = s.lastIndexOf(':');
  return i >= 0 ? s.slice(i + 1) : s;
}
