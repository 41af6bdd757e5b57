import pc from '../ui/colors.js';
import type { Context } from './command.js';
import { openWorkspace } from '../workspace.js';
import { verifyBackups, type ItemCheck } from '../backup/verify-backups.js';
import type { Output } from '../ui/output.js';
import { bytes } from '../util/time.js';
import { msg } from '../messages.js';

function line(out: Output, c: ItemCheck, extra = ''): void {
  const mark = !c.ok ? pc.red('✖') : c.notes.length ? pc.yellow('!') : pc.green('✔');
  const why = [...c.problems, ...c.notes].join('; ');
  out.info(`  ${mark} ${c.name}${extra ? `  ${pc.dim(extra)}` : ''}${why ? `  ${why}` : ''}`);
}

/**
 * `reorg-guard verify backups`: its options and help are verify's (commands/verify.ts), which
 * loads this file only for this check (it brings the archive reader, node-tar).
 */
export default async function verifyBackupsCommand({ cwd, out, values }: Context): Promise<number> {
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
}
