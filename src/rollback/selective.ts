/**
 * `rollback selective`: one domain or one file back to the backup, everything else as it is.
 * - `--domain NAME`: the domain's folder in the new layout goes, its old-layout folder becomes
 *   what the backup holds, and so do the old folders of the domains merged into it (their
 *   protos are in that new folder: removing it alone would leave them nowhere). A domain merged
 *   into another: its protos' copies in that one's new folder go too.
 * - `--file PATH`: that path and its own generated siblings (`x.pb.go`, `x_grpc.pb.go` beside
 *   `x.proto`) become what the backup holds: restored when it has them, removed when not.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.js';
import type { Repo } from '../git/repo.js';
import { listTree, type TreeEntry } from '../git/tree.js';
import { readBlobs } from '../git/objects.js';
import { listWorkFiles } from '../git/worktree.js';
import { UsageError } from '../errors.js';
import { checkName, checkRepoPath } from '../util/validate.js';
import { msg } from '../messages.js';
import { layoutOf, type Layout } from './layout.js';
import { planMatchTree } from './restore-snapshot.js';
import { emptyPlan, type Plan } from './plan.js';
import type { BackupTarget } from './backup-target.js';
import { append } from '../util/group.js';

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
  const [files, copies] = await Promise.all([
    planMatchTree(repo, backup.tree, backup.name, (p) => oldDirs.some((dir) => p.startsWith(dir))),
    movedCopies(repo, layout, domain, newDir, work, backupFiles),
  ]);
  const plan = emptyPlan();
  plan.write = files.write;
  // the new folder's files, or the folder itself when it is a link (to the old folder, say): the link goes, never what it points to
  const inNewDir = work.filter((p) => p.startsWith(newDir) || p === newDir.slice(0, -1));
  plan.delete = [...new Set([...files.delete, ...inNewDir, ...copies])].sort();
  if (merged.length) plan.notes.push(msg.selectiveMergedDomains(domain, newDir, merged.map((d) => layout.oldDir(d))));
  const into = [...new Set(copies.map((p) => `${layout.newRoot}${p.slice(layout.newRoot.length).split('/')[0]}/`))];
  if (into.length) plan.notes.push(msg.selectiveMovedCopies(domain, oldDir, into, copies.length));
  return plan;
}

/** A proto's text without its `package` line: the migration rewrites it when it moves a file. */
const withoutPackage = (text: string) => text.replace(/^[ \t]*package[ \t]+[\w.]+[ \t]*;[^\n]*\n?/m, '');

/**
 * Where domains merged (auth -> common), `domain`'s protos live on in another domain's new folder:
 * rolling the domain back brings its old folder back, so those copies go, or each of its messages
 * would be declared twice. A new-layout proto outside `newDir` is such a copy when its name is that
 * of one of the domain's old protos in the backup and of no other domain's there; or, when another
 * domain had a file of that name too (the merge wrote one onto the other), when its text, its
 * `package` line aside, is the domain's file.
 */
async function movedCopies(repo: Repo, layout: Layout, domain: string, newDir: string, work: string[], backupFiles: TreeEntry[]): Promise<string[]> {
  const byName = new Map<string, TreeEntry[]>();
  for (const e of backupFiles) {
    if (!layout.isOldProto(e.path)) continue;
    const name = path.posix.basename(e.path);
    append(byName, name, e);
  }
  const mine = (e: TreeEntry) => layout.oldDomainOf(e.path) === domain;
  const sure: string[] = [];
  const ask: Array<[string, TreeEntry[]]> = [];
  for (const p of work) {
    if (!layout.inNewRoot(p) || p.startsWith(newDir) || !layout.isProto(p)) continue;
    const olds = byName.get(path.posix.basename(p)) ?? [];
    if (!olds.some(mine)) continue;
    if (olds.every(mine)) sure.push(p);
    else ask.push([p, olds.filter(mine)]);
  }
  if (ask.length === 0) return sure;
  const blobs = await readBlobs(repo, ask.flatMap(([, olds]) => olds.map((e) => e.blob)));
  const same = ([p, olds]: [string, TreeEntry[]]) => {
    const text = withoutPackage(readFileSync(path.join(repo.top, p), 'utf8'));
    return olds.some((e) => withoutPackage(blobs.get(e.blob)?.toString('utf8') ?? '') === text);
  };
  return [...sure, ...ask.filter(same).map(([p]) => p)];
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
