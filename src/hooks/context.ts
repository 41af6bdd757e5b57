/** What a hook's node side gets: the repository, its config, git's arguments, and output. */
import type { Config } from '../config.js';
import type { HeadState, Repo } from '../git/repo.js';
import type { Output } from '../ui/output.js';
import { guardedPathspecs } from './pathspec.js';
import { listRefs } from '../git/refs.js';
import { backupBranchPrefix } from '../git/ref-names.js';

export interface HookContext {
  repo: Repo;
  config: Config;
  /** HEAD when the hook started, or null in a repository without commits. */
  head: HeadState | null;
  /** The arguments git gave the hook. */
  args: string[];
  out: Output;
  /** The sh hook checked the guarded paths with the current config (RG_FRESH=1): no need to look again. */
  shChecked: boolean;
}

/** What a hook does in node; throws when it could not do it (the caller applies `strict`). */
export type HookAction = (ctx: HookContext) => Promise<void>;

/** True when a backup branch points at `commit` already (switching back and forth makes no new ones). */
export async function alreadyBackedUp(ctx: HookContext, commit: string): Promise<boolean> {
  return (await listRefs(ctx.repo, [backupBranchPrefix(ctx.config)])).some((r) => r.commit === commit);
}

export const guardedSpecs = (ctx: HookContext) => guardedPathspecs(ctx.config.guardedPaths);

/** A commit id as git gives it to hooks (sha-1 or sha-256). */
export const isObjectId = (s: string | undefined): s is string => /^[0-9a-f]{40}([0-9a-f]{24})?$/.test(s ?? '');
