/**
 * Deleting many refs on a remote in one push that costs the same for 10 refs or 10,000.
 *
 * `git push origin :a :b ...` matches every refspec against every ref the remote advertises
 * (six formatted candidates each), so a push of 1,000 deletions to a remote with 1,000 refs
 * spends seconds on the client before it sends anything. `--prune` with one pattern per
 * namespace has no such cost. It is made exact and safe like this:
 *
 * - The pattern's source is a scratch namespace holding only the refs to keep, at the values
 *   seen on the remote: they are "up to date", and every other ref under the pattern is pruned.
 * - `--force-with-lease` guards every pruned ref: it is deleted only when the remote still has
 *   the value this clone expects, read from the lease ref (`leasePrefix` + name, for branches
 *   the remote-tracking ref; set here to the value seen on the remote when it differs). A ref
 *   that appeared on the remote since it was listed has no lease ref and is refused as stale;
 *   one that moved since is refused too.
 * - The push goes through a scratch remote that is a copy of the configured one (its URLs)
 *   with fetch refspecs mapping each namespace to its lease refs; git removes the lease refs of
 *   the refs it deleted, as `git push origin :x` removes origin/x.
 * - `--atomic` makes the remote apply all deletions in one ref transaction. When the remote
 *   cannot, or one ref is refused (which fails an atomic push whole), it is pushed again
 *   without `--atomic`, so that the rest still goes.
 * - A ref deleted that was not asked for (possible only if a lease ref was written by a fetch
 *   running at the same moment) is pushed back at once, from the value its lease ref had; if
 *   that fails, a local ref keeps its commit and the caller names it.
 * - Scratch refs are written fresh for every push, in one transaction that also removes any
 *   an interrupted run left: a stale "keep" value would otherwise be pushed.
 */
import { git, GitError, reason } from './exec.js';
import { PRUNE_SCRATCH_PREFIX, STRAY_PREFIX } from './ref-names.js';
import { objectTypes, refTargets } from './objects.js';
import { updateRefs, type RefUpdate } from './refs.js';
import { NO_PROMPT, parsePorcelain, type PushResult } from './remote.js';
import type { Repo } from './repo.js';
import { escapeRegExp } from '../util/glob.js';

export interface PruneNamespace {
  /** Ref prefix on the remote, e.g. `refs/heads/proto-reorg-backup-`. */
  remotePrefix: string;
  /**
   * Local prefix whose refs hold the remote's values, e.g. `refs/remotes/origin/proto-reorg-backup-`;
   * without one, scratch refs made for this push.
   */
  leasePrefix?: string;
}

export interface PruneRequest {
  namespaces: PruneNamespace[];
  /** Every ref seen on the remote under the namespaces (one ls-remote), ref → commit. */
  seen: Map<string, string>;
  /** The refs among `seen` to delete. */
  drop: Set<string>;
  /** Network timeout of each push (config `networkTimeout`). */
  timeoutMs: number;
}

const SCRATCH_REMOTE = 'reorg-guard-prune';

/** A ref deleted on the remote without being asked for, that could not be pushed back. */
export interface Stray {
  ref: string;
  commit: string;
  /** The local ref that keeps its commit. */
  keptAt: string;
}
/** Settings of a remote that say where and how to push; fetch, push and mirror settings are left out. */
const REMOTE_KEYS = new Set(['url', 'pushurl', 'receivepack', 'proxy', 'proxyauthmethod', 'vcs']);

const keepPrefix = (i: number) => `${PRUNE_SCRATCH_PREFIX}keep/${i}/`;

/** Deletes `drop` on the remote in one push (two when the atomic one is refused); see above. */
export async function pruneRemoteRefs(repo: Repo, remote: string, req: PruneRequest): Promise<Omit<PushResult, 'taken'> & { unrestored: Stray[] }> {
  const refs = new Map<string, boolean>([...req.drop].map((r) => [r, false]));
  if (req.drop.size === 0) return { refs, error: null, unrestored: [] };
  const { seen, drop } = req;
  const namespaces = req.namespaces.map((ns, i) => ({ remotePrefix: ns.remotePrefix, leasePrefix: ns.leasePrefix ?? `${PRUNE_SCRATCH_PREFIX}lease/${i}/` }));
  const nsOf = (ref: string) => namespaces.findIndex((ns) => ref.startsWith(ns.remotePrefix));
  const leaseOf = (ref: string, i: number) => namespaces[i].leasePrefix + ref.slice(namespaces[i].remotePrefix.length);

  const leases = await refTargets(repo, namespaces.map((ns) => ns.leasePrefix));
  const present = await objectTypes(repo, [...seen.values()]);
  const setup = new Map<string, string>();
  for (const [ref, commit] of seen) {
    const i = nsOf(ref);
    if (i < 0 || !present.get(commit)) continue; // without the object no ref can hold it: the lease refuses
    if (leases.get(leaseOf(ref, i)) !== commit) setup.set(leaseOf(ref, i), commit);
    if (!drop.has(ref)) setup.set(keepPrefix(i) + ref.slice(namespaces[i].remotePrefix.length), commit);
  }
  // Scratch refs an interrupted run left behind would be pushed as "keep" values: they go in
  // the same transaction, so that the push sees exactly what was planned now, or nothing runs.
  const leftover = [...(await refTargets(repo, [PRUNE_SCRATCH_PREFIX])).keys()].filter((ref) => !setup.has(ref));
  const updates: RefUpdate[] = [
    ...[...setup].map(([ref, value]) => ({ op: 'update', ref, value }) as RefUpdate),
    ...leftover.map((ref) => ({ op: 'delete', ref }) as RefUpdate),
  ];
  if (!(await updateRefs(repo, updates, 'reorg-guard cleanup: what the remote has'))) {
    throw new GitError(['update-ref'], 1, 'the refs this push needs changed while they were written: run it again');
  }
  const before = await refTargets(repo, namespaces.map((ns) => ns.leasePrefix));

  try {
    const env = { ...NO_PROMPT, ...(await scratchRemoteConfig(repo, remote, namespaces)) };
    const specs = namespaces.map((ns, i) => `${keepPrefix(i)}*:${ns.remotePrefix}*`);
    const push = (atomic: boolean) =>
      git(repo, ['push', '--porcelain', '--progress', '--no-verify', '--prune', '--force-with-lease', ...(atomic ? ['--atomic'] : []), SCRATCH_REMOTE, ...specs], {
        env,
        okExitCodes: [1],
        timeoutMs: req.timeoutMs,
      });
    let error: string | null = null;
    let deleted = new Set<string>();
    const why = new Map<string, string>();
    for (const atomic of [true, false]) {
      try {
        const res = await push(atomic);
        const report = parsePorcelain(res.stdout);
        deleted = new Set([...report].filter(([, r]) => r.flag === '-').map(([ref]) => ref));
        for (const [ref, r] of report) if (r.flag === '!') why.set(ref, r.summary);
        error = res.exitCode === 0 ? null : reason(res.stderr) || 'push rejected';
      } catch (err) {
        if (!(err instanceof GitError)) throw err;
        error = err.message;
      }
      if (error === null || deleted.size > 0) break;
    }
    for (const ref of deleted) if (refs.has(ref)) refs.set(ref, true);
    const strays = [...deleted].filter((r) => !drop.has(r)).map((ref) => ({ ref, commit: before.get(leaseOf(ref, nsOf(ref))) ?? null }));
    const unrestored = await restoreStrays(repo, env, strays, req.timeoutMs);
    const failed = [...refs].filter(([, ok]) => !ok).map(([ref]) => ref);
    // git's own words for a refused ref ("[rejected] (stale info)", "[remote rejected] (deletion prohibited)")
    const reasons = [...new Set(failed.map((ref) => why.get(ref)).filter(Boolean))];
    return { refs, error: failed.length ? (reasons.length ? reasons.join('; ') : error ?? 'push rejected') : null, unrestored };
  } finally {
    const scratch = await refTargets(repo, [PRUNE_SCRATCH_PREFIX]);
    await updateRefs(repo, [...scratch.keys()].map((ref) => ({ op: 'delete', ref }) as RefUpdate), 'reorg-guard cleanup: done');
  }
}

/**
 * The scratch remote, as GIT_CONFIG_* variables (after any the caller's environment has): the
 * configured remote's URLs and transport settings, and one fetch refspec per namespace.
 */
async function scratchRemoteConfig(repo: Repo, remote: string, namespaces: Required<PruneNamespace>[]): Promise<Record<string, string>> {
  const prefix = `remote.${remote}.`;
  const { stdout } = await git(repo, ['config', '-z', '--get-regexp', `^${escapeRegExp(prefix)}`], { okExitCodes: [1] });
  const pairs: [string, string][] = [];
  for (const record of stdout.split('\0')) {
    const nl = record.indexOf('\n');
    const key = nl < 0 ? record : record.slice(0, nl);
    const sub = key.slice(prefix.length).toLowerCase();
    if (key.toLowerCase().startsWith(prefix.toLowerCase()) && REMOTE_KEYS.has(sub)) pairs.push([`remote.${SCRATCH_REMOTE}.${sub}`, record.slice(nl + 1)]);
  }
  for (const ns of namespaces) pairs.push([`remote.${SCRATCH_REMOTE}.fetch`, `+${ns.remotePrefix}*:${ns.leasePrefix}*`]);
  const start = Number(process.env.GIT_CONFIG_COUNT) || 0;
  const env: Record<string, string> = { GIT_CONFIG_COUNT: String(start + pairs.length) };
  pairs.forEach(([k, v], i) => {
    env[`GIT_CONFIG_KEY_${start + i}`] = k;
    env[`GIT_CONFIG_VALUE_${start + i}`] = v;
  });
  return env;
}

/**
 * Pushes back refs that were deleted without being asked for, at the values their lease refs
 * had. One that cannot be pushed back is kept under refs/reorg-guard/strays/ (so its commit
 * stays) and returned, for the caller to name.
 */
async function restoreStrays(repo: Repo, env: Record<string, string>, strays: { ref: string; commit: string | null }[], timeoutMs: number): Promise<Stray[]> {
  const known = strays.filter((s): s is { ref: string; commit: string } => s.commit !== null);
  if (known.length === 0) return [];
  let back = new Map<string, boolean>();
  try {
    const res = await git(repo, ['push', '--porcelain', '--progress', '--no-verify', SCRATCH_REMOTE, ...known.map((s) => `${s.commit}:${s.ref}`)], { env, okExitCodes: [1], timeoutMs });
    back = new Map([...parsePorcelain(res.stdout)].map(([ref, r]) => [ref, r.flag !== '!']));
  } catch (err) {
    if (!(err instanceof GitError)) throw err;
  }
  const lost = known.filter((s) => !back.get(s.ref)).map((s) => ({ ...s, keptAt: `${STRAY_PREFIX}${s.ref.slice('refs/'.length)}` }));
  if (lost.length) await updateRefs(repo, lost.map((s) => ({ op: 'update', ref: s.keptAt, value: s.commit }) as RefUpdate), 'reorg-guard cleanup: deleted unasked');
  return lost;
}
