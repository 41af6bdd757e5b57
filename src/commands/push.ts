import type { Command } from './command.js';
import { openWorkspace } from '../workspace.js';
import { pushBackupsRenamingTaken } from '../backup/create.js';
import { listBackups } from '../backup/list.js';
import { listStrays, pushStrays } from '../backup/strays.js';
import { msg } from '../messages.js';

const push: Command = {
  name: 'push',
  help: `Usage: reorg-guard push [--json]

Pushes, in one git push, every local backup branch recorded as unpushed (a backup taken
while the remote was down, missing or push was off). Branches that still fail stay
recorded; one the remote refuses because another clone pushed a backup of the same name
(taken in the same second) takes the next free name and is pushed under it. Also pushes
back the backups a cleanup deleted on the remote without meaning to and could not push
back then (kept under refs/reorg-guard/strays/). Exit 1 when a branch or such a backup
could not be pushed.

Options:
  --json  print {pushed: [...], failed: [...], error, renamed: [[old, new]],
          strays: {back, failed, error}}
  -C DIR  run in DIR`,
  options: {},
  async run({ cwd, out }) {
    const { repo, config } = await openWorkspace(cwd);
    const unpushed = (await listBackups(repo, config)).filter((b) => b.unpushed);
    const names = unpushed.map((b) => b.name);
    const snapshots = unpushed.filter((b) => b.snapshot).map((b) => b.name);
    const strays = await pushStrays(repo, config, await listStrays(repo));
    if (strays.back.length) out.ok(msg.straysBack(strays.back, config.remote));
    if (strays.failed.length) out.warn(msg.straysFailed(strays.failed, strays.error ?? 'rejected'));
    if (names.length === 0) {
      if (!strays.back.length && !strays.failed.length) out.ok(msg.nothingToPush());
      out.data({ pushed: [], failed: [], error: null, strays });
      return strays.failed.length ? 1 : 0;
    }
    const result = await pushBackupsRenamingTaken(repo, config, names, snapshots, { records: unpushed.filter((b) => b.recordRef).map((b) => b.name) });
    for (const [old, name] of result.renamed) out.warn(msg.backupRenamedTaken(old, name, config.remote));
    if (result.pushed.length) out.ok(msg.pushedBackups(result.pushed.length, config.remote));
    if (result.failed.length) out.warn(msg.pushFailed(result.failed.length, result.error ?? 'unknown'));
    out.data({ ...result, strays });
    return result.failed.length || strays.failed.length ? 1 : 0;
  },
};
export default push;
