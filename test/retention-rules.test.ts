/** Retention's rules alone: a pure function of the facts, no git, no file system. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { decideRetention, type RetentionFacts, type RetentionRules } from '../src/backup/retention.js';
import { DEFAULTS } from '../src/config.js';

const P = DEFAULTS.branchPrefix;
const NOW = new Date('2026-12-01T12:00:00Z');
const name = (day: number) => `${P}202611${String(day).padStart(2, '0')}_120000`;
const C = (n: number) => String(n).repeat(40).slice(0, 40);

/** Backups on days 1..n, local and on the remote at the same commit. */
function facts(n: number, extra: Partial<RetentionFacts> = {}): RetentionFacts {
  const localRefs = new Map<string, string>();
  const remoteRefs = new Map<string, string>();
  for (let d = 1; d <= n; d++) {
    localRefs.set(`refs/heads/${name(d)}`, C(d));
    localRefs.set(`refs/remotes/origin/${name(d)}`, C(d));
    remoteRefs.set(`refs/heads/${name(d)}`, C(d));
  }
  return {
    branchPrefix: P,
    remote: 'origin',
    localRefs,
    remoteRefs,
    remoteSkipped: null,
    present: new Map([...remoteRefs.values()].map((c) => [c, true])),
    referenced: new Map(),
    inUse: new Map(),
    checkedOut: new Set(),
    archives: [],
    ...extra,
  };
}

const rules = (r: Partial<RetentionRules> = {}): RetentionRules => ({ keepBranches: 2, keepArchives: 1, keepWithinMs: null, keepWithinText: null, now: NOW, ...r });
const kept = (f: RetentionFacts, r = rules()) => decideRetention(f, r).backups.filter((b) => b.keep).map((b) => b.name);

test('the N newest are kept, newest first; the rest go with "no rule keeps it"', () => {
  const plan = decideRetention(facts(4), rules());
  assert.equal(plan.backups.map((b) => b.name), [name(4), name(3), name(2), name(1)]);
  assert.equal(kept(facts(4)), [name(4), name(3)]);
  assert.equal(plan.backups[3].reasons, ['no rule keeps it']);
  assert.equal(plan.backups[3].remote.map((r) => r.ref), [`refs/heads/${name(1)}`]);
});

test('the newest is kept even with --keep-branches 0; --keep-within keeps the young', () => {
  assert.equal(kept(facts(3), rules({ keepBranches: 0 })), [name(3)]);
  assert.equal(kept(facts(4), rules({ keepBranches: 0, keepWithinMs: 2.5 * 86_400_000, keepWithinText: '60h' })), [name(4)]);
  assert.equal(kept(facts(30), rules({ keepBranches: 0, keepWithinMs: 2.5 * 86_400_000, keepWithinText: '60h' })), [name(30), name(29)]);
});

test('never deleted: checked out, referenced by an unfinished operation, moved since the backup, only on the remote', () => {
  const f = facts(6, {
    checkedOut: new Set([`refs/heads/${name(1)}`]),
    referenced: new Map([[name(2), 'an unfinished rollback refers to it']]),
  });
  f.localRefs.set(`refs/heads/${name(3)}`, C(9)); // a commit on the backup branch: the remote has C(3)
  f.present.set(C(4), false); // this clone lacks the remote's commit
  const plan = decideRetention(f, rules());
  const why = (d: number) => plan.backups.find((b) => b.name === name(d))!.reasons.join('; ');
  assert.equal(kept(f), [name(6), name(5), name(4), name(3), name(2), name(1)]);
  assert.match(why(1), 'checked out');
  assert.match(why(2), 'an unfinished rollback refers to it');
  assert.match(why(3), 'moved since the backup');
  assert.match(why(4), 'this clone lacks its commits');
});

test("the branch's baseline and the last rollback's target are never deleted", () => {
  const f = facts(6, { inUse: new Map([[name(1), "this branch's baseline"], [name(2), "the backup the last 'rollback full' went to"]]) });
  const plan = decideRetention(f, rules({ keepBranches: 1 }));
  assert.equal(plan.backups.filter((b) => b.keep).map((b) => b.name), [name(6), name(2), name(1)]);
  assert.match(plan.backups.find((b) => b.name === name(1))!.reasons.join(), 'baseline');
});

test('a name that is not <prefix><stamp> is never deleted', () => {
  const f = facts(3);
  f.localRefs.set(`refs/heads/${P}20190101_000001-wip`, C(7));
  assert.ok(kept(f).includes(`${P}20190101_000001-wip`));
});

test('archives: the M newest, and one whose manifest does not name this work tree, are kept', () => {
  const archive = (day: number, mine = true) => ({ name: `r-backup-202611${String(day).padStart(2, '0')}_120000.tar.gz`, mine, path: `/b/${day}`, size: 1, date: `2026-11-${String(day).padStart(2, '0')}T12:00:00.000Z` });
  const plan = decideRetention(facts(1, { archives: [archive(4), archive(3), archive(2, false), archive(1)] }), rules());
  assert.equal(plan.archives.map((a) => a.keep), [true, false, true, false]);
  assert.match(plan.archives[2].reasons.join(), 'does not name this work tree');
});

test.run();
