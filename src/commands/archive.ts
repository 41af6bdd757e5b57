import path from 'node:path';
import type { Command } from './command.js';
import { openWorkspace } from '../workspace.js';
import { createArchive } from '../backup/archive.js';
import { bytes } from '../util/time.js';
import { msg } from '../messages.js';
import { UsageError } from '../errors.js';
import { unignoredInWorkTree } from '../git/backup-dir.js';

const archive: Command = {
  name: 'archive',
  help: `Usage: reorg-guard archive [--dir DIR] [--json]

Writes <backupDir>/<repo>-backup-<YYYYMMDD_HHMMSS>.tar.gz (folder 0700, file 0600) with a
manifest of every path, mode, size and sha256 as its first entry. The archive is written
under a temporary name, read back and checked against the manifest, and only then given
its final name. Symlinks are stored as links. Excludes (config archiveExcludes) match
whole path segments or globs: '.git' drops the .git folder, never .github/ or .gitignore.

Options:
  --dir DIR  write into DIR instead of the configured backupDir (as backupDir: not in the
             work tree unless git ignores it; exit 2)
  --json     print {path, files, bytes}
  -C DIR     run in DIR`,
  options: { dir: { type: 'string' } },
  async run({ cwd, out, values }) {
    // one git call for the repository and HEAD, started directly (simple-git is not loaded)
    const { repo, config, head: at } = await openWorkspace(cwd, { command: 'archive', head: true });
    const head = at?.commit ?? null;
    const dir = values.dir === undefined ? undefined : path.resolve(cwd, values.dir as string);
    // the rule the config's backupDir follows: archives in the work tree would be untracked files there
    const inTree = dir === undefined ? null : await unignoredInWorkTree(repo, dir);
    if (inTree !== null) throw new UsageError(msg.archiveDirInWorkTree(values.dir as string, msg.configBackupDirInWorkTree(inTree)));
    const result = await createArchive(repo, config, { dir, head });
    out.ok(msg.archiveMade(result.path, result.files, bytes(result.bytes)));
    if (result.skipped.length) out.warn(msg.archiveSkipped(result.skipped));
    out.data({ path: result.path, files: result.files, bytes: result.bytes });
    return 0;
  },
};
export default archive;
