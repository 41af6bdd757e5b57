/** `reorg-guard uninstall`: removes exactly what `init` added, and nothing else. */
import { existsSync, readdirSync, rmdirSync } from 'node:fs';
import path from 'node:path';
import type { Repo } from '../../git/repo.js';
import { msg } from '../../messages.js';
import { hooksDir, removeHookEnv } from '../env-file.js';
import { HOOK_NAMES } from '../run.js';
import { removeHuskyBlock } from './husky.js';
import { uninstallNative } from './native.js';
import { readPackageJson, removeEntries, savePackageJson } from './package-json.js';
import { readRecord, removeRecord } from './record.js';
import { newReport, type StepReport } from './report.js';

export async function uninstall(repo: Repo): Promise<StepReport> {
  const report = newReport();
  const record = readRecord(repo);
  const gitHooks = await hooksDir(repo);

  // Our blocks in husky files (the husky folder is the parent of `_`, or .husky).
  const huskyDir = path.basename(gitHooks) === '_' ? path.dirname(gitHooks) : path.join(repo.top, '.husky');
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
    savePackageJson(pkg);
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
