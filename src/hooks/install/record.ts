/**
 * What `init` added, so that `uninstall` removes exactly that: kept under the git common dir
 * (`reorg-guard/install.json`), never in the work tree.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Repo } from '../../git/repo.js';
import { stateDir } from '../../state/paths.js';
import { writeAtomic } from '../../state/atomic.js';

export interface PackageEntry {
  section: string;
  key: string;
  value: string;
}

export interface InstallRecord {
  /** Files init created (relative to the work tree top, or absolute outside it). */
  createdFiles: string[];
  /** Folders init created. */
  createdDirs: string[];
  /** package.json entries init wrote (e.g. section `scripts`, key `backup`). */
  packageEntries: PackageEntry[];
  /** package.json sections init created (`scripts`, `devDependencies`, `lint-staged`). */
  packageSections: string[];
  /** package.json as it was before init first changed it, byte for byte: uninstall puts it back when nothing else changed. */
  packageJsonBefore?: string;
  /** package.json as init last wrote it: only a file still in that form is put back byte for byte. */
  packageJsonWritten?: string;
}

export const emptyRecord = (): InstallRecord => ({ createdFiles: [], createdDirs: [], packageEntries: [], packageSections: [] });

const file = (repo: Repo) => path.join(stateDir(repo), 'install.json');

/** `init` has run in this repository (its record is there, whatever it installed). */
export const initRan = (repo: Repo) => existsSync(file(repo));

export function readRecord(repo: Repo): InstallRecord {
  const f = file(repo);
  if (!existsSync(f)) return emptyRecord();
  try {
    return { ...emptyRecord(), ...(JSON.parse(readFileSync(f, 'utf8')) as Partial<InstallRecord>) };
  } catch {
    return emptyRecord();
  }
}

export async function writeRecord(repo: Repo, record: InstallRecord): Promise<void> {
  await writeAtomic(file(repo), JSON.stringify(record, null, 2) + '\n');
}

export function removeRecord(repo: Repo): void {
  rmSync(file(repo), { force: true });
}
