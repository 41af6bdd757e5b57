import { existsSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Command } from './command.js';
import { openWorkspace } from '../workspace.js';
import { openRepo, type Repo } from '../git/repo.js';
import { applyRestore, planRestore, symlinksOf, type RestorePlan } from '../backup/restore.js';
import { journalMark } from '../state/journal.js';
import { stateDir } from '../state/paths.js';
import { lifecycle } from './lifecycle.js';
import { checkName } from '../util/validate.js';
import { stamp, bytes } from '../util/time.js';
import { NotARepoError, UsageError } from '../errors.js';
import { msg } from '../messages.js';

/** ARCHIVE as given, else (a bare file name) in the configured backup dir. */
async function findArchive(cwd: string, given: string): Promise<string> {
  checkName('archive', given);
  const direct = path.resolve(cwd, given);
  if (existsSync(direct)) {
    if (!statSync(direct).isFile()) throw new UsageError(msg.restoreNotFound(direct));
    return direct;
  }
  if (!given.includes('/')) {
    const ws = await openWorkspace(cwd).catch(outsideRepo);
    const inBackups = ws && path.join(ws.config.backupDir, given);
    if (inBackups && existsSync(inBackups) && statSync(inBackups).isFile()) return inBackups;
  }
  throw new UsageError(msg.restoreNotFound(given));
}

/** null when git says there is no repository here; any other failure (a broken config, git itself) stands. */
function outsideRepo(err: unknown): null {
  if (err instanceof NotARepoError) return null;
  throw err;
}

/** The repository whose work tree holds DIR, if any (a restore there is journaled). */
async function workTreeOf(dir: string): Promise<Repo | null> {
  if (!existsSync(dir)) return null;
  return openRepo(dir).catch(outsideRepo);
}

const restore: Command = {
  name: 'restore',
  help: `Usage: reorg-guard restore ARCHIVE --to DIR [--force] [--dry-run] [--yes] [--json]

Verifies ARCHIVE in full against its manifest, then extracts it into DIR. ARCHIVE is a
path, or the file name of an archive in the backup dir.

Refused before anything is written, naming the entry: paths with '..', absolute paths,
symlinks pointing outside DIR, hard links, device files and FIFOs, set-user-ID bits, and
entries that would be written through a symlink. A damaged archive (truncated, a byte
flipped, a file missing or added) is a failed check: nothing is written.

The archive is extracted into a fresh folder beside DIR, given the manifest's modes (your
umask does not matter) and compared with the manifest byte for byte; only then does it
move into place. DIR may be new or empty. A non-empty DIR needs --force: the archive's
files replace the ones there, other files stay; a file where the archive has a folder, or
a symlink on the way, is refused. Restoring into a git work tree takes a safety snapshot
and is journaled (so it can be undone), and the replaced files are moved aside into
reorg-guard's state folder instead of being deleted.

Options:
  --to DIR    where to restore (required)
  --force     restore over a non-empty DIR
  --dry-run   verify and check everything, say what would be replaced (files
              already as the archive has them are left as they are); write nothing
  -y, --yes   do not ask before replacing files (needed without a terminal)
  --json      print {dir, files, symlinks, bytes, replaced, movedAsideTo}
  -C DIR      run in DIR`,
  positionals: true,
  options: {
    to: { type: 'string' },
    force: { type: 'boolean' },
    'dry-run': { type: 'boolean' },
    yes: { type: 'boolean', short: 'y' },
  },
  async run(ctx) {
    const { cwd, out, args, values } = ctx;
    if (args.length === 0) throw new UsageError(msg.restoreNoArchive());
    if (args.length > 1) throw new UsageError(msg.restoreTooMany());
    if (typeof values.to !== 'string' || !values.to) throw new UsageError(msg.restoreNoTo());
    const archive = await findArchive(cwd, args[0]);
    const given = path.resolve(cwd, checkName('folder', values.to));
    const dir = existsSync(given) ? realpathSync(given) : given;
    if (path.resolve(dir).split(path.sep).includes('.git')) throw new UsageError(msg.restoreIntoGit(dir));

    const plan: RestorePlan = await planRestore(archive, dir);
    if (plan.merge && !values.force) throw new UsageError(msg.restoreNotEmpty(dir));
    const summary = { archive, dir, merge: plan.merge, replaces: plan.replaces.length, unchanged: plan.same.length };
    // Restoring over a work tree is journaled there (undo takes it back); replaced files move aside.
    const repo = plan.merge ? await workTreeOf(dir) : null;
    const done = await lifecycle(ctx, {
      command: `restore --to ${dir}`,
      lines: [msg.restoreDryRun(archive, dir, plan.manifest.files, symlinksOf(plan.manifest), plan.replaces, plan.same.length)],
      question: plan.replaces.length ? msg.restoreConfirm(dir, plan.replaces.length) : null,
      journal: repo ? { repo, op: 'restore', args: { archive, to: dir }, plan: summary, plannedAt: await journalMark(repo) } : null,
      apply: () => applyRestore(plan, repo ? path.join(stateDir(repo), 'replaced', `${stamp()}-${process.pid}`) : null),
    });
    if (done.dryRun) {
      out.data({ dryRun: true, ...summary, replacesPaths: plan.replaces });
      return 0;
    }
    const result = done.result;
    out.ok(msg.restoreDone(result.dir, result.files, result.symlinks, bytes(result.bytes)));
    if (result.movedAsideTo) out.info(`  ${msg.restoreMovedAside(result.replaced, result.movedAsideTo)}`);
    out.data(result);
    return 0;
  },
};
export default restore;
