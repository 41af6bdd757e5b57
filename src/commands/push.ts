import type { Command } from './command.js';
import { openWorkspace } from '../workspace.js';
import { pushBackups } from '../backup/create.js';
import { listBackups } from '../backup/list.js';
import { msg } from '../messages.js';

const push: Command = {
  name: 'push',
  summary: 'push backup branches recorded as unpushed',
  help: `Usage: reorg-guard push [--json]

Pushes, in one git push, every local backup branch recorded as unpushed (a backup taken
while the remote was down, missing or push was off). Branches that still fail stay
recorded. Exit 1 when some remain unpushed.

Options:
  --json  print {pushed: [...], failed: [...], error}
  -C DIR  run in DIR`,
  options: {},
  async run({ cwd, out }) {
    const { repo, config } = await openWorkspace(cwd);
    const unpushed = (await listBackups(repo, config)).filter((b) => b.unpushed);
    const names = unpushed.map((b) => b.name);
    const snapshots = unpushed.filter((b) => b.snapshot).map((b) => b.name);
    if (names.length === 0) {
      out.ok(msg.nothingToPush());
      out.data({ pushed: [], failed: [], error: null });
      return 0;
    }
    const result = await pushBackups(repo, config, names, snapshots);
    if (result.pushed.length) out.ok(msg.pushedBackups(result.pushed.length, config.remote));
    if (result.failed.length) out.warn(msg.pushFailed(result.failed.length, result.error ?? 'unknown'));
    out.data(result);
    return result.failed.length ? 1 : 0;
  },
};
export default push;
