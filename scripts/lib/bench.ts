/** What the benchmarks share: the built CLI, and git isolated from the machine's config. */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/cli.js');

/**
 * This process's environment without NODE_EXTRA_CA_CERTS. Node reads and parses that bundle
 * at every start (about 50 ms of CPU here) before any of our code runs; this sandbox sets it for
 * its npm registry proxy, a user's machine seldom does, and git and tar, the baselines, never
 * pay it. The hooks already start node without it (hooks/reorg-guard.sh).
 */
export function userEnv(): NodeJS.ProcessEnv {
  const { NODE_EXTRA_CA_CERTS: _sandboxOnly, ...env } = process.env;
  return env;
}

/** An environment whose HOME and git config live in `home`, with a fixed identity. */
export function benchEnv(home: string): NodeJS.ProcessEnv {
  writeFileSync(path.join(home, '.gitconfig'), '[init]\n\tdefaultBranch = main\n');
  return {
    ...userEnv(),
    HOME: home,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: path.join(home, '.gitconfig'),
    GIT_AUTHOR_NAME: 'Bench', GIT_AUTHOR_EMAIL: 'bench@example.com',
    GIT_COMMITTER_NAME: 'Bench', GIT_COMMITTER_EMAIL: 'bench@example.com',
  };
}

/** Milliseconds `work` took. */
export function timedMs(work: () => void): number {
  const t = process.hrtime.bigint();
  work();
  return Number(process.hrtime.bigint() - t) / 1e6;
}
