/**
 * Where the migration stands, told from the files: the old layout (`oldLayout`, e.g.
 * pkg/<domain>/proto/) as HEAD (or, once HEAD has none, the newest backup) knows it, against
 * what the work tree holds now, and whether the new layout (`newRoot`) holds any .proto.
 *
 *   new absent, old complete      -> before the migration: nothing to say
 *   new present, old complete     -> copied, not yet cleaned: normal mid-migration
 *   new present, whole old domains gone, the others complete -> moving domain by domain
 *   new present, old partly gone  -> cleanup half done
 *   new present, old gone         -> old layout removed: only `rollback full` goes back
 *   new absent, old (partly) gone -> protos lost from both layouts
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../../config.js';
import { filesAt } from '../../git/worktree.js';
import { commitInfo } from '../../git/tree.js';
import { GitError } from '../../git/exec.js';
import { verifyMigration } from '../../rollback/verify-migration.js';
import { layoutOf, type Layout } from '../../rollback/layout.js';
import { msg } from '../../messages.js';
import { fix, type Check, type Facts, type Finding } from './finding.js';

/** The old-layout .proto paths in `rev`. */
async function oldProtos(facts: Facts, layout: Layout, rev: string): Promise<string[]> {
  return (await filesAt(facts.repo, rev, layout.oldRoot || '.')).filter(layout.isOldProto);
}

/** How many .proto files the new layout holds in the work tree. */
function newProtoCount(top: string, config: Config): number {
  const dir = path.join(top, config.newRoot);
  if (!existsSync(dir)) return 0;
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((p) => p.endsWith('.proto')).length;
}

/**
 * `verify migration` of the work tree against `against` (a commit, or a backup's snapshot): the
 * declarations missing from the work tree, and the other errors (fields, enum values, rpcs
 * changed; files that do not parse), what clients would see, as its sentences.
 */
async function migrationErrors(facts: Facts, against: string, name = against): Promise<{ lost: string[]; changed: string[] }> {
  const { tree } = await commitInfo(facts.repo, against);
  const report = await verifyMigration(facts.repo, facts.config, { name, commit: against, snapshot: null, tree });
  const changed = report.findings.filter((f) => f.severity === 'error' && !f.kind.startsWith('declaration-'));
  return { lost: report.lost.map((d) => `${d.kind} ${d.name}`), changed: changed.map((f) => f.message) };
}

/**
 * The old-layout domains whose protos are all gone (`moved`), those with some gone and some left
 * (`partly`), and how many there are: a migration that moves one domain at a time leaves no
 * `partly`. `partlyGone`: the missing paths of the `partly` domains.
 */
function byDomain(layout: Layout, expected: string[], missing: string[]): { moved: string[]; partly: string[]; partlyGone: string[]; total: number } {
  const gone = new Set(missing);
  const domainOf = new Map<string, string>();
  const domains = new Map<string, { all: number; gone: number }>();
  for (const p of expected) {
    const d = layout.oldDomainOf(p) ?? '';
    domainOf.set(p, d);
    const c = domains.get(d) ?? { all: 0, gone: 0 };
    c.all++;
    if (gone.has(p)) c.gone++;
    domains.set(d, c);
  }
  const of = (test: (c: { all: number; gone: number }) => boolean) => [...domains].filter(([, c]) => test(c)).map(([d]) => d).sort();
  const partly = of((c) => c.gone > 0 && c.gone < c.all);
  return { moved: of((c) => c.gone === c.all), partly, partlyGone: missing.filter((p) => partly.includes(domainOf.get(p)!)), total: domains.size };
}

export const migrationLayout: Check = async (facts) => {
  const { repo, config, head, backups, baseline } = facts;
  const layout = layoutOf(config);
  // The baseline's state (the last before the migration began); else HEAD, else the newest backup.
  let reference = baseline ? (baseline.snapshot ?? baseline.commit) : head;
  let expected = reference
    ? await oldProtos(facts, layout, reference).catch((err) => {
        // a damaged snapshot (its own finding says so): the baseline's commit
        if (!(err instanceof GitError) || !baseline) throw err;
        reference = baseline.commit;
        return oldProtos(facts, layout, reference);
      })
    : [];
  const newest = backups?.[0];
  if (expected.length === 0 && !baseline && newest) {
    reference = newest.commit;
    expected = await oldProtos(facts, layout, newest.commit);
  }
  if (!reference || expected.length === 0) return [];
  const missing = expected.filter((p) => !existsSync(path.join(repo.top, p)));
  const copied = newProtoCount(repo.top, config);
  if (copied === 0 && missing.length === 0) return [];

  const found: Finding[] = [];
  const verify = fix(['verify', 'migration']);
  const rollbackFull = fix(['rollback', 'full'], true, false);
  if (copied === 0) {
    found.push({ kind: 'protos-lost', severity: 'error', title: msg.recProtosLost(missing.length, expected.length, config.newRoot),
      meaning: msg.recProtosLostMeaning(missing.slice(0, 3)), fix: rollbackFull });
    return found;
  }
  const { lost, changed } = await migrationErrors(facts, reference, baseline?.name ?? reference);
  if (lost.length) {
    found.push({ kind: 'migration-loses-declarations', severity: 'error', title: msg.recDeclarationsLost(lost.length),
      meaning: msg.recDeclarationsLostMeaning(lost.slice(0, 5)),
      fix: missing.length === 0 ? fix(['rollback', 'quick'], true, false) : rollbackFull });
  }
  if (changed.length) {
    found.push({ kind: 'migration-changes-wire', severity: 'error', title: msg.recWireChanged(changed.length),
      meaning: msg.recWireChangedMeaning(changed.slice(0, 3)), fix: verify });
  }
  // old-layout files gone: with declarations lost only rollback full brings them back, else verify says what is left
  const next = lost.length ? rollbackFull : verify;
  if (missing.length === 0) {
    found.push({ kind: 'mid-migration', severity: 'info', title: msg.recMidMigration(copied, config.newRoot, expected.length),
      meaning: msg.recMidMigrationMeaning(), fix: lost.length ? null : verify });
  } else if (missing.length < expected.length) {
    const { moved, partly, partlyGone, total } = byDomain(layout, expected, missing);
    if (partly.length === 0) {
      // whole domains moved, the others not yet: a migration done domain by domain, not a cleanup that stopped
      found.push({ kind: 'migration-by-domain', severity: 'info', title: msg.recByDomain(moved, total, config.newRoot),
        meaning: msg.recByDomainMeaning(), fix: next });
    } else {
      found.push({ kind: 'old-layout-partly-removed', severity: 'warning', title: msg.recOldPartlyRemoved(missing.length, expected.length),
        meaning: msg.recOldPartlyRemovedMeaning(partlyGone.slice(0, 3)), fix: next });
    }
  } else if (lost.length || (head !== null && (reference === head || (await oldProtos(facts, layout, head)).length > 0))) {
    // HEAD still has the old layout: its removal is not committed yet
    found.push({ kind: 'old-layout-removed', severity: 'warning', title: msg.recOldRemoved(expected.length, copied, config.newRoot),
      meaning: msg.recOldRemovedMeaning(), fix: next });
  } else {
    found.push({ kind: 'migration-finished', severity: 'info', title: msg.recMigrationFinished(copied, config.newRoot), meaning: msg.recMigrationFinishedMeaning(changed.length), fix: null });
  }
  return found;
};
