import type { Command } from './command.js';
import { openWorkspace } from '../workspace.js';
import { listBackups } from '../backup/list.js';
import { pushBackups } from '../backup/create.js';
import { msg } from '../messages.js';

const push: Command = {
  name: 'push',
  summary: 'push the backups recorded as unpushed',
  help: `Usage: reorg-guard push [--json]

Pushes every backup branch recorded as unpushed (no remote, remote down or push off when it
was made) to the configured remote in one push, and clears their records.

Options:
  --json  print {pushed, failed, error}
  -C DIR  run in DIR`,
  options: {},
  async run({ cwd, out }) {
    const { repo, config } = await openWorkspace(cwd);
    const names = (await listBackups(repo, config)).filter((b) => b.unpushed).map((b) => b.name);
    if (names.length === 0) {
      out.ok(msg.pushNothing());
      out.data({ pushed: [], failed: [], error: null });
      return 0;
    }
    const result = await pushBackups(repo, config, names, names);
    if (result.pushed.length) out.ok(msg.pushDone(result.pushed, config.remote));
    if (result.failed.length) out.warn(msg.pushFailed(result.failed, result.error ?? ''));
    out.data(result);
    return result.failed.length ? 1 : 0;
  },
};
export default push;
