/**
 * Every name reorg-guard gives refs: its own namespace `refs/reorg-guard/*` and the backup
 * branches' prefixes. The one place they are spelled; everything else builds them here.
 */
import type { Config } from '../config.js';

const OURS = 'refs/reorg-guard/';
export const SNAPSHOT_PREFIX = `${OURS}snapshots/`;
export const UNPUSHED_PREFIX = `${OURS}unpushed/`;
/** Safety snapshots of destructive commands, one per journaled operation. */
export const SAFETY_PREFIX = `${OURS}safety/`;
/** A backup's record (what took it, when, why, on which branch), pushed and fetched with it. */
export const RECORD_PREFIX = `${OURS}records/`;
/** Where a stray that could not be pushed back keeps its commit (`reorg-guard push` sends it). */
export const STRAY_PREFIX = `${OURS}strays/`;
/** Scratch refs of one prune push (leases and kept values), removed when it is done. */
export const PRUNE_SCRATCH_PREFIX = `${OURS}prune/`;

/** git's own namespace of branches. */
export const HEADS = 'refs/heads/';
export const branchRef = (name: string) => `${HEADS}${name}`;
export const snapshotRef = (name: string) => `${SNAPSHOT_PREFIX}${name}`;
export const unpushedRef = (name: string) => `${UNPUSHED_PREFIX}${name}`;
export const recordRef = (name: string) => `${RECORD_PREFIX}${name}`;
/** Where a fetch puts the remote's records (like remote-tracking branches: never over this clone's own). */
export const remoteRecordPrefix = (config: Pick<Config, 'remote'>) => `${OURS}remote-records/${config.remote}/`;
/** The remote-tracking branches of `remote` (`refs/remotes/origin/`). */
export const trackingPrefix = (remote: string) => `refs/remotes/${remote}/`;
export const backupBranchPrefix = (config: Pick<Config, 'branchPrefix'>) => branchRef(config.branchPrefix);
export const remoteBranchPrefix = (config: Pick<Config, 'remote' | 'branchPrefix'>) => `${trackingPrefix(config.remote)}${config.branchPrefix}`;

/** The backup name of a ref under any of the prefixes above (`refs/heads/x` → `x`). */
export function backupName(ref: string, prefix: string): string {
  return ref.startsWith(prefix) ? ref.slice(prefix.length) : ref;
}
