/**
 * husky: a marker-delimited block in `.husky/<hook>`, created if absent, appended otherwise;
 * what was there is never touched. The block runs our hook file from the installed package.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { msg } from '../../messages.js';
import { shQuote } from '../env-file.js';
import type { StepReport } from './report.js';

/**
 * husky 9 points core.hooksPath at `<husky folder>/_` (its runner `h` and the files git runs are
 * there; the hook files people edit, where our block goes, are in the husky folder): that folder,
 * or null when `hooksDir` is not such a `_`.
 */
export const huskyFolderOf = (hooksDir: string): string | null => (path.basename(hooksDir) === '_' ? path.dirname(hooksDir) : null);

export const BEGIN = "# >>> reorg-guard (added by 'reorg-guard init'; 'reorg-guard uninstall' removes it)";
const END = '# <<< reorg-guard';
const BLOCK = /# >>> reorg-guard[^\n]*\n[\s\S]*?# <<< reorg-guard\n?/;

/**
 * The block's body: our hook file from node_modules (in a linked worktree that has none, the
 * main work tree's, or, in a worktree of a bare repository, the hook file's own work tree's or the
 * one that wrote reorg-guard.env), told where husky keeps reorg-guard.env. `top`: the way from the
 * husky folder up to the top of the work tree.
 * When that file is gone (the package removed without 'reorg-guard uninstall', or installed
 * without its hooks/ folder), one line says so and git goes on, unless the config was strict.
 * husky runs the file with `sh -e`: no command here may fail but the one that blocks.
 */
export function huskyLine(hook: string, top = '..'): string {
  const file = `node_modules/reorg-guard/hooks/${hook}`;
  return [
    `rg=${file}`,
    // a linked worktree without its own node_modules: the main work tree's; in a worktree of a
    // bare repository (no main work tree), the one whose hooks git runs (`git worktree add`
    // runs post-checkout from the work tree it was started in), else the CLI reorg-guard.env names
    '[ -f "$rg" ] || rg="$(git rev-parse --path-format=absolute --git-common-dir 2>/dev/null || :)/../$rg"',
    `[ -f "$rg" ] || rg="\${0%/*}/${top}/${file}"`,
    `[ -f "$rg" ] || ! [ -f "\${0%/*}/_/reorg-guard.env" ] || rg="$(. "\${0%/*}/_/reorg-guard.env"; echo "\${rg_cli%/dist/cli.js}")/hooks/${hook}"`,
    'if [ -f "$rg" ]; then RG_ENV="${0%/*}/_/reorg-guard.env" sh "$rg" "$@"',
    'elif [ "${REORG_GUARD-}" != 0 ]; then',
    `  echo ${shQuote(msg.hookFileMissing(file, `.husky/${hook}`))} >&2`,
    `  if grep -qsx 'rg_strict=1' "\${0%/*}/_/reorg-guard.env"; then echo ${shQuote(msg.hookFileMissingStrict())} >&2; exit 1; fi`,
    'fi',
  ].join('\n');
}

const block = (body: string) => `${BEGIN}\n${body}\n${END}\n`;

/** Adds (or updates) our block in `<huskyDir>/<hook>`. Returns true when it created the file. */
export function addHuskyBlock(huskyDir: string, hook: string, body: string, report: StepReport): boolean {
  const file = path.join(huskyDir, hook);
  const text = existsSync(file) ? readFileSync(file, 'utf8') : null;
  const want = block(body);
  if (text === null) {
    writeFileSync(file, want, { mode: 0o755 });
    report.done.push(msg.initWrote(file));
    return true;
  }
  const current = BLOCK.exec(text)?.[0];
  if (current === want) return false;
  const next = current !== undefined ? text.replace(BLOCK, want) : `${text}${text && !text.endsWith('\n') ? '\n' : ''}${want}`;
  writeFileSync(file, next);
  report.done.push(msg.initAddedBlock(file));
  return false;
}

/** The body of our block in `<huskyDir>/<hook>`, or null when there is none. */
export function huskyBlockBody(huskyDir: string, hook: string): string | null {
  const file = path.join(huskyDir, hook);
  const current = existsSync(file) ? BLOCK.exec(readFileSync(file, 'utf8'))?.[0] : undefined;
  return current === undefined ? null : current.replace(/^[^\n]*\n/, '').replace(/\n?# <<< reorg-guard\n?$/, '');
}

/** True when a husky hook file already runs `what` outside our block (e.g. lint-staged). */
export function huskyHookRuns(huskyDir: string, hook: string, what: string): boolean {
  const file = path.join(huskyDir, hook);
  return existsSync(file) && readFileSync(file, 'utf8').replace(BLOCK, '').includes(what);
}

/**
 * Removes our block; deletes the file when init created it and nothing else is left (`removed`
 * says why). True when the file is gone.
 */
export function removeHuskyBlock(huskyDir: string, hook: string, created: boolean, report: StepReport, removed = msg.uninstallRemoved): boolean {
  const file = path.join(huskyDir, hook);
  if (!existsSync(file)) return false;
  const text = readFileSync(file, 'utf8');
  if (!BLOCK.test(text)) return false;
  const rest = text.replace(BLOCK, '');
  if (created && rest.trim() === '') {
    rmSync(file);
    report.done.push(removed(file));
    return true;
  } else {
    writeFileSync(file, rest);
    report.done.push(msg.uninstallRemovedBlock(file));
    return false;
  }
}
