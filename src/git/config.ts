/** The repository's own git config (.git/config), for what init and uninstall change there. */
import { git } from './exec.js';
import type { Repo } from './repo.js';

/** Removes `key` from the repository's own config; false when it was not set there. */
export async function unsetLocalConfig(repo: Repo, key: string): Promise<boolean> {
  const { exitCode } = await git(repo, ['config', '--local', '--unset-all', key], { okExitCodes: [5] });
  return exitCode === 0;
}

/** What the tool reads of the config: the remotes' urls, core.autocrlf, core.attributesFile. */
export interface ConfigRead {
  /** Names of the remotes with a url. */
  remotes: Set<string>;
  /** core.autocrlf's value, when set. */
  autocrlf?: string;
  /** core.attributesFile's value, when set. */
  attributesFile?: string;
}

/** One read per repository opened: a rollback asks for a remote and for line-ending settings. */
const reads = new WeakMap<Repo, Promise<ConfigRead>>();

/**
 * The config values the tool decides on, in one `git config` for all (a command that asks for
 * a remote and for line endings started two). Read once per opened repository: a command's
 * own steps never change them.
 */
export function readConfig(repo: Repo): Promise<ConfigRead> {
  let read = reads.get(repo);
  if (!read) {
    read = configOnce(repo);
    reads.set(repo, read);
    read.catch(() => reads.delete(repo)); // a failure is the caller's; a later call asks again
  }
  return read;
}

async function configOnce(repo: Repo): Promise<ConfigRead> {
  // section and key names come lower-cased, a remote's name as it is
  const { stdout } = await git(repo, ['config', '-z', '--get-regexp', '^(remote\\..*\\.url|core\\.(autocrlf|attributesfile))$'], { okExitCodes: [1] });
  const out: ConfigRead = { remotes: new Set() };
  for (const rec of stdout.split('\0')) {
    if (!rec) continue;
    const nl = rec.indexOf('\n');
    const key = nl < 0 ? rec : rec.slice(0, nl);
    const value = nl < 0 ? null : rec.slice(nl + 1);
    // a key without a value (`autocrlf` alone on its line) is a boolean true to git
    if (key === 'core.autocrlf') out.autocrlf = value ?? 'true';
    else if (key === 'core.attributesfile' && value !== null) out.attributesFile = value;
    else if (key.startsWith('remote.') && key.endsWith('.url')) out.remotes.add(key.slice('remote.'.length, -'.url'.length));
  }
  return out;
}
