/**
 * Git's own operation stopped halfway here (a rebase, merge, cherry-pick or revert with
 * conflicts, or a bisect): the first thing to deal with, as rollback and undo refuse to run in
 * the middle of one and a backup does not hold its state (git/repo.ts says which).
 */
import { gitOperationInProgress } from '../../git/repo.js';
import { msg } from '../../messages.js';
import type { Check } from './finding.js';

export const gitOperation: Check = async ({ repo }) => {
  const op = gitOperationInProgress(repo, { bisect: true });
  if (!op) return [];
  return [{
    kind: 'git-operation-in-progress',
    severity: 'error',
    title: msg.recGitBusy(op.what),
    meaning: op.kind === 'bisect' ? msg.recBisectMeaning(op.abort) : msg.recGitBusyMeaning(op.finish, op.abort),
    fix: null,
  }];
};
