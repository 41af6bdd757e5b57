/** cleanup: why each backup is kept or deleted, the plan, the remote, the strays. */
import { q, count, firstOf } from './format.js';

export const cleanup = {
  keepNotInClone: (remote: string) => `only ${remote} has it and this clone lacks its commits (fetch first): never deleted from here`,
  keepMoved: () => 'the branch moved since the backup (commits made on it may exist nowhere else): never deleted',
  keepNotProvenMine: () => 'its manifest does not name this work tree (older or damaged archive): never deleted',
  keepNewest: (what: 'backup' | 'archive') => `the newest ${what}`,
  keepAmongNewest: (n: number) => `among the ${n} newest`,
  keepWithin: (d: string) => `younger than ${d}`,
  keepNoStamp: () => 'its name is not <prefix>YYYYMMDD_HHMMSS[-N]: not a dated backup, never deleted',
  keepCheckedOut: () => 'checked out',
  keepBaseline: (pinned: boolean) => `this branch's baseline (${pinned ? 'pinned' : 'the last state before the migration'}): verify and rollback compare with it; never deleted`,
  keepRolledBackTo: () => "the backup the last 'rollback full' went to: verify rollback compares with it; never deleted",
  keepUnfinished: (id: string, op: string) => `used by unfinished operation ${id} (${op})`,
  dropOld: () => 'no rule keeps it',
  cleanupNothing: () => 'Nothing to clean up: every backup is kept by a retention rule.',
  cleanupPlanHead: () => 'Cleanup plan:',
  cleanupWhere: (local: boolean, remote: string, onRemote: 'now' | 'last seen' | null) =>
    [local ? 'local' : null, onRemote === 'now' ? `on ${remote}` : onRemote ? `on ${remote} when last seen` : null].filter(Boolean).join(', ') || 'snapshot only',
  cleanupConfirm: (n: number) => `Delete ${count(n, 'backup')} as listed above?`,
  cleanupRemoteSkipped: (remote: string, why: string) => `Remote ${q(remote)} not reachable (${why}): its backup branches were left alone.`,
  cleanupRemoteFailed: (refs: string[], why: string) =>
    `The remote still has ${count(refs.length, 'ref')} cleanup meant to delete, unchanged (${why}): ${firstOf(refs, 5)}`,
  cleanupStrayUnrestored: (ref: string, keptAt: string, remote: string) =>
    `${ref} appeared on ${q(remote)} during the cleanup and was deleted with the rest; pushing it back failed. Its commit is kept in ${keptAt}: 'reorg-guard push' puts it back.`,
  straysBack: (refs: string[], remote: string) => `Back on ${remote}: ${refs.join(', ')} (deleted by a cleanup without meaning to).`,
  straysFailed: (refs: string[], why: string) => `Still not back on the remote (${why}): ${refs.join(', ')}; their commits stay under refs/reorg-guard/strays/.`,
  cleanupRaced: () => 'A backup ref changed while cleaning up: no local ref was deleted. Run cleanup again.',
  cleanupDone: (branches: number, remote: number, archives: number) =>
    `Deleted ${count(branches, 'local backup')}, ${remote} on the remote, ${count(archives, 'archive')}.`,
  cleanupJournal: (id: string) => `Journaled as ${id}: the deleted refs and their commits are recorded there.`,
};
