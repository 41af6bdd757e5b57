import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PREFIX, BACKUP_BRANCHES, CLI, cli, makeRepo, testEnv, withRepo, type TestRepo } from './helpers/repo.js';
import { alive, runRecords, runsDir, startSleeperRun, waitFor } from './helpers/process.js';
import { DOMAIN_MERGES, generateLayout } from '../scripts/lib/gcommon-layout.js';
import { inTerminal } from './helpers/terminal.js';
import { backupBranches, gitRun, makeNpmProject, runHuskyPrepare } from './helpers/hooks.js';

interface Finding {
  kind: string;
  severity: string;
  title: string;
  meaning: string;
  fix: { command: string; destructive: boolean } | null;
}

const layout = generateLayout({ scale: 0.01 });
const OLD_PROTOS = layout.protos.map((p) => `pkg/${p.domain}/proto/${p.name}`);

/** A pre-migration gcommon-shaped repository (about a hundred files), pushed, with one backup. */
function gcommonRepo(backup = true): TestRepo {
  const repo = makeRepo({ files: Object.fromEntries(layout.files) });
  if (backup) assert.is(repo.cli(['backup']).code, 0);
  return repo;
}

/**
 * The migration's copy step: every proto also in proto/gcommon/v1/<domain>/<category>/. With
 * `merge`, domains merge as in the real reorganization, and same-named files overwrite each other.
 */
function copyToNewLayout(repo: TestRepo, merge = false): void {
  for (const p of layout.protos) {
    const domain = merge ? (DOMAIN_MERGES[p.domain] ?? p.domain) : p.domain;
    repo.write(`proto/gcommon/v1/${domain}/${p.category}/${p.name}`, p.content);
  }
}

function recover(repo: TestRepo, args: string[] = [], env: Record<string, string> = {}): { code: number; findings: Finding[]; applied: Array<{ command: string; exitCode: number }>; stderr: string } {
  const r = repo.cli(['recover', '--json', ...args], { env });
  const out = JSON.parse(r.stdout);
  assert.is(out.wrong, r.code === 1, 'exit 1 exactly when something is wrong');
  return { code: r.code, findings: out.findings, applied: out.applied, stderr: r.stderr };
}

const kinds = (findings: Finding[]) => findings.map((f) => f.kind);
const find = (findings: Finding[], kind: string) => {
  const f = findings.find((x) => x.kind === kind);
  assert.ok(f, `expected a ${kind} finding in ${kinds(findings).join(', ')}`);
  return f!;
};

test('a clean pre-migration repository with a backup: nothing wrong, exit 0', withRepo(gcommonRepo, (repo) => {
  const r = repo.cli(['recover']);
  assert.is(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /Nothing wrong found/);
  assert.equal(recover(repo).findings, []);
}));

test('without a terminal it reports and exits, never waiting on stdin; no backup is a finding', withRepo(async (repo) => {
  // stdin stays open and silent: a prompt would hang here
  const child = spawn(process.execPath, [CLI, 'recover'], { cwd: repo.dir, env: testEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout.on('data', (d) => (stdout += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), 20000);
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  clearTimeout(timer);
  child.stdin.destroy();
  assert.is(code, 1, stdout);
  assert.match(stdout, /No backup at all/);
  assert.match(stdout, /fix: reorg-guard backup/);
}));

test('--auto applies the safe fixes: pushes unpushed backups, backs up uncommitted work', withRepo((repo) => {
  assert.is(repo.cli(['backup', '--no-push']).code, 0);
  repo.write('wip.txt', 'draft\n');
  const before = recover(repo);
  assert.equal(kinds(before.findings).sort(), ['uncommitted', 'unpushed-backups']);
  assert.is(find(before.findings, 'unpushed-backups').fix!.command, 'reorg-guard push');
  assert.is(before.code, 1);

  const after = recover(repo, ['--auto']);
  assert.equal(after.applied.map((a) => a.command).sort(), ["reorg-guard backup --reason 'recover: uncommitted work'", 'reorg-guard push']);
  assert.ok(after.applied.every((a) => a.exitCode === 0));
  assert.equal(kinds(after.findings), ['uncommitted-saved']);
  assert.is(after.code, 0);
  const remote = repo.git('--git-dir', repo.origin, 'for-each-ref', '--format=%(refname)', BACKUP_BRANCHES).split('\n');
  assert.is(remote.length, 2, 'both backups are on the remote');
  assert.is(repo.git('status', '--porcelain'), '?? wip.txt', 'the work itself is untouched');
}));

test('a migration done domain by domain is in progress, not a cleanup that stopped halfway', withRepo(gcommonRepo, (repo) => {
  // queue and metrics moved (their old folders gone), every other domain untouched
  const moved = ['metrics', 'queue'];
  for (const p of layout.protos.filter((x) => moved.includes(x.domain))) {
    repo.write(`proto/gcommon/v1/${p.domain}/${p.category}/${p.name}`, p.content);
    unlinkSync(path.join(repo.dir, `pkg/${p.domain}/proto/${p.name}`));
  }
  assert.is(repo.cli(['backup']).code, 0);
  let r = recover(repo);
  assert.ok(!kinds(r.findings).includes('old-layout-partly-removed'), kinds(r.findings).join(', '));
  const step = find(r.findings, 'migration-by-domain');
  assert.is(step.severity, 'info');
  const domains = new Set(layout.protos.map((p) => p.domain)).size;
  assert.match(step.title, `domain by domain: 2 of ${domains} old-layout domains moved to proto/gcommon/v1/ (metrics, queue)`);
  assert.not.match(step.meaning, 'halfway');
  assert.is(step.fix!.command, 'reorg-guard verify migration');
  assert.is(r.code, 0);

  // one proto of an untouched domain gone as well: that domain is half removed, and named
  const auth = OLD_PROTOS.find((p) => p.startsWith('pkg/auth/'))!;
  unlinkSync(path.join(repo.dir, auth));
  r = recover(repo);
  const half = find(r.findings, 'old-layout-partly-removed');
  assert.match(half.meaning, `gone: ${auth})`);
}));

test('migration states are told apart: copied (normal), half cleaned, old removed, lost from both', withRepo(gcommonRepo, (repo) => {
  copyToNewLayout(repo);
  let r = recover(repo);
  const mid = find(r.findings, 'mid-migration');
  assert.is(mid.severity, 'info');
  assert.is(mid.fix!.command, 'reorg-guard verify migration');
  assert.is(find(r.findings, 'uncommitted').severity, 'warning');
  // once the copy is backed up, mid-migration alone is not something wrong
  assert.is(repo.cli(['backup']).code, 0);
  r = recover(repo);
  assert.equal(kinds(r.findings), ['mid-migration', 'uncommitted-saved']);
  assert.is(r.code, 0);

  unlinkSync(path.join(repo.dir, OLD_PROTOS[0]));
  r = recover(repo);
  const half = find(r.findings, 'old-layout-partly-removed');
  assert.is(half.severity, 'warning');
  assert.match(half.title, new RegExp(`1 of ${OLD_PROTOS.length}`));

  for (const p of OLD_PROTOS.slice(1)) unlinkSync(path.join(repo.dir, p));
  r = recover(repo);
  assert.ok(!kinds(r.findings).includes('old-layout-partly-removed'));
  assert.is(find(r.findings, 'old-layout-removed').fix!.command, 'reorg-guard verify migration');

  rmSync(path.join(repo.dir, 'proto'), { recursive: true });
  r = recover(repo);
  const lost = find(r.findings, 'protos-lost');
  assert.is(lost.severity, 'error');
  assert.is(lost.fix!.command, 'reorg-guard rollback full');
  assert.is(r.findings[0].kind, 'protos-lost', 'errors come first');
}));

test('a rebase, merge or bisect in progress comes first, naming how to go on and how to give up; "1 proto"', withRepo({ files: { 'pkg/auth/proto/user.proto': 'syntax = "proto3";\nmessage User { string email = 2; }\n' } }, (repo) => {
  const USER = 'pkg/auth/proto/user.proto';
  repo.git('checkout', '-q', '-b', 'other');
  repo.write(USER, 'syntax = "proto3";\nmessage User { string email = 2; string phone = 4; }\n');
  repo.git('commit', '-q', '-am', 'add phone');
  repo.git('checkout', '-q', 'main');
  assert.is(repo.cli(['backup']).code, 0);
  repo.write(USER, 'syntax = "proto3";\nmessage User { string mail = 2; }\n');
  repo.write('proto/gcommon/v1/auth/user.proto', 'syntax = "proto3";\nmessage User { string mail = 2; }\n');
  repo.git('add', '-A');
  repo.git('commit', '-q', '-m', 'copy auth');
  let r = recover(repo);
  assert.not.ok(kinds(r.findings).includes('git-operation-in-progress'));
  assert.match(find(r.findings, 'mid-migration').title, 'Migration in progress: 1 proto in proto/gcommon/v1/, the old-layout proto still present.');

  // a `git pull --rebase` that stopped on a conflict
  assert.is.not(gitRun(repo, ['rebase', 'other']).code, 0);
  assert.is(repo.cli(['rollback', 'full', '--yes']).code, 2, 'rollback refuses mid-rebase');
  r = recover(repo);
  assert.is(r.code, 1);
  const [busy] = r.findings;
  assert.is(busy.kind, 'git-operation-in-progress', 'first, before every other finding');
  assert.is(busy.severity, 'error');
  assert.is(busy.title, 'A rebase is in progress in this work tree.');
  assert.match(busy.meaning, "'git rebase --continue', or 'git rebase --abort' to go back to where it began");
  assert.is(busy.fix, null);
  const text = repo.cli(['recover']);
  assert.match(text.stdout.split('\n')[0], /^ERROR +A rebase is in progress in this work tree\.$/);
  repo.git('rebase', '--abort');
  assert.not.ok(kinds(recover(repo).findings).includes('git-operation-in-progress'));

  assert.is.not(gitRun(repo, ['merge', '-q', 'other']).code, 0);
  r = recover(repo);
  assert.is(r.findings[0].title, 'A merge is in progress in this work tree.');
  assert.match(r.findings[0].meaning, "'git commit', or 'git merge --abort'");
  repo.git('merge', '--abort');

  // a bisect: rollback does not refuse it, but HEAD is not the branch
  repo.git('bisect', 'start', 'HEAD', 'HEAD~1');
  r = recover(repo);
  assert.is(r.findings[0].title, 'A bisect is in progress in this work tree.');
  assert.match(r.findings[0].meaning, "'git bisect reset' takes you back to your branch");
  repo.git('bisect', 'reset');
  assert.not.ok(kinds(recover(repo).findings).includes('git-operation-in-progress'));
}));

test('a committed migration (old layout gone from HEAD) is judged against the backup', withRepo(gcommonRepo, (repo) => {
  copyToNewLayout(repo);
  for (const p of OLD_PROTOS) unlinkSync(path.join(repo.dir, p));
  repo.git('add', '-A');
  repo.git('commit', '-q', '-m', 'migrate protos');
  const r = recover(repo);
  assert.ok(kinds(r.findings).includes('migration-finished'), kinds(r.findings).join(', '));
  assert.ok(!kinds(r.findings).includes('protos-lost'));
  assert.is(r.code, 0);
}));

test('a finished migration that renumbers a field: an error naming it, not "nothing to do"', withRepo(gcommonRepo, (repo) => {
  copyToNewLayout(repo);
  for (const p of OLD_PROTOS) unlinkSync(path.join(repo.dir, p));
  const msgFile = layout.protos.find((p) => p.category !== 'enums' && p.category !== 'services')!;
  const rel = `proto/gcommon/v1/${msgFile.domain}/${msgFile.category}/${msgFile.name}`;
  const text = repo.read(rel).toString();
  assert.match(text, /_1 = 1;/);
  repo.write(rel, text.replace(/_1 = 1;/, '_1 = 101;'));
  repo.git('add', '-A');
  repo.git('commit', '-q', '-m', 'migrate protos, one field renumbered');
  const r = recover(repo);
  const changed = find(r.findings, 'migration-changes-wire');
  assert.is(changed.severity, 'error');
  assert.match(changed.title, 'The new layout changes 1 thing clients see');
  assert.match(changed.meaning, /field 1 is now 101/);
  assert.is(changed.fix!.command, 'reorg-guard verify migration');
  assert.not.match(find(r.findings, 'migration-finished').meaning, 'Nothing to do');
  assert.is(r.code, 1);
}));

test('a copy that merges domains onto each other loses declarations: an error naming them', withRepo(gcommonRepo, (repo) => {
  copyToNewLayout(repo, true);
  const r = recover(repo);
  const lost = find(r.findings, 'migration-loses-declarations');
  assert.is(lost.severity, 'error');
  // auth/status_report.proto and health/status_report.proto land on one file: one of them is lost
  assert.match(lost.meaning, /message (Auth|Health)StatusReport/);
  assert.is(lost.fix!.command, 'reorg-guard rollback quick');
  assert.is(r.code, 1);
  assert.is(find(r.findings, 'mid-migration').fix, null, 'no "verify" advice once the loss is known');
}));

test('config renamed to .backup without a new one, and rewritten without a .backup', withRepo(gcommonRepo, (repo) => {
  renameSync(path.join(repo.dir, 'buf.yaml'), path.join(repo.dir, 'buf.yaml.backup'));
  repo.write('buf.gen.yaml', 'version: v2\nclean: true\n');
  const r = recover(repo);
  const renamed = find(r.findings, 'config-renamed-no-new');
  assert.is(renamed.severity, 'error');
  assert.match(renamed.title, /^buf\.yaml was renamed/);
  assert.is(renamed.fix!.command, 'reorg-guard rollback selective --file buf.yaml');
  const rewritten = find(r.findings, 'config-rewritten-no-backup');
  assert.match(rewritten.title, /^buf\.gen\.yaml was rewritten/);
  // both halves done: the normal mid-migration config state, nothing to say
  repo.write('buf.yaml', 'version: v2\nmodules:\n  - path: proto\n');
  renameSync(path.join(repo.dir, 'buf.gen.yaml'), path.join(repo.dir, 'buf.gen.yaml.backup'));
  repo.write('buf.gen.yaml', 'version: v2\nclean: true\n');
  assert.ok(!recover(repo).findings.some((f) => f.kind.startsWith('config-')));
}));

test('an interrupted operation is found, and --auto finishes undoing it first', withRepo((repo) => {
  assert.is(repo.cli(['backup']).code, 0);
  const crash = repo.cli(['emergency-stop'], { env: { REORG_GUARD_CRASH_AT: 'emergency-stop:journaled' } });
  assert.is.not(crash.code, 0, 'the crash happened');
  const r = recover(repo);
  const op = find(r.findings, 'interrupted-operation');
  assert.is(op.severity, 'error');
  const id = /emergency-stop (\S+) was interrupted/.exec(op.title)![1];
  assert.is(op.fix!.command, `reorg-guard undo ${id}`);
  assert.match(op.meaning, /refs\/reorg-guard\/safety\//);
  const auto = recover(repo, ['--auto']);
  assert.is(auto.applied[0].command, `reorg-guard undo ${id}`, 'the first fix --auto applies');
}));

test('a started operation whose pid lives is running, unless that process started after it (pid reused)', withRepo((repo) => {
  assert.is(repo.cli(['backup']).code, 0);
  const entry = (id: string, time: string) => JSON.stringify({ id, op: 'rollback', status: 'started', time, pid: 1 }) + '\n';
  mkdirSync(path.join(repo.dir, '.git/reorg-guard'), { recursive: true });
  // pid 1 has lived since boot: it may well be at work on an operation started now...
  writeFileSync(path.join(repo.dir, '.git/reorg-guard/journal.jsonl'), entry('op-now', new Date().toISOString()));
  let r = recover(repo);
  assert.equal(kinds(r.findings), ['operation-running']);
  // ...but not on one journaled before it started: that pid was reused, the operation died
  writeFileSync(path.join(repo.dir, '.git/reorg-guard/journal.jsonl'), entry('op-old', '2001-01-01T00:00:00.000Z'));
  r = recover(repo);
  assert.equal(kinds(r.findings), ['interrupted-operation']);
}));

test('recorded runs: still running after its supervisor died, then gone (crashed)', withRepo(async (repo) => {
  const run = await startSleeperRun(repo.dir);
  const rec = run.record;
  run.child.kill('SIGKILL'); // the supervisor dies; the command goes on
  await run.exited;
  let r = recover(repo);
  const running = find(r.findings, 'run-running');
  assert.match(running.title, new RegExp(`pid ${rec.pid}`));
  assert.is(running.fix!.command, 'reorg-guard emergency-stop');
  assert.ok(running.fix!.destructive);

  // a gone run beside it (its own mark): clearing its record would stop the running one too, so --auto does not
  const dead = spawnSync('true').pid!;
  writeFileSync(path.join(runsDir(repo.dir), '20250101_000000-1.json'), JSON.stringify({ ...rec, id: '20250101_000000-1', pid: dead, pgid: dead, startTime: '1', marker: 'another-run' }));
  const auto = recover(repo, ['--auto']);
  assert.ok(kinds(auto.findings).includes('run-gone'));
  assert.not.ok(auto.applied.some((a) => a.command === 'reorg-guard emergency-stop'));
  assert.ok(alive(rec.pid), 'the running command was not stopped by --auto');
  unlinkSync(path.join(runsDir(repo.dir), '20250101_000000-1.json'));

  process.kill(-rec.pgid, 'SIGKILL');
  await waitFor('the command gone', () => !alive(rec.pid));
  r = recover(repo);
  const gone = find(r.findings, 'run-gone');
  assert.is(gone.severity, 'error');
  assert.match(gone.meaning, new RegExp(`rollback full --to ${PREFIX}`));
  // its fix clears the record (and snapshots what the run left)
  assert.is(recover(repo, ['--auto']).applied[0].command, 'reorg-guard emergency-stop');
  assert.equal(runRecords(repo.dir), []);
}));

test('damaged backups: a missing snapshot tree, then a missing snapshot commit', withRepo((repo) => {
  repo.write('unique-wip.txt', `only here ${Date.now()}\n`);
  const b = JSON.parse(repo.cli(['backup', '--json']).stdout);
  const objectFile = (sha: string) => path.join(repo.dir, '.git/objects', sha.slice(0, 2), sha.slice(2));
  unlinkSync(objectFile(repo.git('rev-parse', `${b.snapshot}^{tree}`)));
  let r = recover(repo);
  const broken = find(r.findings, 'backups-damaged');
  assert.match(broken.title, new RegExp(b.snapshot));
  assert.is(broken.fix!.command, 'reorg-guard verify backups');

  unlinkSync(objectFile(repo.git('rev-parse', b.snapshot)));
  r = recover(repo);
  assert.match(find(r.findings, 'backups-damaged').meaning, /missing object/);
}));

test('--interactive: a numbered menu fed by stdin; a destructive fix needs a typed yes', withRepo((repo) => {
  repo.write('wip.txt', 'draft\n');
  assert.is(repo.cli(['emergency-stop', '--stash', '--yes']).code, 0);
  // menu: 1) undo (destructive: declined), 2) backup; then q
  const r = repo.cli(['recover', '--interactive'], { input: 'x\n1\nno\n2\nq\n' });
  assert.match(r.stdout, /1\) reorg-guard undo \S+/);
  assert.match(r.stdout, /2\) reorg-guard backup/);
  assert.match(r.stdout, /"x" is not in the list/);
  assert.match(r.stdout, /Type yes to run it/);
  assert.match(r.stdout, /Not run\./);
  assert.match(repo.git('for-each-ref', '--format=%(refname)', BACKUP_BRANCHES), new RegExp(PREFIX), 'choice 2 ran');
  assert.is(r.code, 1, 'the stashed work is still out of the tree');
  // EOF ends the menu too
  assert.is(repo.cli(['recover', '--interactive'], { input: '' }).code, 1);
}));

test('on a terminal (a pseudo-terminal from script(1)) the menu runs the chosen fix', withRepo((repo) => {
  const r = inTerminal(repo, ['recover'], { input: '1\n', timeout: 60000 });
  assert.match(r.stdout, /1\) reorg-guard backup/);
  assert.match(r.stdout, new RegExp(`Backup branch ${PREFIX}\\S+ created`));
  assert.match(r.stdout, /Nothing wrong found/);
  assert.is(r.code, 0, r.stdout);
}));

test('hooks that git does not run: a worktree added with --no-checkout (husky), core.hooksPath pointed away; init puts them back', withRepo((repo) => {
  assert.equal(kinds(recover(repo).findings).filter((k) => k === 'hooks-not-running'), [], 'no init yet: not a finding');
  makeNpmProject(repo);
  runHuskyPrepare(repo);
  assert.is(repo.cli(['init']).code, 0);
  repo.git('add', '-A');
  repo.git('commit', '-qm', 'reorg-guard hooks');
  assert.is(repo.cli(['backup']).code, 0);
  assert.equal(kinds(recover(repo).findings), [], 'armed: nothing wrong');

  // git runs no hook at a --no-checkout worktree add, so nothing copies husky's folder there
  const wt = path.join(repo.base, 'linked');
  repo.git('worktree', 'add', '-q', '--no-checkout', '--detach', wt);
  repo.git('-C', wt, 'checkout', '-q', 'HEAD', '--', '.');
  const inWt: TestRepo = { ...repo, dir: wt, cli: (args, o) => cli(wt, args, o) };
  const f = find(recover(inWt).findings, 'hooks-not-running');
  assert.is(f.severity, 'warning');
  assert.match(f.title, 'git runs no reorg-guard hook in this work tree (.husky/_)');
  assert.match(f.meaning, "Run 'npm install' in this work tree");
  assert.is(f.fix, null);

  repo.git('config', 'core.hooksPath', '.githooks'); // another tool takes core.hooksPath
  assert.is(find(recover(repo).findings, 'hooks-not-running').title, 'git runs no reorg-guard hook in this work tree (.githooks).');
  repo.git('config', 'core.hooksPath', '.husky/_');
  assert.equal(kinds(recover(repo).findings), []);
}));

test('hooks that git does not run, plain git hooks: core.hooksPath pointed away; init (never --auto) installs them there', withRepo((repo) => {
  assert.is(repo.cli(['init']).code, 0);
  assert.is(repo.cli(['backup']).code, 0);
  assert.equal(kinds(recover(repo).findings), []);
  repo.git('config', 'core.hooksPath', '.githooks');
  const f = find(recover(repo).findings, 'hooks-not-running');
  assert.match(f.title, '(.githooks)');
  assert.match(f.meaning, 'which has no reorg-guard post-commit');
  assert.is(f.fix?.command, 'reorg-guard init');
  assert.is(f.fix?.destructive, false);
  const auto = repo.cli(['recover', '--auto', '--json']);
  assert.equal(JSON.parse(auto.stdout).applied, [], 'init is never applied by --auto');
  assert.is(repo.cli(['init']).code, 0);
  assert.not.ok(kinds(recover(repo).findings).includes('hooks-not-running'));
  repo.write('notes.md', 'a commit the earlier backup does not hold\n');
  repo.git('add', 'notes.md');
  repo.git('commit', '-qm', 'notes');
  const before = repo.git('rev-parse', 'HEAD');
  repo.write('buf.yaml', 'version: v2\nmodules:\n  - path: proto\n');
  repo.git('add', 'buf.yaml');
  const c = gitRun(repo, ['commit', '-q', '-m', 'buf v2']);
  assert.is(c.code, 0, c.stderr);
  assert.match(c.stdout + c.stderr, 'backed up to');
  assert.equal(backupBranches(repo).map((b) => repo.git('rev-parse', b)).filter((c) => c === before).length, 1);
}));

test('an empty repository (no commit): nothing wrong, and no fix that would fail (backup refuses there)', withRepo({ files: {} }, (repo) => {
  const r = recover(repo);
  assert.equal(r.findings.map((f) => [f.kind, f.severity, f.fix]), [['no-commit', 'info', null]]);
  assert.is(r.code, 0);
  const auto = repo.cli(['recover', '--auto', '--json']);
  assert.is(auto.code, 0, auto.stderr);
  assert.equal(JSON.parse(auto.stdout).applied, []);
  assert.is(repo.git('for-each-ref'), '');
}));

test('bad usage: outside a repository, unknown option', withRepo((repo) => {
  assert.is(repo.cli(['recover', '-C', repo.base]).code, 2);
  assert.is(repo.cli(['recover', '--bogus']).code, 2);
}));

test.run();
