/**
 * `verify rollback`: is the repository back where the backup was? Each check names every
 * failure it finds; the old `x.pb.go` → `x.pb.proto` mistake is not repeated.
 */
import type { Config } from '../config.js';
import type { Repo } from '../git/repo.js';
import { listTree } from '../git/tree.js';
import { diffWorkTree, listWorkFiles } from '../git/worktree.js';
import { msg } from '../messages.js';
import { layoutOf } from './layout.js';
import { check, verification, type Verification } from '../util/check.js';
import type { BackupTarget } from './backup-target.js';

export async function verifyRollback(repo: Repo, config: Config, backup: BackupTarget): Promise<Verification> {
  const layout = layoutOf(config);
  const [work, backupFiles, diff] = await Promise.all([listWorkFiles(repo), listTree(repo, backup.tree), diffWorkTree(repo, backup.tree)]);
  const have = new Set(work);
  const status = new Map<string, 'changed' | 'missing' | 'extra'>();
  for (const p of diff.changed) status.set(p, 'changed');
  for (const p of diff.missing) status.set(p, 'missing');
  for (const p of diff.extra) status.set(p, 'extra');

  const newProtos = work.filter((p) => layout.inNewRoot(p) && layout.isProto(p));
  const configs = config.configFiles.filter((c) => status.has(c)).map((c) => msg.verifyAgainstBackup(c, status.get(c)!));
  const oldBefore = backupFiles.filter((e) => layout.isOldProto(e.path)).map((e) => e.path);
  const oldNow = work.filter(layout.isOldProto);
  const oldMissing = oldBefore.filter((p) => !have.has(p));
  const oldCount = oldNow.length === oldBefore.length && oldMissing.length === 0 ? [] : [msg.verifyOldCount(oldNow.length, oldBefore.length), ...oldMissing.map((p) => msg.verifyMissing(p))];
  const orphans = work
    .map((p) => [p, layout.protoOf(p)] as const)
    .filter(([, proto]) => proto !== null && !have.has(proto))
    .map(([p, proto]) => msg.verifyNoProtoBeside(p, proto!));
  const guarded = [...status.keys()].filter(layout.isGuarded).sort().map((p) => msg.verifyAgainstBackup(p, status.get(p)!));

  return verification(backup.name, [
    check('new-layout-empty', msg.verifyNewLayoutTitle(layout.newRoot), newProtos.map((p) => msg.verifyStillThere(p))),
    check('config-files', msg.verifyConfigTitle(config.configFiles), configs),
    check('old-protos', msg.verifyOldProtosTitle(config.oldLayout), oldCount),
    check('generated-siblings', msg.verifySiblingsTitle(), orphans),
    check('guarded-paths', msg.verifyGuardedTitle(config.guardedPaths), guarded),
  ]);
}
