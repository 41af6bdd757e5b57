import pc from '../ui/colors.js';
import type { Command } from './command.js';
import { openWorkspace } from '../workspace.js';
import { verifyBackups, type ItemCheck } from '../backup/verify-backups.js';
import type { Output } from '../ui/output.js';
import { bytes } from '../util/time.js';
import { UsageError } from '../errors.js';
import { msg } from '../messages.js';

function line(out: Output, c: ItemCheck, extra = ''): void {
  const mark = !c.ok ? pc.red('✖') : c.notes.length ? pc.yellow('!') : pc.green('✔');
  const why = [...c.problems, ...c.notes].join('; ');
  out.info(`  ${mark} ${c.name}${extra ? `  ${pc.dim(extra)}` : ''}${why ? `  ${why}` : ''}`);
}

const verifyBackupsCommand: Command = {
  name: 'verify backups',
  help: `Usage: reorg-guard verify backups [--quick] [--json]

Checks every backup of this repository:
  - backup branches resolve to commits, and the remote has each one at the same commit
    (one ls-remote); unpushed ones are named;
  - snapshot refs resolve, and every tree and blob of the snapshot (and of its index
    commit) is in the object store: a missing blob is a failure;
  - archives in the backup dir are read in full, streaming, and every entry is checked
    against the manifest: sha256, size, type, link target, no missing and no extra
    entries. Truncation, a flipped byte, a missing or extra file, a foreign archive
    without manifest: each is reported by name.
Exit 0 when everything is sound, 1 when anything failed.

Options:
  --quick  list the archives without reading them
  --json   print {ok, branches, snapshots, archives}
  -C DIR   run in DIR`,
  options: { quick: { type: 'boolean' } },
  async run({ cwd, out, args, values }) {
    if (args.length) throw new UsageError(msg.badOption(msg.unexpectedArgument(args[0]), 'verify backups'));
    const { repo, config } = await openWorkspace(cwd);
    const report = await verifyBackups(repo, config, { quick: Boolean(values.quick) });
    out.data(report);
    const total = report.branches.length + report.snapshots.length + report.archives.length;
    if (total === 0) {
      out.info(msg.verifyNothing());
      return 0;
    }
    if (report.branches.length) out.info(pc.bold('Backup branches'));
    for (const b of report.branches) line(out, b, b.commit.slice(0, 10));
    if (report.remoteNote && report.remoteDown) out.warn(report.remoteNote);
    else if (report.remoteNote) out.info(report.remoteNote);
    if (report.snapshots.length) out.info(pc.bold('Snapshots'));
    for (const s of report.snapshots) line(out, s);
    if (report.archives.length) out.info(pc.bold(`Archives in ${config.backupDir}`));
    for (const a of report.archives) line(out, a, `${bytes(a.size)}${a.read ? `, ${a.files} files read` : ', listed only'}`);
    const failed = [...report.branches, ...report.snapshots, ...report.archives].filter((c) => !c.ok).length;
    if (report.ok) out.ok(msg.backupsSound(total));
    else out.warn(msg.backupsFailed(failed + (report.remoteDown ? 1 : 0)));
    return report.ok ? 0 : 1;
  },
};
export default verifyBackupsCommand;
