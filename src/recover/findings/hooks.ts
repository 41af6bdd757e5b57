/**
 * The hooks git runs here: once `init` has run in the repository, a work tree whose commits
 * start no reorg-guard hook takes no backup by itself, silently. It happens to a linked worktree
 * added with `--no-checkout` (git runs no hook there, so nothing copies husky's folder), before
 * `npm install` in a fresh clone with husky, and when another tool points core.hooksPath away.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { initRan } from '../../hooks/install/record.js';
import { huskyFolderOf } from '../../hooks/install/husky.js';
import { msg } from '../../messages.js';
import { fix, type Check } from './finding.js';

/** The hook every setup installs: it takes the backup after a guarded commit. */
const HOOK = 'post-commit';

const mentionsUs = (file: string) => existsSync(file) && readFileSync(file, 'utf8').includes('reorg-guard');

export const hooksRunning: Check = async ({ repo }) => {
  if (!initRan(repo)) return [];
  const dir = repo.hooksDir;
  // husky 9: git runs <dir>/_/post-commit, husky's runner `h` runs <dir>/post-commit, where our block is
  const husky = huskyFolderOf(dir);
  const runs = husky
    ? existsSync(path.join(dir, HOOK)) && existsSync(path.join(dir, 'h')) && mentionsUs(path.join(husky, HOOK))
    : mentionsUs(path.join(dir, HOOK));
  if (runs) return [];
  const rel = path.relative(repo.top, dir) || dir;
  const huskyMissing = husky !== null && !existsSync(dir);
  return [{
    kind: 'hooks-not-running',
    severity: 'warning',
    title: msg.recHooksNotRunning(rel),
    meaning: huskyMissing ? msg.recHooksHuskyMissing(rel) : msg.recHooksElsewhere(rel),
    // husky's folder is npm install's to write; elsewhere init adds the hooks (foreign ones chained)
    fix: huskyMissing ? null : fix(['init'], false, false),
  }];
};
