/** Every backup of this repository: branches (local, remote, unpushed), snapshots, archives. */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config.js';
import type { Repo } from '../git/repo.js';
import { listRefs } from '../git/refs.js';
import { STAMP_PATTERN, parseStamp } from '../util/time.js';
import { RECORD_PREFIX, SNAPSHOT_PREFIX, UNPUSHED_PREFIX, backupBranchPrefix, backupName, remoteBranchPrefix, remoteRecordPrefix, HEADS, trackingPrefix } from '../git/ref-names.js';
import { parseRecord, recordFromSnapshot, type BackupRecord } from './record.js';

export interface BackupInfo {
  name: string;
  /** Commit of the local branch, else of the remote-tracking one. */
  commit: string;
  date: string | null;
  local: boolean;
  /** The remote-tracking ref exists (as of the last push or fetch). */
  remote: boolean;
  unpushed: boolean;
  snapshot: string | null;
  /**
   * What took it, why, on which branch: from its record (this clone's, else the one fetched from
   * the remote), or for a backup made before records, what its snapshot says; null when unknown.
   */
  record: BackupRecord | null;
  /** This clone has the record ref (refs/reorg-guard/records/<name>): a push sends it along. */
  recordRef: string | null;
  /**
   * The commit this clone's record says it was taken at, when the branch has moved since (a
   * commit made on it, a reset): it no longer holds that state. Null otherwise.
   */
  movedFrom: string | null;
}

export interface ArchiveInfo {
  name: string;
  /**
   * The manifest names this work tree. False when it cannot tell (no or unreadable manifest,
   * or one made before manifests named their work tree): such an archive is listed and
   * verified, but never deleted by cleanup.
   */
  mine: boolean;
  path: string;
  size: number;
  date: string;
}

/** Orders backup names newest first: by timestamp, then by the -N suffix. */
export function byNewest(prefix: string) {
  const key = (name: string): [number, number] => {
    const rest = name.slice(prefix.length);
    const date = parseStamp(rest)?.getTime() ?? 0;
    const n = Number(/-(\d+)$/.exec(rest.slice(15))?.[1] ?? 1);
    return [date, n];
  };
  return (a: string, b: string) => {
    const [da, na] = key(a);
    const [db, nb] = key(b);
    return db - da || nb - na || (a < b ? 1 : -1);
  };
}

export async function listBackups(repo: Repo, config: Config): Promise<BackupInfo[]> {
  const local = backupBranchPrefix(config);
  const remote = remoteBranchPrefix(config);
  const records = remoteRecordPrefix(config);
  // One for-each-ref: the records' messages (and the snapshots', for backups made before records) come with it.
  const refs = await listRefs(repo, [local, remote, SNAPSHOT_PREFIX, UNPUSHED_PREFIX, RECORD_PREFIX, records], { messages: true });
  const map = new Map<string, BackupInfo>();
  const get = (name: string, commit: string): BackupInfo => {
    let b = map.get(name);
    if (!b) {
      const date = parseStamp(name.slice(config.branchPrefix.length));
      b = { name, commit, date: date?.toISOString() ?? null, local: false, remote: false, unpushed: false, snapshot: null, record: null, recordRef: null, movedFrom: null };
      map.set(name, b);
    }
    return b;
  };
  for (const r of refs) {
    if (r.ref.startsWith(local)) {
      const b = get(backupName(r.ref, HEADS), r.commit);
      b.local = true;
      b.commit = r.commit;
    } else if (r.ref.startsWith(remote)) get(backupName(r.ref, trackingPrefix(config.remote)), r.commit).remote = true;
  }
  for (const r of refs) {
    const snap = r.ref.startsWith(SNAPSHOT_PREFIX) ? backupName(r.ref, SNAPSHOT_PREFIX) : null;
    if (snap && map.has(snap)) map.get(snap)!.snapshot = r.ref;
    const unp = r.ref.startsWith(UNPUSHED_PREFIX) ? backupName(r.ref, UNPUSHED_PREFIX) : null;
    if (unp && map.get(unp)?.local) map.get(unp)!.unpushed = true;
  }
  // Records: this clone's own first, then the remote's, then what an older snapshot says.
  const fetched = new Map<string, BackupRecord | null>();
  for (const r of refs) {
    if (r.ref.startsWith(RECORD_PREFIX)) {
      const b = map.get(backupName(r.ref, RECORD_PREFIX));
      // a record is of the commit it was made for (its parent): a stale one of a reused name is not
      if (b && r.parents?.[0] === b.commit) {
        b.recordRef = r.ref;
        b.record = parseRecord(r.message ?? '');
      } else if (b?.local && r.parents?.[0]) b.movedFrom = r.parents[0];
    } else if (r.ref.startsWith(records)) {
      const b = map.get(backupName(r.ref, records));
      if (b && r.parents?.[0] === b.commit) fetched.set(b.name, parseRecord(r.message ?? ''));
    }
  }
  for (const r of refs) {
    if (!r.ref.startsWith(SNAPSHOT_PREFIX)) continue;
    const b = map.get(backupName(r.ref, SNAPSHOT_PREFIX));
    if (b && !b.record) b.record = fetched.get(b.name) ?? recordFromSnapshot(r.message ?? '');
  }
  for (const b of map.values()) if (!b.record) b.record = fetched.get(b.name) ?? null;
  const order = byNewest(config.branchPrefix);
  return [...map.values()].sort((a, b) => order(a.name, b.name));
}

export async function listArchives(repo: Repo, config: Config, dir = config.backupDir): Promise<ArchiveInfo[]> {
  // loaded here, not with this module: the archive code brings node-tar, which every command
  // that looks for a backup (findBackup) would load for nothing (about 70 ms of CPU)
  const [{ archivePrefix }, { readManifest }] = await Promise.all([import('./archive.js'), import('./read-manifest.js')]);
  const prefix = archivePrefix(repo);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const out: ArchiveInfo[] = [];
  for (const name of names) {
    // Exactly <prefix><YYYYMMDD_HHMMSS>[-N].tar.gz, as createArchive names them: cleanup deletes
    // what is listed here, so a look-alike ("...-old.tar.gz", "... copy.tar.gz") is not ours.
    if (!name.startsWith(prefix) || !new RegExp(`^${STAMP_PATTERN}\\.tar\\.gz$`).test(name.slice(prefix.length))) continue;
    if (!parseStamp(name.slice(prefix.length))) continue;
    const file = path.join(dir, name);
    const st = await stat(file).catch(() => null);
    if (!st?.isFile()) continue;
    // Same name, another repository (its folder has the same name): not ours to list or delete.
    const manifest = await readManifest(file);
    if (manifest?.repoPath && manifest.repoPath !== repo.top) continue;
    const mine = manifest?.repoPath === repo.top;
    out.push({ name, mine, path: file, size: st.size, date: (parseStamp(name.slice(prefix.length)) ?? st.mtime).toISOString() });
  }
  const order = byNewest(prefix);
  return out.sort((a, b) => order(a.name.replace(/\.tar\.gz$/, ''), b.name.replace(/\.tar\.gz$/, '')));
}
