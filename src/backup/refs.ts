/** Where backups live in the ref namespace. */
import type { Config } from '../config.js';

export const SNAPSHOT_PREFIX = 'refs/reorg-guard/snapshots/';
export const UNPUSHED_PREFIX = 'refs/reorg-guard/unpushed/';
export const SAFETY_PREFIX = 'refs/reorg-guard/safety/';
/** A backup's record (what took it, when, why, on which branch), pushed and fetched with it. */
export const RECORD_PREFIX = 'refs/reorg-guard/records/';

export const branchRef = (name: string) => `refs/heads/${name}`;
export const snapshotRef = (name: string) => `${SNAPSHOT_PREFIX}${name}`;
export const unpushedRef = (name: string) => `${UNPUSHED_PREFIX}${name}`;
export const recordRef = (name: string) => `${RECORD_PREFIX}${name}`;
/** Where a fetch puts the remote's records (like remote-tracking branches: never over this clone's own). */
export const remoteRecordPrefix = (config: Pick<Config, 'remote'>) => `refs/reorg-guard/remote-records/${config.remote}/`;
export const backupBranchPrefix = (config: Config) => `refs/heads/${config.branchPrefix}`;
export const remoteBranchPrefix = (config: Config) => `refs/remotes/${config.remote}/${config.branchPrefix}`;

/** The backup name of a ref under any of the prefixes above (`refs/heads/x` → `x`). */
export function backupName(ref: string, prefix: string): string {
  return ref.startsWith(prefix) ? ref.slice(prefix.length) : ref;
}
