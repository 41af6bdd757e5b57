/**
 * Repositories set up the way a team using reorg-guard has them: a package.json and a
 * node_modules holding the real husky 9 and lint-staged 16 (linked from this package's own
 * node_modules: no registry) and reorg-guard itself (this repository, built).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { BACKUP_BRANCHES, testEnv, type RunResult, type TestRepo } from './repo.js';
import { linkPackages } from '../../scripts/lib/link-packages.js';

/** Runs a command in the repo as a user would (git with its hooks, husky, lint-staged). */
export function run(repo: TestRepo, cmd: string, args: string[], env: Record<string, string> = {}): RunResult {
  const r = spawnSync(cmd, args, { cwd: repo.dir, env: testEnv(env), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** `git <args>` with its hooks; returns the result instead of throwing. */
export const gitRun = (repo: TestRepo, args: string[], env: Record<string, string> = {}) => run(repo, 'git', args, env);

/** Writes the files, stages everything and runs `git commit` with its hooks; `out` is stdout + stderr. */
export function commit(repo: TestRepo, files: Record<string, string>, env: Record<string, string> = {}) {
  for (const [rel, text] of Object.entries(files)) repo.write(rel, text);
  repo.git('add', '-A');
  const r = gitRun(repo, ['commit', '-q', '-m', `change ${Object.keys(files).join(' ')}`], env);
  return { ...r, out: r.stdout + r.stderr };
}

/** Local backup branch names, oldest first. */
export function backupBranches(repo: TestRepo): string[] {
  const out = repo.git('for-each-ref', '--format=%(refname:short)', BACKUP_BRANCHES);
  return out ? out.split('\n').sort() : [];
}

/** package.json (ignoring node_modules) and node_modules with husky, lint-staged and reorg-guard. */
export function makeNpmProject(repo: TestRepo, pkg: Record<string, unknown> = {}): void {
  repo.write('package.json', JSON.stringify({ name: 'team-repo', version: '1.0.0', private: true, ...pkg }, null, 2) + '\n');
  repo.write('.gitignore', 'node_modules\n');
  linkPackages(repo.dir);
  repo.git('add', '-A');
  repo.git('commit', '-q', '-m', 'npm project');
}

/** What `npm install` does for husky: its prepare script, `husky`. */
export function runHuskyPrepare(repo: TestRepo): void {
  const r = run(repo, 'node_modules/.bin/husky', []);
  if (r.code !== 0 || r.stdout.trim()) throw new Error(`husky failed: ${r.stdout}${r.stderr}`);
}

export const readJson = (repo: TestRepo, rel: string) => JSON.parse(readFileSync(path.join(repo.dir, rel), 'utf8'));
