/** Uncommitted work: the one state no branch holds, unless a backup's snapshot holds it already. */
import { currentBranch } from '../../git/repo.js';
import { takeSnapshot } from '../../git/snapshot.js';
import { uncommittedPaths } from '../../git/worktree.js';
import { treeOf } from '../../git/tree.js';
import { msg } from '../../messages.js';
import { fix, type Check } from './finding.js';

export const uncommittedWork: Check = async ({ repo, head, backups }) => {
  if (!head) return [];
  const paths = await uncommittedPaths(repo);
  if (paths.length === 0) return [];
  const newest = backups?.[0];
  if (newest?.snapshot && newest.commit === head) {
    // The snapshot commit made here is dropped (unreferenced): only its tree is compared.
    const now = await takeSnapshot(repo, { message: 'reorg-guard recover: comparison only', head, branch: await currentBranch(repo) });
    if (now.tree === (await treeOf(repo, newest.snapshot))) {
      return [{ kind: 'uncommitted-saved', severity: 'info', title: msg.recUncommitted(paths.length), meaning: msg.recUncommittedSaved(newest.name), fix: null }];
    }
  }
  return [{
    kind: 'uncommitted',
    severity: 'warning',
    title: msg.recUncommitted(paths.length),
    meaning: msg.recUncommittedMeaning(paths.slice(0, 5)),
    fix: fix(['backup', '--reason', 'recover: uncommitted work']),
  }];
};
