/** What a diagnosis finds: one problem (or state worth knowing), what it means, and its fix. */
import type { Config } from '../../config.js';
import type { Repo } from '../../git/repo.js';
import type { BackupInfo } from '../../backup/list.js';
import type { Operation } from '../../state/journal.js';

/** error: work is at risk now. warning: something is unfinished or unsafe. info: a state worth knowing. */
export type Severity = 'error' | 'warning' | 'info';

export interface Fix {
  /** reorg-guard arguments, e.g. ['undo', '<id>']. */
  argv: string[];
  /** Changes the work tree, refs or processes: needs a confirmation (or --yes). */
  destructive: boolean;
  /** `recover --auto` may apply it without --yes (finishing an interrupted undo is the one such destructive fix). */
  auto: boolean;
}

export interface Finding {
  /** Stable kind, e.g. `interrupted-operation`, for scripts. */
  kind: string;
  severity: Severity;
  title: string;
  meaning: string;
  fix: Fix | null;
  /** What applying the fix would throw away that was made after the problem (named so nobody loses it unknowingly). */
  discards?: string[];
}

/** What every finding may look at, read once per diagnosis. */
export interface Facts {
  repo: Repo;
  config: Config;
  head: string | null;
  /** Backups, newest first; null when the backup refs cannot be read (damaged). */
  backups: BackupInfo[] | null;
  /** Why the backup refs could not be read. */
  backupsError: string | null;
  operations: Operation[];
  /** This branch's baseline (see rollback/baseline.ts), null when it has none. */
  baseline: BackupInfo | null;
}

export type Check = (facts: Facts) => Promise<Finding[]>;

export const fix = (argv: string[], destructive = false, auto = !destructive): Fix => ({ argv, destructive, auto });

/** The command line a user would type for a fix. */
export function fixCommand(f: Fix): string {
  return ['reorg-guard', ...f.argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`))].join(' ');
}
