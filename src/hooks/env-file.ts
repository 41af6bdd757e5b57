/**
 * reorg-guard.env: what the sh hooks need from the config, in sh. It lives in the hooks
 * directory git uses (`git rev-parse --git-path hooks`: `.git/hooks`, or `.husky/_` with
 * husky), is rewritten whenever a hook starts reorg-guard, and the hooks ignore it when the
 * config is newer, so that a config change is never missed.
 */
import { existsSync, readFileSync, realpathSync, rmSync, utimesSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.js';
import type { Repo } from '../git/repo.js';
import { writeAtomic } from '../state/atomic.js';
import { guardedPathspecs } from './pathspec.js';

export const ENV_FILE = 'reorg-guard.env';

/** Quotes a value for sh: 'it'\''s'. */
export const shQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** The CLI that is running now: the hooks start the same one when the project has none. */
function currentCli(): string {
  try {
    return realpathSync(process.argv[1]);
  } catch {
    return process.argv[1] ?? '';
  }
}

export function envText(config: Config): string {
  const specs = guardedPathspecs(config.guardedPaths).map(shQuote).join(' ');
  return [
    '# Written by reorg-guard from its config for the sh hooks; rewritten whenever a hook',
    '# starts reorg-guard, ignored while the config is newer. Do not edit.',
    `rg_node=${shQuote(process.execPath)}`,
    `rg_cli=${shQuote(currentCli())}`,
    `rg_strict=${config.strict ? 1 : 0}`,
    `rg_prefix=${shQuote(config.branchPrefix)}`,
    '# rg_guarded GIT-COMMAND...: the git command, limited to the guarded paths',
    specs ? `rg_guarded() { "$@" -- ${specs}; }` : 'rg_guarded() { return 0; } # no guarded paths: nothing to look at',
    '',
  ].join('\n');
}

/**
 * Writes the env file into `dir` (default: git's hooks directory) when its content changed.
 * Does nothing when that directory does not exist (no hooks can run there yet).
 */
export async function writeHookEnv(repo: Repo, config: Config, dir?: string): Promise<void> {
  const target = dir ?? repo.hooksDir;
  if (!existsSync(target)) return;
  const file = path.join(target, ENV_FILE);
  const text = envText(config);
  if (existsSync(file) && readFileSync(file, 'utf8') === text) {
    const now = new Date(); // newer than the config again: the hooks trust it
    utimesSync(file, now, now);
    return;
  }
  await writeAtomic(file, text, 0o644);
}

export function removeHookEnv(dir: string): boolean {
  const file = path.join(dir, ENV_FILE);
  if (!existsSync(file)) return false;
  rmSync(file);
  return true;
}
