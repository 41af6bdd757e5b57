/** rollback quick, full and selective, and the plan it (or an undo) shows. */
import { q, count } from './format.js';

export const rollback = {
  // the plan of a rollback or an undo, line by line: every file and ref, nothing summarised away
  planNote: (note: string) => `note: ${note}`,
  planRestore: (n: number) => `restore ${count(n, 'file')}:`,
  planRestoreFile: (file: string, from: string) => `  + ${file}  (from ${from})`,
  planDelete: (n: number) => `delete ${count(n, 'file')}:`,
  planDeleteFile: (file: string) => `  - ${file}`,
  planMoveHead: (branch: string | null, from: string | null, to: string | null) =>
    `move ${branch ?? 'HEAD (detached)'}: ${from ? from.slice(0, 12) : 'nothing'} -> ${to ? to.slice(0, 12) : 'nothing'}${branch ? ' and check it out' : ''}`,
  planIndex: (tree: string) => `index: replaced by tree ${tree.slice(0, 12)}`,
  planIntentToAdd: (n: number) => `index: ${count(n, 'path')} marked again as intended to add (git add -N)`,
  planRefs: (n: number) => `create ${count(n, 'ref')} again:`,
  planRef: (ref: string, commit: string) => `  + ${ref}  (${commit.slice(0, 12)})`,
  rollbackKind: (kind: string) => `${kind ? `Unknown rollback ${q(kind)}` : 'Which rollback?'}: use 'rollback quick', 'rollback full' or 'rollback selective'.`,
  selectiveWhich: () => "rollback selective needs exactly one of --domain NAME or --file PATH.",
  selectiveOnly: () => '--domain and --file belong to rollback selective.',
  badDomain: (name: string) => `The domain ${q(name)} is refused: a domain is one folder name.`,
  selectiveMergedDomains: (domain: string, newDir: string, oldDirs: string[]) =>
    `${newDir} also holds protos moved from ${oldDirs.join(', ')} (domains merged into ${domain}): those folders are made what the backup holds too, or their protos would be nowhere.`,
  selectiveMovedCopies: (domain: string, oldDir: string, into: string[], count: number) =>
    `${domain} was merged into ${into.join(', ')}: its protos moved there (${count}) go, as ${oldDir} comes back, so that each message is declared once.`,
  unknownDomain: (name: string, oldDir: string, newDir: string) => `No domain ${q(name)}: nothing under ${oldDir} or ${newDir}, in the work tree or the backup.`,
  unknownFile: (file: string, backup: string) => `${file} is neither in the work tree nor in backup ${backup}: nothing to restore.`,
  quickOldProtosGone: (missing: number | null, oldLayout: string) =>
    `The old-layout protos (${oldLayout}) are ${missing ? `missing (${missing} of them)` : 'gone'}: a quick rollback would lose the only copy. Use 'reorg-guard rollback full'. Nothing was changed.`,
  quickConfigFromBackup: (file: string, backup: string) => `${file}.backup is missing: ${file} comes from backup ${backup} instead.`,
  quickSavedOverwritten: (file: string, backup: string) =>
    `${file}.backup holds the same as ${file} (the new one: a second run of the step overwrote it): ${file} comes from backup ${backup} instead.`,
  quickConfigNowhere: (file: string) => `${file}.backup is missing and no backup has ${file}: left as it is.`,
  fullKeptHooks: (files: string[]) =>
    `Kept ${files.map((f) => q(f)).join(', ')} as ${files.length === 1 ? 'it is' : 'they are'} (the backup lacks them, or has them without reorg-guard's hooks): they make git run the hooks, and without them no commit after the rollback would be backed up ('reorg-guard uninstall' removes them).`,
  fullNoSnapshot: (backup: string) =>
    `Backup ${backup} holds a commit only, no snapshot of uncommitted work (a hook takes a branch at a commit; a backup of a clean tree needs none): the work tree becomes its commit, and what is there now stays in the safety snapshot.`,
};
