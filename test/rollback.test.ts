import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { copyFileSync, existsSync, rmSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { BUF_GEN_YAML_BEFORE, BUF_YAML_BEFORE } from '../scripts/lib/gcommon-layout.js';
import { PREFIX, withRepo } from './helpers/repo.js';
import { captureState, makeGcommonRepo } from './helpers/state.js';

const exists = (dir: string, rel: string) => existsSync(path.join(dir, rel));

test('rollback quick: configs from *.backup, new layout gone, original generated code kept', withRepo(() => makeGcommonRepo(0.01), (repo) => {
  assert.is(repo.cli(['backup']).code, 0);
  repo.write('.env', 'SECRET=1\n'); // ignored: never touched
  repo.write('proto/gcommon/v1/scratch.log', 'ignored, inside the new root\n');
  repo.write('pkg/queue/proto/orphan.pb.go', 'old layout, no proto beside it: not ours to judge\n');
  repo.reorganize();
  const r = repo.cli(['rollback', 'quick', '--yes', '--json']);
  assert.is(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.ok(out.operation);
  assert.is(repo.read('buf.yaml').toString(), BUF_YAML_BEFORE);
  assert.is(repo.read('buf.gen.yaml').toString(), BUF_GEN_YAML_BEFORE);
  assert.not.ok(exists(repo.dir, 'buf.yaml.backup'));
  assert.not.ok(exists(repo.dir, 'pkg/gcommon'), 'new generated code removed');
  assert.not.ok(exists(repo.dir, 'proto/gcommon/v1/common'), 'new layout removed');
  assert.is(repo.read('proto/gcommon/v1/scratch.log').toString(), 'ignored, inside the new root\n');
  assert.is(repo.read('.env').toString(), 'SECRET=1\n');
  // every original x.proto and x.pb.go / x_grpc.pb.go is still there
  for (const p of repo.layout.protos) {
    const stem = `pkg/${p.domain}/proto/${p.name.replace(/\.proto$/, '')}`;
    assert.ok(exists(repo.dir, `${stem}.proto`) && exists(repo.dir, `${stem}.pb.go`), stem);
    if (p.category === 'services') assert.ok(exists(repo.dir, `${stem}_grpc.pb.go`), stem);
  }
  assert.ok(exists(repo.dir, 'pkg/queue/proto/orphan.pb.go'));
  assert.is(repo.git('status', '--porcelain'), '?? pkg/queue/proto/orphan.pb.go');
}));

test('rollback quick: a missing *.backup comes from the newest backup branch, and it says so', withRepo(() => makeGcommonRepo(0.01), (repo) => {
  const b = JSON.parse(repo.cli(['backup', '--json']).stdout).branch;
  repo.reorganize();
  rmSync(path.join(repo.dir, 'buf.gen.yaml.backup')); // lost, e.g. by a second run of the migration
  const r = repo.cli(['rollback', 'quick', '--yes']);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, `buf.gen.yaml.backup is missing: buf.gen.yaml comes from backup ${b}`);
  assert.is(repo.read('buf.gen.yaml').toString(), BUF_GEN_YAML_BEFORE);
  assert.is(repo.read('buf.yaml').toString(), BUF_YAML_BEFORE);
}));

test('rollback quick: a *.backup a second run of the step overwrote with the new config is not trusted; the backup has the file as it was', withRepo(() => makeGcommonRepo(0.01), (repo) => {
  const b = JSON.parse(repo.cli(['backup', '--json']).stdout).branch;
  repo.reorganize();
  // the migration's step run again: buf.yaml (new) renamed onto buf.yaml.backup, written anew
  copyFileSync(path.join(repo.dir, 'buf.yaml'), path.join(repo.dir, 'buf.yaml.backup'));
  const r = repo.cli(['rollback', 'quick', '--yes']);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, `buf.yaml.backup holds the same as buf.yaml`);
  assert.is(repo.read('buf.yaml').toString(), BUF_YAML_BEFORE, 'the config from before the migration, not the new one');
  assert.is(repo.read('buf.gen.yaml').toString(), BUF_GEN_YAML_BEFORE);
  assert.not.ok(exists(repo.dir, 'buf.yaml.backup'));
  assert.is(repo.cli(['verify', 'rollback', '--against', b]).code, 0);
}));

test('rollback quick refuses when the old protos are gone, names rollback full, changes nothing', withRepo(() => makeGcommonRepo(0.01), (repo) => {
  repo.cli(['backup']);
  repo.reorganize();
  repo.git('rm', '-q', '-r', 'pkg/auth/proto');
  const before = captureState(repo.dir);
  const r = repo.cli(['rollback', 'quick', '--yes']);
  assert.is(r.code, 1);
  assert.match(r.stderr, 'rollback full');
  assert.equal(captureState(repo.dir), before);
  assert.not.ok(exists(repo.dir, '.git/reorg-guard/journal.jsonl'), 'nothing journaled');
}));

test('without a terminal and without --yes: exit 2, nothing changed; --dry-run shows the plan and changes nothing', withRepo(() => makeGcommonRepo(0.01), (repo) => {
  repo.cli(['backup']);
  repo.reorganize();
  const before = captureState(repo.dir);
  const refused = repo.cli(['rollback', 'quick']);
  assert.is(refused.code, 2);
  assert.match(refused.stderr, '--yes');
  assert.equal(captureState(repo.dir), before);
  const dry = repo.cli(['rollback', 'quick', '--dry-run']);
  assert.is(dry.code, 0, dry.stderr);
  assert.match(dry.stdout, '+ buf.yaml  (from buf.yaml.backup)');
  assert.match(dry.stdout, '- proto/gcommon/v1/common/messages/status_report.proto');
  assert.match(dry.stdout, 'nothing was changed');
  const json = JSON.parse(repo.cli(['rollback', 'full', '--dry-run', '--json']).stdout);
  assert.is(json.dryRun, true);
  assert.ok(json.plan.delete.includes('buf.yaml.backup'));
  assert.equal(captureState(repo.dir), before);
  assert.is(repo.git('for-each-ref', 'refs/reorg-guard/safety/'), '');
}));

test('rollback full: branch, index and work tree exactly as at backup time; later files kept in the safety snapshot', withRepo(() => makeGcommonRepo(0.01), (repo) => {
  repo.write('pkg/queue/proto/NOTES.md', 'untracked notes\n');
  repo.write('README.md', 'staged edit\n');
  repo.git('add', 'README.md');
  repo.write('README.md', 'unstaged edit on top\n');
  const b = JSON.parse(repo.cli(['backup', '--json']).stdout);
  const atBackup = captureState(repo.dir);
  repo.reorganize();
  repo.git('add', '-A');
  repo.git('commit', '-q', '-m', 'reorganize');
  repo.write('later.txt', 'created after the backup\n');
  symlinkSync('README.md', path.join(repo.dir, 'link-after'));
  const r = repo.cli(['rollback', 'full', '--yes', '--json']);
  assert.is(r.code, 0, r.stderr);
  const after = captureState(repo.dir);
  assert.equal(after.files, atBackup.files);
  assert.is(after.index, atBackup.index);
  assert.is(repo.git('rev-parse', 'main'), b.commit);
  assert.is(after.head, 'refs/heads/main');
  const safety = JSON.parse(r.stdout).safety;
  assert.is(repo.git('show', `${safety}:later.txt`), 'created after the backup');
}));

test('rollback full from a subfolder keeps the hook files of a core.hooksPath inside the work tree, committed after the backup', withRepo(() => makeGcommonRepo(0.01), (repo) => {
  const b = JSON.parse(repo.cli(['backup', '--json']).stdout);
  repo.write('.githooks/post-commit', '#!/bin/sh\nexit 0\n');
  repo.write('tools/gen.sh', 'echo later\n');
  repo.git('add', '.githooks', 'tools');
  repo.git('commit', '-q', '-m', 'hooks of our own');
  repo.git('config', 'core.hooksPath', '.githooks'); // relative: git reads it from the top, wherever it runs
  const r = repo.cli(['-C', path.join(repo.dir, 'tools'), 'rollback', 'full', '--yes']);
  assert.is(r.code, 0, r.stderr);
  assert.is(repo.git('rev-parse', 'main'), b.commit);
  assert.ok(exists(repo.dir, '.githooks/post-commit'), 'the hook file stays');
  assert.not.ok(exists(repo.dir, 'tools/gen.sh'), 'a file the backup lacks goes');
  assert.match(r.stdout + r.stderr, '.githooks/post-commit');
}));

test('rollback full on a detached HEAD, to a named backup known only on the remote', withRepo(() => makeGcommonRepo(0.01), (repo) => {
  const b = JSON.parse(repo.cli(['backup', '--json']).stdout);
  repo.git('branch', '-D', b.branch);
  repo.write('go.mod', 'changed\n');
  repo.git('commit', '-q', '-am', 'change');
  repo.git('checkout', '-q', '--detach');
  assert.is(repo.cli(['rollback', 'full', '--to', `${PREFIX}19990101_000000`, '--yes']).code, 2);
  const r = repo.cli(['rollback', 'full', '--to', b.branch, '--yes']);
  assert.is(r.code, 0, r.stderr);
  assert.is(repo.git('rev-parse', 'HEAD'), b.commit);
  assert.is(repo.git('rev-parse', 'main'), repo.git('rev-parse', 'main'));
  assert.throws(() => repo.git('symbolic-ref', '-q', 'HEAD'), 'still detached');
  assert.is(repo.git('status', '--porcelain'), '');
}));

test('rollback selective --domain: that domain back, every other domain as it is', withRepo(() => makeGcommonRepo(0.01), (repo) => {
  repo.cli(['backup']);
  repo.reorganize();
  const auth = repo.layout.protos.find((p) => p.domain === 'auth')!;
  repo.write(`pkg/auth/proto/${auth.name}`, 'edited\n');
  repo.write('pkg/auth/proto/new_thing.proto', 'new\n');
  repo.write('pkg/queue/proto/queue_edit.proto', 'kept\n');
  const r = repo.cli(['rollback', 'selective', '--domain', 'common', '--yes']);
  assert.is(r.code, 0, r.stderr);
  assert.not.ok(exists(repo.dir, 'proto/gcommon/v1/common'));
  assert.ok(exists(repo.dir, 'proto/gcommon/v1/database'));
  const r2 = repo.cli(['rollback', 'selective', '--domain', 'auth', '--yes']);
  assert.is(r2.code, 0, r2.stderr);
  assert.is(repo.read(`pkg/auth/proto/${auth.name}`).toString(), auth.content);
  assert.not.ok(exists(repo.dir, 'pkg/auth/proto/new_thing.proto'));
  assert.is(repo.read('pkg/queue/proto/queue_edit.proto').toString(), 'kept\n');
}));

test('rollback selective --domain of a merged domain, old layout removed: the domains merged into it come back too, no proto is left nowhere', withRepo(() => makeGcommonRepo(0.01), (repo) => {
  assert.is(repo.cli(['backup']).code, 0);
  repo.reorganize();
  // the cleanup step: the old protos go (auth, health, log, notification, common -> common)
  for (const p of repo.layout.protos) rmSync(path.join(repo.dir, `pkg/${p.domain}/proto/${p.name}`));
  const merged = ['auth', 'common', 'health', 'log', 'notification'];
  const dry = repo.cli(['rollback', 'selective', '--domain', 'common', '--dry-run']);
  assert.is(dry.code, 0, dry.stderr);
  assert.match(dry.stdout, 'also holds protos moved from pkg/auth/proto/, pkg/health/proto/, pkg/log/proto/, pkg/notification/proto/');
  const r = repo.cli(['rollback', 'selective', '--domain', 'common', '--yes']);
  assert.is(r.code, 0, r.stderr);
  assert.not.ok(exists(repo.dir, 'proto/gcommon/v1/common'));
  for (const p of repo.layout.protos) {
    const old = `pkg/${p.domain}/proto/${p.name}`;
    if (merged.includes(p.domain)) assert.is(repo.read(old).toString(), p.content, `${old} is back`);
    else assert.not.ok(exists(repo.dir, old), `${old}: another domain, left as it was`);
  }
  assert.ok(exists(repo.dir, 'proto/gcommon/v1/database'), 'other new domains stay');
  assert.ok(exists(repo.dir, 'proto/gcommon/v1/queue'), 'other new domains stay');
}));

test('rollback selective --domain of a domain merged into another: its copies there go, its messages are declared once', withRepo(() => makeGcommonRepo(0.01), (repo) => {
  assert.is(repo.cli(['backup']).code, 0);
  repo.reorganize();
  for (const p of repo.layout.protos) rmSync(path.join(repo.dir, `pkg/${p.domain}/proto/${p.name}`));
  const auth = repo.layout.protos.filter((p) => p.domain === 'auth');
  const health = repo.layout.protos.filter((p) => p.domain === 'health');
  // status_report.proto: auth's and health's collided in common/, and health's was written last
  const collided = health.find((p) => p.name === 'status_report.proto')!;
  const newPath = (p: { category: string; name: string }) => `proto/gcommon/v1/common/${p.category}/${p.name}`;
  const dry = repo.cli(['rollback', 'selective', '--domain', 'auth', '--dry-run']);
  assert.is(dry.code, 0, dry.stderr);
  assert.match(dry.stdout, 'auth was merged into proto/gcommon/v1/common/');
  const r = repo.cli(['rollback', 'selective', '--domain', 'auth', '--yes']);
  assert.is(r.code, 0, r.stderr);
  for (const p of auth) {
    assert.is(repo.read(`pkg/auth/proto/${p.name}`).toString(), p.content, `pkg/auth/proto/${p.name} is back`);
    if (p.name !== collided.name) assert.not.ok(exists(repo.dir, newPath(p)), `${newPath(p)}: auth's copy in common/ is gone`);
  }
  assert.ok(exists(repo.dir, newPath(collided)), 'the same-named file in common/ is health\'s: it stays');
  for (const p of health) assert.ok(exists(repo.dir, newPath(p)), `${newPath(p)}: health's stays`);
  // every message auth declared is declared once in the work tree
  const declared = repo.git('grep', '-h', '-E', '^(message|enum|service) ', '--', '*.proto').split('\n');
  for (const d of auth.flatMap((p) => p.declarations)) assert.is(declared.filter((l) => l.startsWith(`${d} `)).length, 1, d);
}));

test('rollback selective --domain whose new folder is a committed link to the old one: the link goes, never what it points to', withRepo({ files: {
  'README.md': '# x\n',
  'pkg/auth/proto/user.proto': 'syntax = "proto3";\npackage gcommon.v1.auth;\nmessage User { string id = 1; }\n',
  'pkg/queue/proto/job.proto': 'syntax = "proto3";\npackage gcommon.v1.queue;\nmessage Job { string id = 1; }\n',
} }, (repo) => {
  assert.is(repo.cli(['backup', '--no-push']).code, 0);
  const before = repo.read('pkg/auth/proto/user.proto');
  repo.write('proto/gcommon/v1/queue/job.proto', repo.read('pkg/queue/proto/job.proto'));
  symlinkSync('../../../pkg/auth/proto', path.join(repo.dir, 'proto/gcommon/v1/auth'));
  repo.git('add', '-A');
  repo.git('commit', '-qm', 'link auth in, copy queue');
  const r = repo.cli(['rollback', 'selective', '--domain', 'auth', '--yes']);
  assert.is(r.code, 0, r.stderr);
  assert.not.ok(exists(repo.dir, 'proto/gcommon/v1/auth'), 'the link is gone');
  assert.equal(repo.read('pkg/auth/proto/user.proto'), before, 'what it pointed to is untouched');
  assert.ok(exists(repo.dir, 'proto/gcommon/v1/queue/job.proto'), 'another domain stays');
}));

test('rollback selective --file: that path and its own generated siblings only', withRepo(() => makeGcommonRepo(0.01), (repo) => {
  repo.cli(['backup']);
  repo.reorganize();
  const p = 'proto/gcommon/v1/common/messages/status_report.proto';
  repo.write('proto/gcommon/v1/common/messages/status_report.pb.go', 'new generated\n');
  repo.write('proto/gcommon/v1/common/messages/status_report_grpc.pb.go', 'new generated\n');
  const r = repo.cli(['rollback', 'selective', '--file', p, '--yes']);
  assert.is(r.code, 0, r.stderr);
  assert.not.ok(exists(repo.dir, p));
  assert.not.ok(exists(repo.dir, 'proto/gcommon/v1/common/messages/status_report.pb.go'));
  assert.not.ok(exists(repo.dir, 'proto/gcommon/v1/common/messages/status_report_grpc.pb.go'));
  assert.ok(exists(repo.dir, 'pkg/auth/proto/status_report.pb.go'), 'same name elsewhere stays');
  assert.ok(exists(repo.dir, 'pkg/gcommon/v1/common/messages/status_report.pb.go'), 'not a sibling');
  // an old-layout file comes back from the backup with its original generated code
  repo.write('pkg/auth/proto/status_report.proto', 'broken\n');
  repo.write('pkg/auth/proto/status_report.pb.go', 'broken\n');
  assert.is(repo.cli(['rollback', 'selective', '--file', 'pkg/auth/proto/status_report.proto', '--yes']).code, 0);
  assert.is(repo.git('status', '--porcelain', '--', 'pkg/auth'), '');
}));

test('rollback selective refuses bad names and paths with exit 2, nothing changed', withRepo(() => makeGcommonRepo(0.01), (repo) => {
  repo.cli(['backup']);
  repo.reorganize();
  const before = captureState(repo.dir);
  const cases: string[][] = [
    ['--domain', 'nosuchdomain'],
    ['--domain', '-rf'],
    ['--domain', '../pkg'],
    ['--file', '../outside.proto'],
    ['--file', '/etc/passwd'],
    ['--file', '-x.proto'],
    ['--file', 'pkg/auth/proto/never existed.proto'],
    ['--domain', 'auth', '--file', 'buf.yaml'],
    [],
  ];
  for (const c of cases) {
    const r = repo.cli(['rollback', 'selective', ...c, '--yes']);
    assert.is(r.code, 2, `${c.join(' ')}: ${r.stderr}`);
    assert.is(r.stderr.trim().split('\n').length, 1, r.stderr);
  }
  assert.is(repo.cli(['rollback', 'sideways', '--yes']).code, 2);
  assert.equal(captureState(repo.dir), before);
}));

test.run();
