/** The diagnosis: facts read once, then each check in src/recover/findings/ says what it sees. */
import type { Workspace } from '../workspace.js';
import { currentBranch, headCommit } from '../git/repo.js';
import { backupsOfBranch, chooseBaseline } from '../rollback/baseline.js';
import { GitError } from '../git/exec.js';
import { listBackups, type BackupInfo } from '../backup/list.js';
import { listOperations } from '../state/journal.js';
import type { Check, Facts, Finding, Severity } from './findings/finding.js';
import { interruptedOperations, stashedWork } from './findings/operations.js';
import { recordedRuns } from './findings/runs.js';
import { migrationLayout } from './findings/layout.js';
import { configFiles } from './findings/config-files.js';
import { uncommittedWork } from './findings/uncommitted.js';
import { backupHealth } from './findings/backups.js';
import { hooksRunning } from './findings/hooks.js';
import { gitOperation } from './findings/git-operation.js';

/**
 * In the order a person should deal with them: git's own operation stopped halfway first (nothing
 * else is safe until it ends), then what was interrupted.
 */
const CHECKS: Check[] = [gitOperation, interruptedOperations, recordedRuns, stashedWork, migrationLayout, configFiles, uncommittedWork, backupHealth, hooksRunning];

const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

export async function readFacts({ repo, config }: Workspace): Promise<Facts> {
  let backups: BackupInfo[] | null = null;
  let backupsError: string | null = null;
  try {
    backups = await listBackups(repo, config);
  } catch (err) {
    if (!(err instanceof GitError)) throw err;
    backupsError = err.message; // e.g. "missing object ... for refs/reorg-guard/snapshots/..."
  }
  const [head, branch, operations] = await Promise.all([headCommit(repo), currentBranch(repo), listOperations(repo)]);
  // The findings compare with the baseline, as verify and rollback do.
  let baseline: BackupInfo | null = null;
  try {
    if (backups) baseline = (await chooseBaseline(repo, config, await backupsOfBranch(repo, config, backups, branch, head), head))?.backup ?? null;
  } catch (err) {
    if (!(err instanceof GitError)) throw err; // damaged backups: their own finding says so
  }
  return { repo, config, head, backups, backupsError, operations, baseline };
}

/** Every finding, most severe first (checks keep their order within a severity). */
export async function diagnose(ws: Workspace): Promise<Finding[]> {
  const facts = await readFacts(ws);
  const found = (await Promise.all(CHECKS.map((check) => check(facts)))).flat();
  return found.map((f, i) => [f, i] as const).sort(([a, i], [b, j]) => RANK[a.severity] - RANK[b.severity] || i - j).map(([f]) => f);
}

/** Something is wrong when any finding is more than information. */
export const somethingWrong = (findings: Finding[]) => findings.some((f) => f.severity !== 'info');
