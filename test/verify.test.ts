import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { withRepo } from './helpers/repo.js';
import { makeGcommonRepo } from './helpers/state.js';

test('verify migration names each lost declaration, the lost field, and each file two sources were written onto', withRepo(() => makeGcommonRepo(0.01), (repo) => {
  repo.cli(['backup']);
  assert.is(repo.cli(['verify', 'migration']).code, 0, 'nothing migrated yet: nothing lost');
  const reorg = repo.reorganize();
  const r = repo.cli(['verify', 'migration', '--json']);
  assert.is(r.code, 1, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.lost.map((d: { kind: string; name: string }) => `${d.kind} ${d.name}`).sort(), [...reorg.lost].sort());
  assert.equal(
    out.collisions.map((c: { file: string; sources: string[] }) => [c.file, c.sources]),
    [...reorg.collisions].map(([f, s]) => [f, [...s].sort()]).sort(),
  );
  // the field lost from a message that survived
  const field = out.findings.filter((f: { kind: string }) => f.kind === 'field-removed');
  assert.equal(field.map((f: { declaration: string; field: string; file: string }) => [f.declaration, f.field, f.file]),
    [[`message gcommon.v1.metrics.${reorg.lostField!.message}`, reorg.lostField!.name, reorg.lostField!.file]]);
  const human = repo.cli(['verify', 'migration']);
  // the originals are still in pkg/: what the merge overwrote is lost once they are cleaned up
  assert.match(human.stdout, 'message AuthStatusReport (package gcommon.v1.auth, pkg/auth/proto/status_report.proto) is only in the old layout while its domain was moved: lost when the old layout is removed');
  assert.match(human.stdout, `${reorg.lostField!.message}.${reorg.lostField!.name}: field 2 was removed`);
  assert.match(human.stdout, 'proto/gcommon/v1/common/messages/status_report.proto was written from pkg/auth/proto/status_report.proto and pkg/health/proto/status_report.proto');
}));

test('verify migration: a file moved under another name with its message renamed is no collision; the lost message names its likely new name', withRepo({ files: {
  'README.md': '# x\n',
  'pkg/auth/proto/user.proto': 'syntax = "proto3";\npackage gcommon.v1.auth;\nmessage User { string id = 1; }\n',
  'pkg/health/proto/user.proto': 'syntax = "proto3";\npackage gcommon.v1.health;\nmessage Probe { string x = 1; int32 n = 2; }\n',
} }, (repo) => {
  assert.is(repo.cli(['backup', '--no-push']).code, 0);
  repo.write('proto/gcommon/v1/common/user.proto', repo.read('pkg/auth/proto/user.proto'));
  repo.write('proto/gcommon/v1/common/health_user.proto', repo.read('pkg/health/proto/user.proto').toString().replace('message Probe', 'message HealthProbe'));
  repo.git('rm', '-q', 'pkg/auth/proto/user.proto', 'pkg/health/proto/user.proto');
  const r = repo.cli(['verify', 'migration', '--json']);
  assert.is(r.code, 1, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.collisions, [], 'health/user.proto went to health_user.proto, it was not written over');
  assert.equal(out.lost.map((d: { kind: string; name: string }) => `${d.kind} ${d.name}`), ['message Probe']);
  const lost = out.findings.find((f: { kind: string }) => f.kind === 'declaration-lost');
  assert.match(lost.message, 'a message with the same fields is gcommon.v1.health.HealthProbe in proto/gcommon/v1/common/health_user.proto: renamed?');
}));

test('verify rollback: passes on the backup state, names every failure otherwise', withRepo(() => makeGcommonRepo(0.01), (repo) => {
  const b = JSON.parse(repo.cli(['backup', '--json']).stdout).branch;
  const ok = repo.cli(['verify', 'rollback', '--against', b]);
  assert.is(ok.code, 0, ok.stdout + ok.stderr);
  repo.reorganize();
  const q = repo.layout.protos.find((p) => p.domain === 'queue')!;
  repo.git('rm', '-q', `pkg/queue/proto/${q.name}`);
  const r = repo.cli(['verify', 'rollback', '--json']);
  assert.is(r.code, 1);
  const checks = Object.fromEntries(JSON.parse(r.stdout).checks.map((c: { name: string; failures: string[] }) => [c.name, c.failures]));
  assert.ok(checks['new-layout-empty'].includes('proto/gcommon/v1/common/messages/status_report.proto is still there'));
  assert.equal(checks['config-files'], ['buf.yaml differs from the backup', 'buf.gen.yaml differs from the backup']);
  assert.ok(checks['old-protos'].includes(`pkg/queue/proto/${q.name} is missing`));
  const stem = q.name.replace(/\.proto$/, '');
  // the generated file of the removed proto is orphaned: named with x.proto, never x.pb.proto
  assert.ok(checks['generated-siblings'].includes(`pkg/queue/proto/${stem}.pb.go has no pkg/queue/proto/${q.name} beside it`));
  assert.not.ok(JSON.stringify(checks).includes('.pb.proto'));
  assert.ok(checks['guarded-paths'].includes('buf.yaml differs from the backup'));
  assert.is(repo.cli(['verify', 'rollback', '--against', 'nope']).code, 2);
  assert.is(repo.cli(['verify', 'sideways']).code, 2);
}));

test('verify rollback names an old-layout proto that differs from the backup: guarded proto/ is every proto folder, as the hooks guard it', withRepo(() => makeGcommonRepo(0.01), (repo) => {
  const b = JSON.parse(repo.cli(['backup', '--json']).stdout).branch;
  const q = repo.layout.protos.find((p) => p.domain === 'queue')!;
  repo.write(`pkg/queue/proto/${q.name}`, 'syntax = "proto3";\npackage changed;\n');
  const r = repo.cli(['verify', 'rollback', '--against', b, '--json']);
  assert.is(r.code, 1, r.stdout);
  const checks = Object.fromEntries(JSON.parse(r.stdout).checks.map((c: { name: string; failures: string[] }) => [c.name, c.failures]));
  assert.equal(checks['guarded-paths'], [`pkg/queue/proto/${q.name} differs from the backup`]);
  assert.equal(checks['old-protos'], [], 'all there: only its content changed');
}));

test.run();
