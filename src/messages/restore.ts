/** restore ARCHIVE --to DIR: what it refuses, what it would replace, what it did. */
import { q, count, firstOf } from './format.js';

/** Tar entry types restore refuses, as people call them. */
const SPECIAL_ENTRY: Record<string, string> = {
  Link: 'a hard link',
  CharacterDevice: 'a device file',
  BlockDevice: 'a device file',
  FIFO: 'a FIFO',
};

/** `3 files`, `3 files and 1 symlink`. */
const filesAndLinks = (files: number, links: number) => `${count(files, 'file')}${links ? ` and ${count(links, 'symlink')}` : ''}`;

export const restore = {
  restoreNoArchive: () => "Say which archive: 'reorg-guard restore ARCHIVE --to DIR'.",
  restoreNoTo: () => 'Say where to restore: --to DIR.',
  restoreTooMany: () => 'restore takes one archive.',
  restoreNotFound: (file: string) => `${file} does not exist (nor in the backup dir).`,
  restoreNotDir: (dir: string) => `${dir} exists and is not a folder.`,
  restoreNotEmpty: (dir: string) => `${dir} is not empty: pass --force to restore over it (files of the archive replace the ones there; others stay).`,
  restoreIntoGit: (dir: string) => `${dir} is inside a .git folder: refused.`,
  restoreDamaged: (file: string, why: string) => `${file} did not verify (${why}): nothing was restored.`,
  restoreUnsafe: (file: string, why: string) => `${file} is refused: ${why}. Nothing was restored.`,
  restoreConflict: (why: string) => `Cannot restore over what is there: ${why}. Nothing was restored.`,
  restoreMismatch: (diffs: string[]) => `The extracted tree does not match the manifest (${firstOf(diffs, 3)}): nothing was restored.`,
  restoreDone: (dir: string, files: number, links: number, size: string) =>
    `Restored ${filesAndLinks(files, links)} (${size}) into ${dir}; every file matches the manifest.`,
  restoreConfirm: (dir: string, n: number) => `Replace ${count(n, 'file')} in ${dir} with the archive's?`,
  restoreDryRun: (file: string, dir: string, files: number, links: number, replaces: string[], same = 0) =>
    `${file} is verified and safe; ${filesAndLinks(files, links)} would be restored into ${dir}` +
    (replaces.length ? `, replacing ${replaces.length}: ${firstOf(replaces, 10)}` : '') +
    (same ? `${replaces.length ? ';' : ','} ${same} already as the archive has ${same === 1 ? 'it' : 'them'} (left as ${same === 1 ? 'it is' : 'they are'})` : '') +
    '.',
  // why a restore over an existing folder is refused (restoreConflict says it)
  restoreIntoGitFolder: (entry: string) => `the archive has ${entry}, and over an existing folder nothing is restored into .git`,
  restoreThroughLink: (parent: string, dir: string, entry: string) => `${parent} is a symlink in ${dir}; ${entry} would be written through it`,
  restoreFileForFolder: (parent: string, dir: string) => `${parent} is a file in ${dir}, the archive needs a folder there`,
  restoreBelowLink: (entry: string, dir: string) => `${entry} is a symlink in ${dir}; what the archive has below it would be written through it`,
  restoreFileNotFolder: (entry: string, dir: string) => `${entry} is a file in ${dir}, the archive has a folder`,
  restoreFolderNotFile: (entry: string, dir: string, type: string) => `${entry} is a folder in ${dir}, the archive has a ${type}`,
  // how the extracted tree differs from the manifest (restoreMismatch lists them)
  restoreUnexpected: (p: string) => `unexpected ${p}`,
  restoreDiffers: (p: string) => `${p} differs`,
  restoreMissing: (p: string) => `missing ${p}`,
  // entries restore never extracts, whatever the archive says (restoreUnsafe says why)
  riskAbsolute: (p: string) => `entry ${q(p)} has an absolute path`,
  riskDotDot: (p: string) => `entry ${q(p)} contains '..'`,
  riskNoName: (p: string) => `entry ${q(p)} has no name`,
  riskLinkOutside: (p: string, target: string) => `symlink ${q(p)} -> ${q(target)} points outside the restore folder`,
  riskSpecial: (p: string, type: string) => `entry ${q(p)} is ${SPECIAL_ENTRY[type] ?? `of type ${type}`}: refused`,
  riskSetuid: (p: string) => `entry ${q(p)} has a set-user-ID or set-group-ID bit`,
  riskThroughLink: (p: string, link: string) => `entry ${q(p)} would be written through the symlink ${q(link)}`,
  restoreMovedAside: (n: number, where: string) => `${count(n, 'replaced file')} moved aside to ${where}.`,
};
