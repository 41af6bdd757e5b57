/**
 * reorg-guard's own state. What all work trees share (supervised runs, install record, files a
 * restore moved aside) lives under the git common dir; what belongs to one work tree (its
 * journal and operation lock: a linked worktree has its own HEAD, index and files, so its own
 * operations) under that work tree's git dir. In the main work tree both are the same folder,
 * so a journal written before linked worktrees had their own stays the main work tree's.
 */
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Repo } from '../git/repo.js';

const NAME = 'reorg-guard';

function ensure(dir: string): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

/** Shared by every work tree of the repository. */
export function stateDir(repo: Repo): string {
  return ensure(path.join(repo.commonDir, NAME));
}

/** Where `verify migration` keeps what it parsed, under a git common dir (not made here). */
export const schemaCacheIn = (commonDir: string) => path.join(commonDir, NAME, 'schema-cache');

/** This work tree's own: journal and operation lock. */
export function worktreeStateDir(repo: Repo): string {
  return ensure(path.join(repo.gitDir, NAME));
}

export interface WorktreeState {
  /** The work tree's git dir (the common dir for the main work tree). */
  gitDir: string;
  /** Its top folder as git last recorded it (a linked worktree may have been moved or deleted since). */
  top: string | null;
  /** Its reorg-guard state folder (may not exist). */
  dir: string;
}

/** Every work tree of the repository whose state folder could exist: the main one, then each linked one. */
export function allWorktreeStates(repo: Repo): WorktreeState[] {
  const main = { gitDir: repo.commonDir, top: path.basename(repo.commonDir) === '.git' ? path.dirname(repo.commonDir) : null };
  const linked: Array<{ gitDir: string; top: string | null }> = [];
  const root = path.join(repo.commonDir, 'worktrees');
  let names: string[] = [];
  try {
    names = readdirSync(root);
  } catch {
    // no linked worktree
  }
  for (const name of names.sort()) {
    const gitDir = path.join(root, name);
    let top: string | null = null;
    try {
      // `gitdir` holds the path of the worktree's .git file
      top = path.dirname(readFileSync(path.join(gitDir, 'gitdir'), 'utf8').trim());
    } catch {
      // not a worktree folder, or a broken one
    }
    linked.push({ gitDir, top });
  }
  return [main, ...linked].map((w) => ({ ...w, dir: path.join(w.gitDir, NAME) }));
}
