/** `reorg-guard uninstall`: removes exactly what `init` added, and nothing else. */
import { existsSync, readdirSync, rmSync, rmdirSync } from 'node:fs';
import path from 'node:path';
import type { Repo } from '../../git/repo.js';
import { unsetLocalConfig } from '../../git/config.js';
import { msg } from '../../messages.js';
import { removeHookEnv } from '../env-file.js';
import { HOOK_NAMES } from '../run.js';
import { huskyFolderOf, removeHuskyBlock } from './husky.js';
import { uninstallNative } from './native.js';
import { readPackageJson, removeEntries, saveForUninstall } from './package-json.js';
import { readRecord, removeRecord, type InstallRecord } from './record.js';
import { newReport, type StepReport } from './report.js';

export async function uninstall(repo: Repo): Promise<StepReport> {
  const report = newReport();
  const record = readRecord(repo);
  const gitHooks = repo.hooksDir;

  // Our blocks in husky files (the husky folder is the parent of `_`, or .husky).
  const huskyDir = huskyFolderOf(gitHooks) ?? path.join(repo.top, '.husky');
  for (const hook of HOOK_NAMES) {
    removeHuskyBlock(huskyDir, hook, record.createdFiles.includes(path.relative(repo.top, path.join(huskyDir, hook))), report);
  }
  // Our hook files in git's own hooks directory (and the default one, if core.hooksPath moved since).
  for (const dir of new Set([gitHooks, path.join(repo.commonDir, 'hooks')])) {
    uninstallNative(dir, HOOK_NAMES, report);
    if (removeHookEnv(dir)) report.done.push(msg.uninstallRemoved(path.join(dir, 'reorg-guard.env')));
  }

  const pkg = readPackageJson(repo.top);
  if (pkg) {
    removeEntries(pkg, record, report);
    saveForUninstall(pkg, record);
    if (addedHusky(record) && !huskyInPackage(pkg.data)) await removeHuskySetup(repo, huskyDir, gitHooks, report);
  }
  for (const rel of record.createdDirs) {
    const dir = path.resolve(repo.top, rel);
    if (existsSync(dir) && readdirSync(dir).length === 0) {
      rmdirSync(dir);
      report.done.push(msg.uninstallRemoved(dir));
    }
  }
  removeRecord(repo);
  const relative = (line: string) => line.split(repo.top + path.sep).join('');
  return { done: report.done.map(relative), kept: report.kept.map(relative) };
}

/** init added husky itself (package.json without husky: the devDependency and "prepare"). */
const addedHusky = (record: InstallRecord) => record.packageEntries.some((e) => e.section === 'devDependencies' && e.key === 'husky');

const huskyInPackage = (data: Record<string, unknown>) =>
  ['dependencies', 'devDependencies'].some((s) => typeof data[s] === 'object' && data[s] !== null && 'husky' in (data[s] as object));

/**
 * What husky's own install (`npm install` running "prepare") set up after init added husky:
 * core.hooksPath pointing at `<husky dir>/_`, and that folder of husky's generated files. Both go
 * once husky is no longer in package.json, so the repository runs its hooks as before init.
 */
async function removeHuskySetup(repo: Repo, huskyDir: string, gitHooks: string, report: StepReport): Promise<void> {
  const generated = path.join(huskyDir, '_');
  if (gitHooks === generated && (await unsetLocalConfig(repo, 'core.hooksPath'))) report.done.push(msg.uninstallUnsetHooksPath());
  if (existsSync(path.join(generated, 'h'))) {
    rmSync(generated, { recursive: true, force: true });
    report.done.push(msg.uninstallRemoved(generated));
  }
}
