/** The config file: what is wrong in it and why a value is refused. */
import { q } from './format.js';

export const config = {
  configMalformed: (file: string, why: string) => `${file} is not valid JSON (${why}): fix it or remove it.`,
  configNotObject: (file: string) => `${file}: the reorg-guard config must be a JSON object.`,
  configUnknownKey: (key: string, file: string) => `${file}: unknown key ${q(key)}: see 'reorg-guard --help' for the keys.`,
  configType: (key: string, want: string, file: string) => `${file}: ${q(key)} must be ${want}.`,
  configKind: (kind: 'string' | 'boolean' | 'string[]' | 'count') =>
    ({ string: 'a non-empty string', boolean: 'true or false', 'string[]': 'a list of non-empty strings', count: 'a whole number >= 0' })[kind],
  configRefused: (key: string, value: string, file: string, why: string) => `${file}: ${q(key)} ${q(value)} is refused: ${why}.`,
  configPrefixRefs: () => "give the prefix of the branch name itself (backups are branches under refs/heads/ already; 'refs/heads/refs/...' would make names git calls ambiguous)",
  configPrefixRefFormat: (why: string) => `git refuses the branch names it makes (git check-ref-format: ${why})`,
  configLayoutsOverlap: (oldLayout: string) =>
    `it overlaps "oldLayout" ${q(oldLayout)}, and a quick rollback deletes the new layout: give the new layout a folder of its own`,
  configBackupDirInWorkTree: (rel: string) =>
    `archives there would be untracked files of the work tree (${rel}), which a rollback deletes: choose a folder outside the repository, or ignore it in .gitignore`,
};
