/** reorg-guard's own state: under the git common dir, so linked worktrees share it. */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Repo } from '../git/repo.js';

export function stateDir(repo: Repo): string {
  const dir = path.join(repo.commonDir, 'reorg-guard');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}
