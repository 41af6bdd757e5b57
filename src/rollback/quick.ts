/**
 * `rollback quick`: undo a reorganization that only added things. Config files come back from
 * their `*.backup` (or from the baseline when that is missing, or holds the new file's bytes:
 * overwritten by a second run of the step), the new layout root goes, and generated
 * files that belong to the new layout only go. The old layout is never touched: a generated
 * `pkg/<domain>/proto/x.pb.go` beside its `x.proto` stays.
 */
import { lstat } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config.js';
import type { Repo } from '../git/repo.js';
import { hashFiles, listTree } from '../git/tree.js';
import { listWorkFiles } from '../git/worktree.js';
import { OperationError } from '../errors.js';
import { msg } from '../messages.js';
import { layoutOf } from './layout.js';
import { emptyPlan, type Plan } from './plan.js';
import type { BackupTarget } from './backup-target.js';

async function modeOf(file: string): Promise<string> {
  const st = await lstat(file);
  if (st.isSymbolicLink()) return '120000';
  return st.mode & 0o111 ? '100755' : '100644';
}

/** `backup` is the newest backup, or null when there is none (then every `*.backup` must exist). */
export async function planQuick(repo: Repo, config: Config, backup: BackupTarget | null): Promise<Plan> {
  const layout = layoutOf(config);
  const work = await listWorkFiles(repo);
  const have = new Set(work);
  const backupFiles = backup ? await listTree(repo, backup.tree) : [];
  const inBackup = new Map(backupFiles.map((e) => [e.path, e]));

  // The old protos must all be here: otherwise removing the new layout would lose the only copy.
  const oldHere = work.filter(layout.isOldProto);
  const oldMissing = backupFiles.filter((e) => layout.isOldProto(e.path) && !have.has(e.path)).map((e) => e.path);
  if (oldHere.length === 0 || oldMissing.length > 0) {
    throw new OperationError(msg.quickOldProtosGone(oldMissing.length || null, config.oldLayout));
  }

  const plan = emptyPlan();
  const sources = config.configFiles.filter((c) => have.has(`${c}.backup`)).map((c) => `${c}.backup`);
  const current = await hashFiles(repo, [...sources, ...config.configFiles.filter((c) => have.has(c))]);
  for (const c of config.configFiles) {
    const saved = `${c}.backup`;
    // The same bytes as the new file: a second run of the migration's step copied the new
    // config over the saved one; the backup still has the file as it was.
    const overwritten = have.has(saved) && have.has(c) && current.get(saved) === current.get(c) && inBackup.has(c) && inBackup.get(c)!.blob !== current.get(c);
    if (overwritten) {
      plan.write.push({ ...inBackup.get(c)!, from: backup!.name });
      plan.delete.push(saved);
      plan.notes.push(msg.quickSavedOverwritten(c, backup!.name));
    } else if (have.has(saved)) {
      plan.write.push({ path: c, mode: await modeOf(path.join(repo.top, saved)), blob: current.get(saved)!, from: saved });
      plan.delete.push(saved);
    } else if (inBackup.has(c)) {
      if (current.get(c) !== inBackup.get(c)!.blob) plan.write.push({ ...inBackup.get(c)!, from: backup!.name });
      plan.notes.push(msg.quickConfigFromBackup(c, backup!.name));
    } else {
      plan.notes.push(msg.quickConfigNowhere(c));
    }
  }
  for (const p of work) {
    if (layout.inNewRoot(p)) plan.delete.push(p);
    else if (newGeneratedOnly(p)) plan.delete.push(p);
  }
  plan.delete.sort();
  return plan;

  /** A generated file outside the old layout, with no `.proto` beside it, that the backup did not have. */
  function newGeneratedOnly(p: string): boolean {
    const proto = layout.protoOf(p);
    if (!proto || layout.oldDomainOf(p) !== null) return false;
    return !have.has(proto) && !inBackup.has(p);
  }
}
