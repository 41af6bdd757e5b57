import type { Command } from './command.js';
import { openWorkspace } from '../workspace.js';
import { diagnose, somethingWrong } from '../recover/diagnose.js';
import { autoFix, menu } from '../recover/assistant.js';
import { findingsData, printFindings } from '../recover/report.js';

const recover: Command = {
  name: 'recover',
  help: `Usage: reorg-guard recover [--auto | --interactive] [--yes] [--json]

Diagnoses the repository: git's own rebase, merge, cherry-pick, revert or bisect stopped
halfway (first: deal with it before anything else), a migration in progress or half done
(copied, moved domain by domain, cleaned, finished, or losing protos, declarations or wire
compatibility), an interrupted or running reorg-guard operation, supervised runs still running or crashed,
config files renamed without a new one (or rewritten without a .backup), work moved out by
'emergency-stop --stash', hooks of 'init' that git does not run here, uncommitted changes,
no backup, unpushed or damaged backups, backups a cleanup deleted on the remote unasked.
Each finding has a severity, what it means, and the exact command that fixes it.

On a terminal it offers the fixes as a numbered menu and runs the chosen one, which asks
its own confirmation. Without a terminal it prints the report and exits: it never waits
for input.

Options:
  --auto         apply the safe fixes without asking (finishing an interrupted operation,
                 backing up, pushing); destructive ones only with --yes
  --interactive  the menu, reading choices from stdin even without a terminal
  -y, --yes      with --auto: also apply the destructive fixes; in the menu: apply a
                 destructive fix chosen without asking again
  --json         print {wrong, findings, applied}
  -C DIR         run in DIR

Exit code: 0 when nothing is wrong (information only), 1 otherwise.`,
  options: { auto: { type: 'boolean' }, yes: { type: 'boolean', short: 'y' }, interactive: { type: 'boolean' } },
  async run({ cwd, out, values, interactive }) {
    const ws = await openWorkspace(cwd);
    const yes = Boolean(values.yes);
    if (!values.auto && !out.json && (values.interactive || interactive)) return menu(ws, out, interactive, yes);
    const { findings, applied } = values.auto ? await autoFix(ws, out, yes) : { findings: await diagnose(ws), applied: [] };
    printFindings(out, findings);
    out.data({ wrong: somethingWrong(findings), findings: findingsData(findings), applied });
    return somethingWrong(findings) ? 1 : 0;
  },
};
export default recover;
