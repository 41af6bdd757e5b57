/** Fetching refs from the remote (never prompting, never touching local branches). */
import { git, GitError } from './exec.js';
import type { Repo } from './repo.js';

/** Fetches the refspecs in one call; returns git's reason when it failed, null when it worked. */
export async function fetchRefs(repo: Repo, remote: string, refspecs: string[], timeoutMs: number): Promise<string | null> {
  try {
    await git(repo, ['fetch', '-q', '--progress', '--no-tags', '--no-write-fetch-head', remote, ...refspecs], {
      env: { GIT_TERMINAL_PROMPT: '0', GIT_ASKPASS: '', SSH_ASKPASS: '' },
      timeoutMs,
    });
    return null;
  } catch (err) {
    if (err instanceof GitError) return err.message;
    throw err;
  }
}
