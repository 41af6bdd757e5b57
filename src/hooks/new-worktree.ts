/**
 * A new linked worktree (`git worktree add`) with husky: core.hooksPath is relative
 * (`.husky/_`) and git looks for it in each work tree, but that folder is written by
 * `npm install` (husky's prepare), never checked out. Until then git runs no hook at all in the
 * new work tree: its commits would take no backup, silently. The worktree's first hook (git runs
 * post-checkout from the folder it was added from) copies the main work tree's folder (husky's
 * generated files and reorg-guard.env): what `npm install` would write there. A bare repository
 * has no main work tree: the first of its work trees that has the folder.
 */
import { cpSync, existsSync } from 'node:fs';
import path from 'node:path';
import { listWorktrees } from '../git/worktrees.js';
import { inside } from '../util/inside.js';
import { msg } from '../messages.js';
import type { HookContext } from './context.js';

export async function armNewWorktree({ repo, out }: Pick<HookContext, 'repo' | 'out'>): Promise<void> {
  if (path.resolve(repo.gitDir) === path.resolve(repo.commonDir)) return; // the main work tree (a clone)
  const here = repo.hooksDir;
  const rel = inside(repo.top, here);
  // git's own hooks directory, or a core.hooksPath outside the work tree: every work tree shares it
  if (!rel || existsSync(here)) return;
  // the main work tree's, else (a bare repository has none) the first work tree that has it
  const main = (await listWorktrees(repo)).map((w) => w.top).find((top) => existsSync(path.join(top, rel)));
  if (!main) return out.warn(msg.hookWorktreeUnarmed(rel));
  cpSync(path.join(main, rel), here, { recursive: true, errorOnExist: false, force: false });
  out.ok(msg.hookArmedWorktree(rel, main));
}
