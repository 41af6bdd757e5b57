/**
 * `rollback selective`: one domain or one file back to the backup, everything else as it is.
 * - `--domain NAME`: the domain's folder in the new layout goes, its old-layout folder becomes
 *   what the backup holds.
 * - `--file PATH`: that path and its own generated siblings (`x.pb.go`, `x_grpc.pb.go` beside
 *   `x.proto`) become what the backup holds: restored when it has them, removed when not.
 */
import type { Config } from '../config.js';
import type { Repo } from '../git/repo.js';
import { listTree } from '../git/tree.js';
import { listWorkFiles } from '../git/worktree.js';
import { UsageError } from '../errors.js';
import { checkName, checkRepoPath } from '../util/validate.js';
import { msg } from '../messages.js';
import { layoutOf } from './layout.js';
import { planMatchTree } from './restore-snapshot.js';
import { emptyPlan, type Plan } from './plan.js';
import type { BackupTarget } from './backup-target.js';

/** Checks a domain name before anything else is looked at. */
export function checkDomain(name: string): string {
  checkName('domain', name);
  if (name.includes('/') || name === '.' || name === '..') throw new UsageError(msg.badDomain(name));
  return name;
}

export async function planDomain(repo: Repo, config: Config, backup: BackupTarget, domain: string): Promise<Plan> {
  const layout = layoutOf(config);
  const oldDir = layout.oldDir(domain);
  const newDir = `${layout.newRoot}${domain}/`;
  const [work, backupFiles] = await Promise.all([listWorkFiles(repo), listTree(repo, backup.tree)]);
  const known = [...work, ...backupFiles.map((e) => e.path)].some((p) => p.startsWith(oldDir) || p.startsWith(newDir));
  if (!known) throw new UsageError(msg.unknownDomain(domain, oldDir, newDir));
  const files = await planMatchTree(repo, backup.tree, backup.name, (p) => p.startsWith(oldDir));
  const plan = emptyPlan();
  plan.write = files.write;
  plan.delete = [...files.delete, ...work.filter((p) => p.startsWith(newDir))].sort();
  return plan;
}

export async function planFile(repo: Repo, config: Config, backup: BackupTarget, file: string): Promise<Plan> {
  const layout = layoutOf(config);
  const target = checkRepoPath(file);
  const [work, backupFiles] = await Promise.all([listWorkFiles(repo), listTree(repo, backup.tree)]);
  if (!work.includes(target) && !backupFiles.some((e) => e.path === target)) throw new UsageError(msg.unknownFile(target, backup.name));
  const scope = new Set([target, ...(layout.isProto(target) ? layout.generatedOf(target) : [])]);
  const files = await planMatchTree(repo, backup.tree, backup.name, (p) => scope.has(p));
  return { ...emptyPlan(), ...files };
}
