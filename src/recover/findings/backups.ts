/**
 * Backups, checked quickly: none at all, unpushed ones, refs whose objects are missing.
 * The quick check stops at what refs and object headers show; `reorg-guard verify backups`
 * reads everything.
 */
import { objectTypes } from '../../git/objects.js';
import { listStrays } from '../../backup/strays.js';
import { msg } from '../../messages.js';
import { fix, type Check, type Finding } from './finding.js';

export const backupHealth: Check = async ({ repo, config, head, backups, backupsError }) => {
  const verify = fix(['verify', 'backups']);
  if (!backups) {
    return [{ kind: 'backups-damaged', severity: 'error', title: msg.recBackupsUnreadable(), meaning: backupsError ?? '', fix: verify }];
  }
  if (backups.length === 0) {
    // no commit yet: nothing a backup could take (it would refuse), and nothing a migration could lose
    if (head === null) return [{ kind: 'no-commit', severity: 'info', title: msg.recNoCommit(), meaning: msg.recNoCommitMeaning(), fix: null }];
    return [{ kind: 'no-backup', severity: 'warning', title: msg.recNoBackup(), meaning: msg.recNoBackupMeaning(), fix: fix(['backup', '--reason', 'recover: first backup']) }];
  }
  const found: Finding[] = [];
  const strays = await listStrays(repo);
  if (strays.length) {
    found.push({ kind: 'stray-backups', severity: 'warning', title: msg.recStrays(strays.map((s) => s.ref)), meaning: msg.recStraysMeaning(config.remote), fix: fix(['push']) });
  }
  const unpushed = backups.filter((b) => b.unpushed).map((b) => b.name);
  if (unpushed.length) {
    found.push({ kind: 'unpushed-backups', severity: 'warning', title: msg.recUnpushed(unpushed), meaning: msg.recUnpushedMeaning(config.remote), fix: fix(['push']) });
  }
  // Each backup's commit and tree, and each snapshot's tree, must be in the object store.
  const names: string[] = [];
  const owners: string[] = [];
  for (const b of backups) {
    names.push(b.commit, `${b.commit}^{tree}`);
    owners.push(b.name, b.name);
    if (b.snapshot) {
      names.push(`${b.snapshot}^{tree}`);
      owners.push(b.snapshot);
    }
  }
  const types = await objectTypes(repo, names);
  const broken = [...new Set(owners.filter((_, i) => types.get(names[i]) === null))];
  if (broken.length) {
    found.push({ kind: 'backups-damaged', severity: 'error', title: msg.recBackupsBroken(broken), meaning: msg.recBackupsBrokenMeaning(), fix: verify });
  }
  return found;
};
