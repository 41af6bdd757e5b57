/**
 * Plain git hooks, for a repository without package.json: our hook files go into git's hooks
 * directory. A hook that is there and not ours is renamed `<hook>.before-reorg-guard` and run
 * by ours first (chained), never overwritten.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import path from 'node:path';
import { msg } from '../../messages.js';
import { FOREIGN_SUFFIX, SHARED_FILE, hookSource, isOurHook } from './files.js';
import type { StepReport } from './report.js';

function writeIfChanged(file: string, text: string, mode: number): boolean {
  if (existsSync(file) && readFileSync(file, 'utf8') === text) return false;
  writeFileSync(file, text, { mode });
  chmodSync(file, mode);
  return true;
}

export function installNative(dir: string, hooks: string[], report: StepReport): void {
  mkdirSync(dir, { recursive: true });
  if (writeIfChanged(path.join(dir, SHARED_FILE), hookSource(SHARED_FILE), 0o644)) report.done.push(msg.initWrote(path.join(dir, SHARED_FILE)));
  for (const name of hooks) {
    const file = path.join(dir, name);
    if (existsSync(file) && !isOurHook(readFileSync(file, 'utf8'))) {
      if (existsSync(file + FOREIGN_SUFFIX)) {
        report.kept.push(msg.initForeignClash(file, file + FOREIGN_SUFFIX));
        continue;
      }
      renameSync(file, file + FOREIGN_SUFFIX);
      report.done.push(msg.initChained(file, file + FOREIGN_SUFFIX));
    }
    if (writeIfChanged(file, hookSource(name), 0o755)) report.done.push(msg.initWrote(file));
  }
}

/** Removes our hook files among `hooks` (a chained foreign hook is put back); `removed` says why, per file. */
export function removeNativeHooks(dir: string, hooks: string[], report: StepReport, removed = msg.uninstallRemoved): void {
  for (const name of hooks) {
    const file = path.join(dir, name);
    if (existsSync(file) && isOurHook(readFileSync(file, 'utf8'))) {
      rmSync(file);
      report.done.push(removed(file));
      if (existsSync(file + FOREIGN_SUFFIX)) {
        renameSync(file + FOREIGN_SUFFIX, file);
        report.done.push(msg.uninstallRestored(file));
      }
    }
  }
}

export function uninstallNative(dir: string, hooks: string[], report: StepReport): void {
  removeNativeHooks(dir, hooks, report);
  const shared = path.join(dir, SHARED_FILE);
  if (existsSync(shared)) {
    rmSync(shared);
    report.done.push(msg.uninstallRemoved(shared));
  }
}
