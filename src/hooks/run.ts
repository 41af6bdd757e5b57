/**
 * `reorg-guard hook <name> ARGS...`: what each sh hook starts when it found something guarded.
 * It looks again itself (the sh check may only say "maybe"), refreshes reorg-guard.env, and acts.
 * A failure never blocks the git command unless the config says `strict`.
 */
import path from 'node:path';
import { openRepoAtHead } from '../git/repo.js';
import { loadConfig } from '../config.js';
import { UsageError } from '../errors.js';
import type { Output } from '../ui/output.js';
import { msg } from '../messages.js';
import type { HookAction } from './context.js';

interface HookEntry {
  load: () => Promise<HookAction>;
  /** The hook runs after git's work is done (post-commit): it has nothing to block, even when strict. */
  after?: true;
}

export const HOOKS: Record<string, HookEntry> = {
  'pre-commit': { load: async () => (await import('./pre-commit.js')).default },
  'post-commit': { load: async () => (await import('./post-commit.js')).default, after: true },
  'post-checkout': { load: async () => (await import('./post-checkout.js')).default },
  'pre-rebase': { load: async () => (await import('./pre-rebase.js')).default },
  'pre-push': { load: async () => (await import('./pre-push.js')).default },
};

export const HOOK_NAMES = Object.keys(HOOKS);

/**
 * The hooks `init` installs. pre-commit only with "strict", which must block before the commit:
 * git reads the whole index again after any pre-commit hook (about 100 ms at 100,000 files),
 * and post-commit backs up the same state after the commit for free.
 */
export const hooksToInstall = (strict: boolean) => HOOK_NAMES.filter((h) => h !== 'pre-commit' || strict);

/** Runs a hook; returns the exit code the hook gives git (1 blocks the git command). */
export async function runHook(name: string, args: string[], cwd: string, out: Output): Promise<number> {
  const hook = HOOKS[name];
  if (!hook) throw new UsageError(msg.hookUnknown(name, HOOK_NAMES));
  let strict = false;
  try {
    // Independent work side by side: the hook's modules load while git finds the repository.
    // Git waits for the hook: its git calls start git with node's spawn, no simple-git to load.
    const [{ repo, head }, action] = await Promise.all([openRepoAtHead(cwd, 'spawn'), hook.load()]);
    const config = loadConfig(repo.top);
    strict = config.strict && !hook.after;
    // The sh hook says where reorg-guard.env is (RG_ENV) and whether it was up to date (RG_FRESH).
    const shChecked = process.env.RG_FRESH === '1';
    const envDir = process.env.RG_ENV ? path.dirname(path.resolve(repo.top, process.env.RG_ENV)) : undefined;
    if (!shChecked) {
      // The config changed since reorg-guard.env was written (or there is none): check it whole
      // (backupDir needs git) before trusting it again. Unchanged, it costs no git process.
      await (await import('../git/backup-dir.js')).checkBackupDir(repo, config);
      await (await import('./env-file.js')).writeHookEnv(repo, config, envDir); // loaded only then
    }
    await action({ repo, config, head, args, out, shChecked });
    return 0;
  } catch (err) {
    const why = (err as Error)?.message ?? String(err);
    if (process.env.DEBUG?.split(',').includes('reorg-guard')) console.error(err);
    if (strict) {
      out.warn(msg.hookBlocked(name, why));
      return 1;
    }
    out.warn(hook.after ? msg.hookFailedAfter(name, why) : msg.hookFailed(name, why));
    return 0;
  }
}
