/** rollback quick, full and selective. */
import { q } from './format.js';

export const rollback = {
  rollbackKind: (kind: string) => `${kind ? `Unknown rollback ${q(kind)}` : 'Which rollback?'}: use 'rollback quick', 'rollback full' or 'rollback selective'.`,
  selectiveWhich: () => "rollback selective needs exactly one of --domain NAME or --file PATH.",
  selectiveOnly: () => '--domain and --file belong to rollback selective.',
  badDomain: (name: string) => `The domain ${q(name)} is refused: a domain is one folder name.`,
  unknownDomain: (name: string, oldDir: string, newDir: string) => `No domain ${q(name)}: nothing under ${oldDir} or ${newDir}, in the work tree or the backup.`,
  unknownFile: (file: string, backup: string) => `${file} is neither in the work tree nor in backup ${backup}: nothing to restore.`,
  quickOldProtosGone: (missing: number | null, oldLayout: string) =>
    `The old-layout protos (${oldLayout}) are ${missing ? `missing (${missing} of them)` : 'gone'}: a quick rollback would lose the only copy. Use 'reorg-guard rollback full'. Nothing was changed.`,
  quickConfigFromBackup: (file: string, backup: string) => `${file}.backup is missing: ${file} comes from backup ${backup} instead.`,
  quickConfigNowhere: (file: string) => `${file}.backup is missing and no backup has ${file}: left as it is.`,
  fullNoSnapshot: (backup: string) =>
    `Backup ${backup} holds a commit only, no snapshot of uncommitted work (a hook takes a branch at a commit; a backup of a clean tree needs none): the work tree becomes its commit, and what is there now stays in the safety snapshot.`,
};
