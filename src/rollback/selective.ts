/**
 * `rollback selective`: one domain or one file back to the backup, everything else as it is.
 * - `--domain NAME`: the domain's folder in the new layout goes, its old-layout folder becomes
 *   what the backup holds, and so do the old folders of the domains merged into it (their
 *   protos are in that new folder: removing it alone would leave them nowhere).
 * - `--file PATH`: that path and its own generated siblings (`x.pb.go`, `x_grpc.pb.go` beside
 *   `x.proto`) become what the backup holds: restored when it has them, removed when not.
 */
import path from 'node:path';
import type { Config } from '../config.js';
import type { Repo } from '../git/repo.js';
import { listTree } from '../git/tree.js';
import { listWorkFiles } from '../git/worktree.js';
import { UsageError } from '../errors.js';
import { checkName, checkRepoPath } from '../util/validate.js';
import { msg } from '../messages.js';
import { layoutOf, type Layout } from './layout.js';
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
  const merged = mergedInto(layout, domain, newDir, work, backupFiles.map((e) => e.path));
  const oldDirs = [oldDir, ...merged.map((d) => layout.oldDir(d))];
  const files = await planMatchTree(repo, backup.tree, backup.name, (p) => oldDirs.some((dir) => p.startsWith(dir)));
  const plan = emptyPlan();
  plan.write = files.write;
  plan.delete = [...files.delete, ...work.filter((p) => p.startsWith(newDir))].sort();
  if (merged.length) plan.notes.push(msg.selectiveMergedDomains(domain, newDir, merged.map((d) => layout.oldDir(d))));
  return plan;
}

/**
 * The other old-layout domains whose protos the migration moved into `newDir` (domains merge:
 * auth, health, log -> common): removing `newDir` without bringing them back would leave their
 * protos nowhere. An old proto of the backup counts when it is gone from its place and a proto
 * of the same name is in `newDir` and in no other folder of the new layout (another domain's
 * file of the same name moved to its own new folder).
 */
function mergedInto(layout: Layout, domain: string, newDir: string, work: string[], backupFiles: string[]): string[] {
  const namesIn = (inside: boolean) =>
    new Set(work.filter((p) => layout.inNewRoot(p) && p.startsWith(newDir) === inside && layout.isProto(p)).map((p) => path.posix.basename(p)));
  const names = namesIn(true);
  if (names.size === 0) return [];
  const elsewhere = namesIn(false);
  const here = new Set(work);
  const domains = new Set<string>();
  for (const p of backupFiles) {
    const d = layout.oldDomainOf(p);
    if (d === null || d === domain || domains.has(d) || !layout.isProto(p) || here.has(p)) continue;
    const name = path.posix.basename(p);
    if (names.has(name) && !elsewhere.has(name)) domains.add(d);
  }
  return [...domains].sort();
}

export async function planFile(repo: Repo, config: Config, backup: BackupTarget, file: string): Promise<Plan> {
  const layout = layoutOf(config);
  const target = checkRepoPath(file);
  const [work, backupFiles] = await Promise.all([listWorkFiles(repo), listTree(repo, backup.tree)]);
  if (!work.includes(target) && !backupFiles.some((e) => e.path === target)) throw new UsageError(msg.unknownFile(target, backup.name));
  const scope = new Set([target, ...(layout.isProto(target) ? layout.generatedOf(target) : [])]);
  const files = await planMatchTree(repo, backup.tree, backup.name, (p) => scope.has(p));
  // a path written where a folder is now: the folder's files go with it, and the plan says so
  const inside = work.filter((p) => files.write.some((w) => p.startsWith(`${w.path}/`)));
  return { ...emptyPlan(), write: files.write, delete: [...new Set([...files.delete, ...inside])].sort() };
}
