import type { Command } from './command.js';
import { openRepo } from '../git/repo.js';
import { uninstall } from '../hooks/install/uninstall.js';
import { msg } from '../messages.js';

const uninstallCommand: Command = {
  name: 'uninstall',
  help: `Usage: reorg-guard uninstall [--json]

Removes exactly what 'reorg-guard init' added: our hook files (a hook that was there before
is put back), our blocks in .husky/<hook> files (files init created are deleted when nothing
else is in them), reorg-guard.env, and the package.json entries init added, if they still
hold what init wrote. When init added husky, what husky's install set up goes too
(core.hooksPath and .husky/_), unless package.json still lists husky; folders init created
go once empty. Backups are not touched.

Options:
  --json  print {done, kept}
  -C DIR  run in DIR`,
  options: {},
  async run({ cwd, out }) {
    const repo = await openRepo(cwd);
    const result = await uninstall(repo);
    for (const line of result.done) out.ok(line);
    for (const line of result.kept) out.warn(line);
    if (result.done.length === 0) out.info(msg.uninstallNothing());
    out.data(result);
    return 0;
  },
};
export default uninstallCommand;
