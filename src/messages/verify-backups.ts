/** verify backups: branches, snapshots, remote copies and archives. */
import { q, count, more } from './format.js';

export const verifyBackups = {
  verifyMissingObject: (what: string) => `missing object: ${what}`,
  verifyMoreMissing: (n: number) => `(${more(n)} missing objects)`,
  verifyNotCommit: (type: string) => `points to a ${type}, not a commit`,
  verifyRemoteMissing: (remote: string) => `not on ${remote}`,
  verifyRemoteDiffers: (remote: string, commit: string) => `${remote} has ${commit.slice(0, 10)}, a different commit`,
  verifyUnpushed: () => 'unpushed: only this clone has it',
  verifyNoRemote: (remote: string) => `No remote ${q(remote)}: remote copies not checked.`,
  verifyRemoteDown: (remote: string, why: string) => `Cannot reach ${q(remote)} (${why}): remote copies not checked.`,
  verifyNothing: () => "No backups to verify: run 'reorg-guard backup'.",
  backupsSound: (n: number) => `${n === 1 ? 'The 1 checked item is' : `All ${n} checked items are`} sound.`,
  backupsFailed: (n: number) => `${count(n, 'backup item')} failed verification (listed above).`,
};
