import pc from '../ui/colors.js';
import type { Command } from './command.js';
import { openWorkspace } from '../workspace.js';
import { listArchives, listBackups } from '../backup/list.js';
import { currentBranch, headCommit } from '../git/repo.js';
import { backupsOfBranch, chooseBaseline } from '../rollback/baseline.js';
import { age, bytes } from '../util/time.js';
import { msg } from '../messages.js';

const list: Command = {
  name: 'list',
  help: `Usage: reorg-guard list [--json]

Lists every backup, newest first: backup branches (local, on the remote as last seen by a
push or fetch, unpushed), what took each (backup, post-commit, post-checkout, pre-rebase,
pre-commit, run, recover, ...) and why, the branch it was taken on, their snapshots of
uncommitted work, and this repository's archives in the backup dir with size and age. The
baseline, the backup verify and rollback compare with by default, is marked.

Options:
  --json  print {branches: [...], archives: [...], baseline: {name, why} | null}
  -C DIR  run in DIR`,
  options: {},
  async run({ cwd, out }) {
    const { repo, config } = await openWorkspace(cwd);
    const [branches, archives, branch, head] = await Promise.all([listBackups(repo, config), listArchives(repo, config), currentBranch(repo), headCommit(repo)]);
    const mine = await backupsOfBranch(repo, config, branches, branch, head);
    const baseline = await chooseBaseline(repo, config, mine, head);
    const ofBranch = new Set(mine.map((b) => b.name));
    out.data({
      branches: branches.map(({ recordRef: _, ...b }) => ({ ...b, ofThisBranch: ofBranch.has(b.name), baseline: b.name === baseline?.backup.name })),
      archives,
      baseline: baseline ? { name: baseline.backup.name, why: baseline.why } : null,
    });
    if (branches.length === 0 && archives.length === 0) {
      out.info(msg.noBackups());
      return 0;
    }
    if (branches.length) out.info(pc.bold('Backup branches'));
    for (const b of branches) {
      const where = [b.local ? 'local' : null, b.remote ? `on ${config.remote}` : null, b.unpushed ? pc.yellow('unpushed') : null]
        .filter(Boolean)
        .join(', ');
      const when = b.date ? `${age(new Date(b.date))} ago` : '';
      const mark = b.name === baseline?.backup.name ? `  ${pc.bold(msg.listBaseline(baseline.why))}` : '';
      out.info(`  ${b.name}  ${b.commit.slice(0, 10)}  ${where}${b.snapshot ? '  + snapshot' : ''}  ${pc.dim(when)}${mark}`);
      out.info(`      ${b.movedFrom ? pc.yellow(msg.listMoved(b.name, b.movedFrom)) : pc.dim(msg.listRecord(b.record?.trigger ?? null, b.record?.reason ?? null, b.record?.branch ?? null))}`);
    }
    if (baseline?.why === 'commit-before-migration') out.info(pc.bold(msg.listBaselineCommit(baseline.backup.name)));
    if (archives.length) out.info(pc.bold(`Archives in ${config.backupDir}`));
    for (const a of archives) out.info(`  ${a.name}  ${bytes(a.size)}  ${pc.dim(`${age(new Date(a.date))} ago`)}`);
    return 0;
  },
};
export default list;
