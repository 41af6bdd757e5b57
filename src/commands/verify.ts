import type { Command, Context } from './command.js';
import { openWorkspace } from '../workspace.js';
import { UsageError } from '../errors.js';
import { describeTarget, findBackup, targetData } from '../rollback/backup-target.js';
import { verifyRollback } from '../rollback/verify-rollback.js';
import { verifyMigration } from '../rollback/verify-migration.js';
import { printVerification } from '../ui/verification.js';
import { printMigration, type ReportFormat } from '../ui/migration.js';
import { msg } from '../messages.js';

/** What `verify <check>` can check: one line per check, each in its own module. */
const CHECKS: Record<string, { summary: string; run: (ctx: Context) => Promise<number> }> = {
  rollback: { summary: 'is the repository back where the backup was?', run: (ctx) => againstBackup(ctx, 'rollback', verifyRollback) },
  migration: { summary: 'did the reorganization keep every declaration, field, enum value and rpc?', run: (ctx) => migration(ctx) },
  // loaded when run: it brings the archive reader (node-tar), which the other checks never need
  backups: { summary: 'are the backups whole? branches, remote copies, snapshots, archives', run: async (ctx) => (await import('./verify-backups.js')).default(ctx) },
};

type Verifier = (...a: Parameters<typeof verifyRollback>) => ReturnType<typeof verifyRollback>;

async function againstBackup(ctx: Context, what: string, verify: Verifier): Promise<number> {
  const { repo, config } = await openWorkspace(ctx.cwd);
  // verify rollback after a rollback full: the backup it went to, not a newer one a hook took since.
  const backup = await findBackup(repo, config, { name: ctx.values.against as string | undefined, option: '--against', afterRollback: what === 'rollback', warn: (l) => ctx.out.warn(l) });
  ctx.out.info(describeTarget(backup));
  const v = await verify(repo, config, backup);
  return printVerification(ctx.out, what, v, { ...v, backup: targetData(backup) });
}

/** --format: text (default), json (like --json), github (GitHub Actions annotations). */
function formatOf(ctx: Context): ReportFormat {
  const format = (ctx.values.format as string | undefined) ?? (ctx.out.json ? 'json' : 'text');
  if (format !== 'text' && format !== 'json' && format !== 'github') throw new UsageError(msg.verifyFormat(format));
  return format;
}

async function migration(ctx: Context): Promise<number> {
  const format = formatOf(ctx);
  // a read-only check a CI step or an editor runs again and again: git started directly, without
  // simple-git's loading and per-call work (about a fifth of the command's time), as hooks do
  // HEAD and the branch read in the git call that finds the repository: the backups in its
  // history are asked for beside the listing of the backups, not after two more git calls
  const { repo, config, head } = await openWorkspace(ctx.cwd, { command: 'verify migration', head: true });
  const found = findBackup(repo, config, { name: ctx.values.against as string | undefined, option: '--against', warn: (l) => ctx.out.warn(l), head });
  // the tree's files are listed while the backup is looked for
  const verifying = verifyMigration(repo, config, found);
  verifying.catch(() => {}); // a backup not found is reported below, once
  const backup = await found;
  // which backup and why: a line for people (annotations and JSON keep stdout to themselves)
  if (format === 'text') ctx.out.info(describeTarget(backup));
  const report = await verifying;
  return printMigration(ctx.out, { ...report, backup: targetData(backup) }, format);
}

const verify: Command = {
  name: 'verify',
  help: `Usage: reorg-guard verify <check> [--against NAME] [--quick] [--json] [--format text|json|github]

Checks (exit 0 when all hold, 1 listing every failure otherwise):
${Object.entries(CHECKS).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`).join('\n')}

What they demand:
  rollback   the new layout root holds no .proto; each config file equals the backup's;
             the old-layout protos are all there; every x.pb.go / x_grpc.pb.go has its
             x.proto beside it; every guarded path equals the backup (each difference named).
  migration  every .proto of both sides parses (protobufjs: proto2, proto3, editions) and no
             import names a file that moved away; every message, enum and service of the
             backup, nested ones too, is still declared (matched by package and name, by
             name when the package changed), judged where it lives now: a domain not moved
             yet is checked in the old layout, one moved must be whole in the new layout;
             every field number keeps its name, type (resolved to a full name), cardinality,
             encoding (group) and oneof, unless reserved (number and name), and no required
             field is added; what was reserved stays reserved; every enum value keeps its
             number and name; every rpc keeps its request, response, streaming and
             idempotency level; no file was written from two source files. Moved
             declarations are listed as information.
  backups    every backup branch resolves and matches the remote, in one ls-remote
             (unpushed ones named); every tree and blob of every snapshot is in the object
             store; every archive in the backup dir is read in full and checked against its
             manifest (sha256, size, type, link target, no missing or extra entry): each
             damage (truncated, a flipped byte, no manifest) is named.

Options:
  --against NAME  rollback, migration: the backup to compare with, or any commit
                  (origin/main, a tag, a SHA). Default: the baseline, the newest backup of
                  this branch from before the migration began (or pinned with 'backup
                  --baseline'); verify rollback after a rollback full: the backup it went
                  to. The line before the checks says which.
  --quick         backups: list the archives without reading them
  --json          print the checks and their failures as JSON (migration: every finding
                  with kind, declaration, field, before, after, file, line; backups:
                  {ok, branches, snapshots, archives})
  --format F      migration: text (default), json, or github (one GitHub Actions
                  annotation per error: ::error file=...,line=...::...)
  -C DIR          run in DIR

Environment:
  REORG_GUARD_PARSE_THREADS=N  migration: worker threads parsing .proto files beside
                  the main one, 0-3 (default: one a core beyond two, at most three)`,
  // quick: verify backups' option (commands/verify-backups.ts runs with these)
  positionals: true,
  options: { against: { type: 'string' }, format: { type: 'string' }, quick: { type: 'boolean' } },
  async run(ctx) {
    const [name, ...extra] = ctx.args;
    const entry = name === undefined ? undefined : CHECKS[name];
    if (!entry || extra.length) throw new UsageError(msg.verifyWhich(name ?? '', Object.keys(CHECKS)));
    if (ctx.values.format !== undefined && name !== 'migration') throw new UsageError(msg.verifyFormatOnlyMigration());
    return entry.run({ ...ctx, args: extra });
  },
};
export default verify;
