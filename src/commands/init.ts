import type { Command } from './command.js';
import { openWorkspace } from '../workspace.js';
import { init } from '../hooks/install/init.js';
import { msg } from '../messages.js';

const initCommand: Command = {
  name: 'init',
  help: `Usage: reorg-guard init [--lint-staged] [--json]

Installs the hooks that back up by themselves (post-commit, post-checkout, pre-rebase,
pre-push; pre-commit too with "strict": true, and an older version's pre-commit goes without
it) into this repository, and the npm scripts (backup, backup:archive,
rollback:quick, rollback:full, rollback:selective, rollback:verify, migration:verify,
backups:verify, backups:cleanup, recover, emergency-stop). Running it twice changes nothing
the second time; 'reorg-guard uninstall' removes exactly what it added.

  husky in use            a marked block in each .husky/<hook>; what is there stays
  package.json, no husky  adds husky (devDependency, "prepare": "husky") and .husky/<hook>
                          files; 'npm install' finishes the setup
  no package.json         hook files in git's hooks directory; a hook that is there already
                          is kept as <hook>.before-reorg-guard and run first

An npm script that exists with another command is kept and reported, never overwritten.

Options:
  --lint-staged  back up before commits through lint-staged (16.x) instead: a lint-staged
                 entry for the guarded paths running 'reorg-guard backup --reason lint-staged'
  --json         print {mode, hooksAt, done, kept, needsInstall, prepareWithoutHusky}
  -C DIR         run in DIR`,
  options: { 'lint-staged': { type: 'boolean' } },
  async run({ cwd, out, values }) {
    const { repo, config } = await openWorkspace(cwd);
    const result = await init(repo, config, { lintStaged: Boolean(values['lint-staged']) });
    for (const line of result.done) out.ok(line);
    for (const line of result.kept) out.warn(line);
    out.info(result.done.length ? msg.initDone(result.mode, result.hooksAt) : msg.initNothing(result.hooksAt));
    if (result.needsInstall && result.prepareWithoutHusky === null) out.info(msg.initRunNpmInstall());
    out.data(result);
    return 0;
  },
};
export default initCommand;
