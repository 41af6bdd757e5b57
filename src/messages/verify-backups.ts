/** verify backups: branches, snapshots, remote copies and archives. */
import { q } from './format.js';

export const verifyBackups = {
  verifyMissingObject: (what: string) => `missing object: ${what}`,
  verifyNotCommit: (type: string) => `points to a ${type}, not a commit`,
  verifyRemoteMissing: (remote: string) => `not on ${remote}`,
  verifyRemoteDiffers: (remote: string, commit: string) => `${remote} has ${commit.slice(0, 10)}, a different commit`,
  verifyUnpushed: () => 'unpushed: only this clone has it',
  verifyNoRemote: (remote: string) => `No remote ${q(remote)}: remote copies not checked.`,
  verifyRemoteDown: (remote: string, why: string) => `Cannot reach ${q(remote)} (${why}): remote copies not checked.`,
  verifyNothing: () => "No backups to verify: run 'reorg-guard backup'.",
  backupsSound: (n: number) => `All ${n} checked item(s) are sound.`,
  backupsFailed: (n: number) => `${n} backup item(s) failed verification (listed above).`,
};
