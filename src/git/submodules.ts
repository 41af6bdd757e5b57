/**
 * Submodules: a superproject holds each one as a gitlink (mode 160000, the submodule's commit),
 * never its files, which belong to another repository. Restores bring the gitlink back through
 * the index and leave the submodule's own work tree alone; these helpers say where the two differ.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { git, splitZ } from './exec.js';
import type { Repo } from './repo.js';

export interface Gitlink {
  path: string;
  commit: string;
}

/** The gitlinks of a tree; none without a .gitmodules in the work tree (spares the walk of the tree). */
export async function gitlinksOf(repo: Repo, tree: string): Promise<Gitlink[]> {
  if (!existsSync(path.join(repo.top, '.gitmodules'))) return [];
  const { stdout } = await git(repo, ['ls-tree', '-r', '-z', '--full-tree', tree]);
  const out: Gitlink[] = [];
  for (const rec of splitZ(stdout)) {
    const tab = rec.indexOf('\t');
    const [mode, , commit] = rec.slice(0, tab).split(' ');
    if (mode === '160000') out.push({ path: rec.slice(tab + 1), commit });
  }
  return out;
}

/** The commit a submodule has checked out, or null when it is not there (not initialised, removed). */
export async function submoduleHead(repo: Repo, rel: string): Promise<string | null> {
  const dir = path.join(repo.top, rel);
  if (!existsSync(path.join(dir, '.git'))) return null;
  const { stdout, exitCode } = await git({ top: dir, door: repo.door }, ['rev-parse', '-q', '--verify', 'HEAD^{commit}'], { okExitCodes: [1, 128] });
  return exitCode === 0 ? stdout.trim() : null;
}

/** Gitlinks of `tree` whose submodule has another commit checked out (or none): the restore leaves them so. */
export async function submodulesAway(repo: Repo, tree: string): Promise<Array<Gitlink & { now: string | null }>> {
  const links = await gitlinksOf(repo, tree);
  const heads = await Promise.all(links.map((l) => submoduleHead(repo, l.path)));
  return links.map((l, i) => ({ ...l, now: heads[i] })).filter((l) => l.now !== l.commit);
}
