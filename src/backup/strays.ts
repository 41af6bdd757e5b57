/**
 * Strays: remote backup refs a cleanup deleted without being asked for (another clone pushed
 * them during the cleanup) and could not push back at once. Their commits are kept under
 * refs/reorg-guard/strays/<ref without "refs/">; `reorg-guard push` sends them back.
 */
import type { Config } from '../config.js';
import type { Repo } from '../git/repo.js';
import { refTargets } from '../git/objects.js';
import { updateRefs, type RefUpdate } from '../git/refs.js';
import { STRAY_PREFIX } from '../git/ref-names.js';

export interface StrayRef {
  /** The local ref keeping the commit. */
  keptAt: string;
  /** The remote ref it was. */
  ref: string;
}

export async function listStrays(repo: Repo): Promise<StrayRef[]> {
  return [...(await refTargets(repo, [STRAY_PREFIX])).keys()].map((keptAt) => ({ keptAt, ref: `refs/${keptAt.slice(STRAY_PREFIX.length)}` }));
}

/** Pushes every stray back (never forced), in one push; the ones the remote took are forgotten here. */
export async function pushStrays(repo: Repo, config: Config, strays: StrayRef[]): Promise<{ back: string[]; failed: string[]; error: string | null }> {
  if (strays.length === 0) return { back: [], failed: [], error: null };
  const { pushRefs } = await import('../git/remote.js');
  const res = await pushRefs(repo, config.remote, strays.map((s) => `${s.keptAt}:${s.ref}`), config.networkTimeout * 1000);
  const back = strays.filter((s) => res.refs.get(s.ref) === true);
  await updateRefs(repo, back.map((s) => ({ op: 'delete', ref: s.keptAt }) as RefUpdate), 'reorg-guard push: stray back on the remote');
  return { back: back.map((s) => s.ref), failed: strays.filter((s) => !back.includes(s)).map((s) => s.ref), error: res.error };
}
