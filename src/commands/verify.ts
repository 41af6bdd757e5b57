import type { Command, Context } from './command.js';
import { openWorkspace } from '../workspace.js';
import { UsageError } from '../errors.js';
import { findBackup } from '../rollback/backup-target.js';
import { verifyRollback } from '../rollback/verify-rollback.js';
import { verifyMigration } from '../rollback/verify-migration.js';
import { printVerification } from '../ui/verification.js';
import { msg } from '../messages.js';
import verifyBackups from './verify-backups.js';

/** What `verify <check>` can check: one line per check, each in its own module. */
const CHECKS: Record<string, { summary: string; run: (ctx: Context) => Promise<number> }> = {
  rollback: { summary: 'is the repository back where the backup was?', run: (ctx) => againstBackup(ctx, 'rollback', verifyRollback) },
  migration: { summary: 'did the reorganization keep every message, enum and service?', run: (ctx) => againstBackup(ctx, 'migration', verifyMigration) },
  backups: { summary: 'are the backups whole? branches, remote copies, snapshots, archives', run: (ctx) => verifyBackups.run(ctx) },
};

type Verifier = (...a: Parameters<typeof verifyRollback>) => ReturnType<typeof verifyRollback>;

async function againstBackup(ctx: Context, what: string, verify: Verifier): Promise<number> {
  const { repo, config } = await openWorkspace(ctx.cwd);
  const backup = await findBackup(repo, config, { name: ctx.values.against as string | undefined, option: '--against' });
  return printVerification(ctx.out, what, await verify(repo, config, backup));
}

const verify: Command = {
  name: 'verify',
  summary: 'check the repository: verify rollback | migration | backups',
  help: `Usage: reorg-guard verify <check> [--against BACKUP] [--quick] [--json]

Checks (exit 0 when all hold, 1 listing every failure otherwise):
${Object.entries(CHECKS).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`).join('\n')}

What they demand:
  rollback   the new layout root holds no .proto; each config file equals the backup's;
             the old-layout protos are all there; every x.pb.go / x_grpc.pb.go has its
             x.proto beside it; every guarded path equals the backup (each difference named).
  migration  the top-level message/enum/service declarations of the backup are all still
             declared (once the new layout has protos, in the new layout: the old one is
             about to be cleaned); files that two source files were written onto are named.
  backups    every backup branch resolves and matches the remote (unpushed ones named);
             every snapshot's objects are present; every archive is read in full and
             checked against its manifest (sha256, size, no missing or extra entry).

Options:
  --against NAME  the backup to compare with (default: the newest; rollback, migration)
  --quick         backups: list the archives without reading them
  --json          print the checks and their failures as JSON
  -C DIR          run in DIR`,
  options: { against: { type: 'string' }, ...verifyBackups.options },
  async run(ctx) {
    const [name, ...extra] = ctx.args;
    const entry = name === undefined ? undefined : CHECKS[name];
    if (!entry || extra.length) throw new UsageError(msg.verifyWhich(name ?? '', Object.keys(CHECKS)));
    return entry.run({ ...ctx, args: extra });
  },
};
export default verify;
