/**
 * `verify migration`: did the reorganization keep every top-level declaration? The backup's
 * declarations are compared with the current tree's by kind and name (a migration may change
 * packages). Once the new layout holds protos, the old layout is left out of the current side:
 * the originals are about to be cleaned up, so the new layout must hold everything.
 * Files that two source files were written onto are named with both sources.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Config } from '../config.js';
import type { Repo } from '../git/repo.js';
import { listTree } from '../git/tree.js';
import { checkoutTreeTo, listWorkFiles } from '../git/worktree.js';
import { msg } from '../messages.js';
import { layoutOf } from './layout.js';
import { parseDeclarations, type Declaration } from './proto-declarations.js';
import { check, verification, type Verification } from './check.js';
import type { BackupTarget } from './backup-target.js';

export interface MigrationReport extends Verification {
  declarations: { backup: number; current: number };
  lost: Declaration[];
  collisions: Array<{ file: string; sources: string[] }>;
}

async function readDeclarations(root: string, files: string[]): Promise<Declaration[]> {
  const all = await Promise.all(files.map(async (f) => parseDeclarations(await readFile(path.join(root, f), 'utf8'), f)));
  return all.flat();
}

const key = (d: Declaration) => `${d.kind} ${d.name}`;

export async function verifyMigration(repo: Repo, config: Config, backup: BackupTarget): Promise<MigrationReport> {
  const layout = layoutOf(config);
  const backupProtos = (await listTree(repo, backup.tree)).map((e) => e.path).filter(layout.isProto);
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'reorg-guard-protos-'));
  let before: Declaration[];
  try {
    await checkoutTreeTo(repo, backup.tree, backupProtos, tmp);
    before = await readDeclarations(tmp, backupProtos);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  const workProtos = (await listWorkFiles(repo)).filter(layout.isProto);
  const migrated = workProtos.some(layout.inNewRoot);
  const now = await readDeclarations(repo.top, migrated ? workProtos.filter((p) => !layout.isOldProto(p)) : workProtos);

  const present = new Set(now.map(key));
  const lost = before.filter((d) => !present.has(key(d)));

  // Where each current file's declarations came from; then the lost files that share its name.
  const origin = new Map(before.map((d) => [key(d), d.file]));
  const sources = new Map<string, Set<string>>();
  for (const d of now) {
    const from = origin.get(key(d));
    if (from) sources.set(d.file, (sources.get(d.file) ?? new Set()).add(from));
  }
  const lostFiles = new Set(lost.map((d) => d.file));
  const collisions: MigrationReport['collisions'] = [];
  for (const [file, from] of sources) {
    const base = path.posix.basename(file);
    const overwritten = [...lostFiles].filter((f) => path.posix.basename(f) === base && !from.has(f));
    if (overwritten.length) collisions.push({ file, sources: [...from, ...overwritten].sort() });
  }
  collisions.sort((a, b) => (a.file < b.file ? -1 : 1));

  const v = verification(backup.name, [
    check('declarations-kept', msg.verifyDeclarationsTitle(), lost.map((d) => msg.verifyLostDeclaration(d.kind, d.name, d.package, d.file))),
    check('no-collisions', msg.verifyCollisionsTitle(), collisions.map((c) => msg.verifyCollision(c.file, c.sources))),
  ]);
  return { ...v, declarations: { backup: before.length, current: now.length }, lost, collisions };
}
