/** restore ARCHIVE --to DIR: what it refuses, what it would replace, what it did. */
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
  restoreMismatch: (why: string) => `The extracted tree does not match the manifest (${why}): nothing was restored.`,
  restoreDone: (dir: string, files: number, size: string) => `Restored ${files} files (${size}) into ${dir}; every file matches the manifest.`,
  restoreConfirm: (dir: string, n: number) => `Replace ${n} file(s) in ${dir} with the archive's?`,
  restoreDryRun: (file: string, dir: string, files: number, replaces: string[]) =>
    `${file} is verified and safe; ${files} files would be restored into ${dir}` +
    (replaces.length ? `, replacing ${replaces.length}: ${replaces.slice(0, 10).join(', ')}${replaces.length > 10 ? ', ...' : ''}.` : '.'),
  restoreMovedAside: (n: number, where: string) => `${n} replaced file(s) moved aside to ${where}.`,
};
