/**
 * `reorg-guard init`: installs the hooks where this repository runs its hooks, adds the npm
 * scripts and, when asked, a lint-staged entry. Running it twice changes nothing the second time.
 *
 * - husky in use (core.hooksPath is `<dir>/_`): a block in each `<dir>/<hook>`;
 * - package.json without husky: husky as a devDependency, `"prepare": "husky"`, `.husky/<hook>`
 *   blocks (`npm install` finishes the setup);
 * - no package.json: our hook files in git's hooks directory, foreign hooks chained.
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../../config.js';
import type { Repo } from '../../git/repo.js';
import { OperationError, UsageError } from '../../errors.js';
import { msg } from '../../messages.js';
import { writeHookEnv } from '../env-file.js';
import { HOOK_NAMES, hooksToInstall } from '../run.js';
import { lintStagedGlobs } from '../pathspec.js';
import { HOOK_SOURCE_DIR } from '../../paths.js';
import { SHARED_FILE } from './files.js';
import { addHuskyBlock, huskyBlockBody, huskyFolderOf, huskyHookRuns, huskyLine, removeHuskyBlock } from './husky.js';
import { installNative, removeNativeHooks } from './native.js';
import { NPM_SCRIPTS, addEntry, readPackageJson, saveForInit } from './package-json.js';
import { lintStagedChoice } from './lint-staged.js';
import { readRecord, writeRecord } from './record.js';
import { newReport, type StepReport } from './report.js';

export type InstallMode = 'husky' | 'package' | 'native';

export const HUSKY_VERSION = '^9.1.7';
export const LINT_STAGED_COMMAND = 'reorg-guard backup --reason lint-staged';

export interface InitResult extends StepReport {
  mode: InstallMode;
  /** Where the hooks are: the husky folder or git's hooks directory. */
  hooksAt: string;
  /** `npm install` must run before the hooks do (husky was just added). */
  needsInstall: boolean;
  /** The project's own `scripts.prepare`, kept, when it never runs husky: the hooks stay off until it does. */
  prepareWithoutHusky: string | null;
}

/** The husky folder when husky 9 is set up here (its runner `h` in core.hooksPath), else null. */
function huskyDirOf(repo: Repo): string | null {
  const dir = huskyFolderOf(repo.hooksDir);
  return dir !== null && existsSync(path.join(repo.hooksDir, 'h')) ? dir : null;
}

export async function init(repo: Repo, config: Config, opts: { lintStaged?: boolean } = {}): Promise<InitResult> {
  // A package without its hook files (an install that left hooks/ out) would install hooks
  // that cannot run: refuse before anything is written.
  if (![SHARED_FILE, ...HOOK_NAMES].every((f) => existsSync(path.join(HOOK_SOURCE_DIR, f)))) throw new OperationError(msg.initHooksMissing(HOOK_SOURCE_DIR));
  const report = newReport();
  const record = readRecord(repo);
  const pkg = readPackageJson(repo.top);
  if (opts.lintStaged && !pkg) throw new UsageError(msg.initLintStagedNeedsPackage());

  const husky = huskyDirOf(repo);
  const mode: InstallMode = husky ? 'husky' : pkg ? 'package' : 'native';
  const huskyDir = husky ?? path.join(repo.top, '.husky');
  let hooksAt: string;
  let prepareWithoutHusky: string | null = null;

  if (mode === 'native') {
    hooksAt = repo.hooksDir;
    installNative(hooksAt, hooksToInstall(config.strict), report);
    // Without strict, post-commit does the work: an older version's pre-commit goes.
    if (!config.strict) removeNativeHooks(hooksAt, ['pre-commit'], report, msg.initRemovedPreCommit);
    await writeHookEnv(repo, config, hooksAt);
  } else {
    hooksAt = huskyDir;
    if (!existsSync(huskyDir)) {
      mkdirSync(huskyDir, { recursive: true });
      record.createdDirs.push(path.relative(repo.top, huskyDir));
    }
    for (const hook of HOOK_NAMES) {
      let body = huskyLine(hook, path.relative(huskyDir, repo.top) || '.');
      const rel = path.relative(repo.top, path.join(huskyDir, hook));
      if (hook === 'pre-commit' && opts.lintStaged) {
        // lint-staged takes the pre-commit backup; add it to the hook unless it already runs.
        if (huskyHookRuns(huskyDir, hook, 'lint-staged')) continue;
        body = 'lint-staged';
      } else if (!hooksToInstall(config.strict).includes(hook)) {
        // Without strict, post-commit does the work: our pre-commit block (an older version's) goes.
        if (huskyBlockBody(huskyDir, hook) === body && removeHuskyBlock(huskyDir, hook, record.createdFiles.includes(rel), report, msg.initRemovedPreCommit)) {
          record.createdFiles = record.createdFiles.filter((f) => f !== rel);
        }
        continue;
      }
      if (addHuskyBlock(huskyDir, hook, body, report) && !record.createdFiles.includes(rel)) record.createdFiles.push(rel);
    }
    if (husky) await writeHookEnv(repo, config);
  }

  if (pkg) {
    if (mode === 'package') {
      addEntry(pkg, 'devDependencies', 'husky', HUSKY_VERSION, record, report);
      const prep = newReport();
      if (!addEntry(pkg, 'scripts', 'prepare', 'husky', record, prep)) {
        const own = (pkg.data.scripts as Record<string, unknown> | undefined)?.prepare;
        // husky's install runs from "prepare": a prepare of the project's own that never runs
        // husky leaves core.hooksPath unset, and no hook would ever run, silently
        if (typeof own === 'string' && !/(^|[\s;&|(])(npx\s+)?husky(\s|$|[;&|)])/.test(own)) prepareWithoutHusky = own;
        report.kept.push(...(prepareWithoutHusky !== null ? [msg.initPrepareWithoutHusky(prepareWithoutHusky)] : prep.kept));
      } else report.done.push(...prep.done);
    }
    // One line for the scripts, not eleven.
    const scripts = newReport();
    const added = Object.entries(NPM_SCRIPTS)
      .filter(([name, command]) => addEntry(pkg, 'scripts', name, command, record, scripts))
      .map(([name]) => name);
    if (added.length) report.done.push(msg.initAddedScripts(added));
    report.kept.push(...scripts.kept);
    if (opts.lintStaged) {
      const choice = lintStagedChoice(pkg, repo.top);
      if (choice.add) addEntry(pkg, 'devDependencies', 'lint-staged', choice.add, record, report);
      if (choice.warning) report.kept.push(choice.warning);
      for (const glob of lintStagedGlobs(config.guardedPaths)) addEntry(pkg, 'lint-staged', glob, LINT_STAGED_COMMAND, record, report);
    }
    saveForInit(pkg, record);
  }
  await writeRecord(repo, record);
  // Paths for people: relative to the top of the work tree.
  const relative = (line: string) => line.split(repo.top + path.sep).join('');
  report.done = report.done.map(relative);
  report.kept = report.kept.map(relative);
  const needsInstall = mode === 'package' && !existsSync(path.join(repo.top, 'node_modules', 'husky'));
  return { ...report, mode, hooksAt, needsInstall, prepareWithoutHusky };
}
