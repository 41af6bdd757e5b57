/**
 * verify migration against what buf's breaking-change checker (WIRE, WIRE_JSON) sees and it
 * did not: an rpc's idempotency level changed, a required field added, a reservation given up (and the number or name taken),
 * a group or delimited message sent length-prefixed, an extension declared in another scope;
 * and a field leaving a oneof for `optional`, which is one change, not two. A faithful
 * proto2 -> editions conversion of the same file raises nothing. Real repository, real parser.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { makeRepo, type TestRepo } from './helpers/repo.js';
import type { Finding } from '../src/rollback/proto-compare.js';

const JOBS = `syntax = "proto2";
package gcommon.v1.queue;

import "google/protobuf/descriptor.proto";

message Job {
  required string id = 1;
  optional int32 tries = 2;
  optional group Extra = 3 {
    optional string why = 1;
  }
  reserved 9, 20 to 29;
  reserved "legacy";
}

enum Kind {
  KIND_UNKNOWN = 0;
  KIND_BATCH = 1;
  reserved 5;
  reserved "KIND_OLD";
}

extend google.protobuf.FieldOptions {
  optional string label = 50001;
}
`;

const KEYS = `edition = "2023";
package gcommon.v1.auth;

message ApiKeyStats {
  string key = 1;
  Inner inner = 2 [features.message_encoding = DELIMITED];
  message Inner { int32 a = 1; }
  oneof owner {
    string person = 3;
    string team = 4;
  }
}

service KeyService {
  rpc Get(ApiKeyStats) returns (ApiKeyStats) {
    option idempotency_level = NO_SIDE_EFFECTS;
  }
}
`;

/** JOBS in edition 2023, the same on the wire: required, group and closed enum said by features. */
const JOBS_EDITIONS = `edition = "2023";
package gcommon.v1.queue;

import "google/protobuf/descriptor.proto";

message Job {
  string id = 1 [features.field_presence = LEGACY_REQUIRED];
  int32 tries = 2;
  message Extra {
    string why = 1;
  }
  Extra extra = 3 [features.message_encoding = DELIMITED];
  reserved 9, 20 to 29;
  reserved legacy;
}

enum Kind {
  option features.enum_type = CLOSED;
  KIND_UNKNOWN = 0;
  KIND_BATCH = 1;
  reserved 5;
  reserved KIND_OLD;
}

extend google.protobuf.FieldOptions {
  string label = 50001;
}
`;

const OLD_JOBS = 'pkg/queue/proto/jobs.proto';
const OLD_KEYS = 'pkg/auth/proto/keys.proto';
const NEW_JOBS = 'proto/gcommon/v1/queue/messages/jobs.proto';
const NEW_KEYS = 'proto/gcommon/v1/auth/messages/keys.proto';

type Edit = { jobs?: (s: string) => string; keys?: (s: string) => string };

function move(repo: TestRepo, edit: Edit = {}): void {
  repo.write(NEW_JOBS, (edit.jobs ?? ((s) => s))(JOBS));
  repo.write(NEW_KEYS, (edit.keys ?? ((s) => s))(KEYS));
  repo.git('rm', '-q', '-r', 'pkg');
}

function errors(repo: TestRepo): Finding[] {
  const r = repo.cli(['verify', 'migration', '--json']);
  assert.ok(r.code === 0 || r.code === 1, r.stderr);
  const found = (JSON.parse(r.stdout) as { findings: Finding[] }).findings.filter((f) => f.severity === 'error');
  assert.is(r.code, found.length ? 1 : 0);
  return found;
}

const brief = (f: Finding) => `${f.kind} ${f.declaration} ${f.field}: ${f.before} -> ${f.after} (${f.file}:${f.line})`;

const replace = (from: string, to: string) => (s: string) => {
  assert.ok(s.includes(from), from);
  return s.replace(from, to);
};

test('what buf breaking reports on the wire is an error here too, and a faithful proto2 -> editions conversion is not', () => {
  const repo = makeRepo({ files: { [OLD_JOBS]: JOBS, [OLD_KEYS]: KEYS } });
  try {
    assert.is(repo.cli(['backup', '--reason', 'before']).code, 0);
    const reset = () => {
      repo.git('reset', '-q', '--hard');
      repo.git('clean', '-fdq');
    };
    move(repo);
    assert.equal(errors(repo).map(brief), []);
    reset();
    move(repo, { jobs: () => JOBS_EDITIONS });
    assert.equal(errors(repo).map(brief), [], 'group = DELIMITED, required = LEGACY_REQUIRED, the same reservations');
    reset();

    const cases: Array<[string, Edit, string[], string]> = [
      ['a required field added (proto2)', { jobs: replace('  optional int32 tries = 2;\n', '  optional int32 tries = 2;\n  required int32 shard = 4;\n') },
        [`field-required-added message gcommon.v1.queue.Job shard: null -> required int32 shard = 4 (${NEW_JOBS}:9)`],
        "Job.shard: field 4 is required now and was not there: what the backup's code writes does not parse"],
      ['a required field added (editions)', { keys: replace('  string key = 1;\n', '  string key = 1;\n  int32 must = 5 [features.field_presence = LEGACY_REQUIRED];\n') },
        [`field-required-added message gcommon.v1.auth.ApiKeyStats must: null -> required int32 must = 5 (${NEW_KEYS}:6)`],
        "ApiKeyStats.must: field 5 is required now and was not there: what the backup's code writes does not parse"],
      ['a reserved number given up and taken', { jobs: replace('  reserved 9, 20 to 29;\n', '  reserved 20 to 29;\n  optional string nine = 9;\n') },
        [`reserved-removed message gcommon.v1.queue.Job 9: 9 -> nine = 9 (${NEW_JOBS}:6)`],
        'Job: reserved 9 is no longer reserved, and nine = 9 takes it'],
      ['part of a reserved range given up', { jobs: replace('reserved 9, 20 to 29;', 'reserved 9, 20 to 24;') },
        [`reserved-removed message gcommon.v1.queue.Job 20 to 29: 20 to 29 -> null (${NEW_JOBS}:6)`],
        'Job: reserved 20 to 29 is no longer reserved'],
      ['an enum reservation given up, number and name taken', { jobs: replace('  reserved 5;\n  reserved "KIND_OLD";\n', '  KIND_OLD = 5;\n') },
        [`reserved-removed enum gcommon.v1.queue.Kind 5: 5 -> KIND_OLD = 5 (${NEW_JOBS}:16)`, `reserved-removed enum gcommon.v1.queue.Kind KIND_OLD: "KIND_OLD" -> KIND_OLD = 5 (${NEW_JOBS}:16)`],
        'Kind: reserved 5 is no longer reserved, and KIND_OLD = 5 takes it'],
      ['a group made a message field', { jobs: replace('  optional group Extra = 3 {\n    optional string why = 1;\n  }\n', '  message Extra {\n    optional string why = 1;\n  }\n  optional Extra extra = 3;\n') },
        [`field-encoding message gcommon.v1.queue.Job extra: tag-delimited (a group) -> length-prefixed (${NEW_JOBS}:12)`],
        'Job.extra: field 3 was sent tag-delimited (a group), is now length-prefixed'],
      ['a delimited message field made length-prefixed', { keys: replace(' [features.message_encoding = DELIMITED]', '') },
        [`field-encoding message gcommon.v1.auth.ApiKeyStats inner: tag-delimited (a group) -> length-prefixed (${NEW_KEYS}:6)`],
        'ApiKeyStats.inner: field 2 was sent tag-delimited (a group), is now length-prefixed'],
      ['an extension declared inside a message now', { jobs: replace('extend google.protobuf.FieldOptions {\n  optional string label = 50001;\n}\n', 'message Scope {\n  extend google.protobuf.FieldOptions {\n    optional string label = 50001;\n  }\n}\n') },
        [`extension-renamed extend google.protobuf.FieldOptions label: label -> Scope.label (${NEW_JOBS}:25)`],
        '(gcommon.v1.queue.Scope.label) on google.protobuf.FieldOptions: extension 50001 was declared as label, is now Scope.label (its name in JSON and text format)'],
      ['an rpc no longer free of side effects (Connect sends those as HTTP GET)', { keys: replace('    option idempotency_level = NO_SIDE_EFFECTS;\n', '') },
        [`rpc-idempotency service gcommon.v1.auth.KeyService Get: NO_SIDE_EFFECTS -> null (${NEW_KEYS}:15)`],
        'KeyService.Get: idempotency_level was NO_SIDE_EFFECTS, is now unset (a Connect client sending it as an HTTP GET is refused)'],
      ['a oneof dissolved into fields with presence: the oneof changed, presence did not', { keys: replace('  oneof owner {\n    string person = 3;\n    string team = 4;\n  }\n', '  string person = 3;\n  string team = 4;\n') },
        [`field-oneof message gcommon.v1.auth.ApiKeyStats person: owner -> null (${NEW_KEYS}:8)`, `field-oneof message gcommon.v1.auth.ApiKeyStats team: owner -> null (${NEW_KEYS}:9)`],
        'ApiKeyStats.person: field 3 was in oneof owner, is now in none'],
    ];
    for (const [name, edit, want, message] of cases) {
      move(repo, edit);
      const found = errors(repo);
      assert.equal(found.map(brief), want, name);
      assert.is(found[0].message, message, name);
      reset();
    }
  } finally {
    repo.cleanup();
  }
});

const MONEY = 'syntax = "proto3";\npackage gcommon.v1.billing;\nmessage Money { string currency = 1; }\n';
const INVOICE = (money: string) => `syntax = "proto3";
package gcommon.v1.billing;

import "google/api/annotations.proto";
import "google/protobuf/timestamp.proto";
import "${money}";

message Invoice { Money total = 1; google.protobuf.Timestamp at = 2; }
`;

test('an import not rewritten when its file moved does not compile (buf: imported file does not exist); a dependency outside the repository is no such import', () => {
  const repo = makeRepo({ files: { 'pkg/billing/proto/money.proto': MONEY, 'pkg/billing/proto/invoice.proto': INVOICE('pkg/billing/proto/money.proto') } });
  try {
    assert.is(repo.cli(['backup', '--reason', 'before']).code, 0);
    repo.write('proto/gcommon/v1/billing/money.proto', MONEY);
    repo.write('proto/gcommon/v1/billing/invoice.proto', INVOICE('pkg/billing/proto/money.proto'));
    repo.git('rm', '-q', '-r', 'pkg');
    const r = repo.cli(['verify', 'migration']);
    assert.is(r.code, 1, r.stdout);
    assert.ok(r.stdout.includes(`✘ every .proto of the backup and of the tree now parses\n    proto/gcommon/v1/billing/invoice.proto:6: imports "pkg/billing/proto/money.proto", which is not there now (proto/gcommon/v1/billing/money.proto is): protoc and buf do not compile it`), r.stdout);
    assert.ok(r.stdout.includes('✔ every field number, enum value and rpc of the backup is still there, unchanged'), r.stdout);
    assert.equal(errors(repo).map(brief), ['import-missing null pkg/billing/proto/money.proto: pkg/billing/proto/money.proto -> proto/gcommon/v1/billing/money.proto (proto/gcommon/v1/billing/invoice.proto:6)']);
    // written from the include root (buf's module at proto/), as from the repository's root: both compile
    for (const from of ['gcommon/v1/billing/money.proto', 'proto/gcommon/v1/billing/money.proto']) {
      repo.write('proto/gcommon/v1/billing/invoice.proto', INVOICE(from));
      assert.equal(errors(repo).map(brief), [], from);
    }
  } finally {
    repo.cleanup();
  }
});

const STATE = (pkg: string, name: string, prefix: string) =>
  `syntax = "proto3";\npackage gcommon.v1.${pkg};\n\nenum ${name} {\n  ${prefix}UNSPECIFIED = 0;\n  ${prefix}UP = 1;\n}\n`;

test('two domains merged into one package: enum values of the same name collide there (protoc and buf refuse), prefixed ones do not', () => {
  const repo = makeRepo({ files: { 'pkg/auth/proto/state.proto': STATE('auth', 'AuthState', 'STATE_'), 'pkg/health/proto/status.proto': STATE('health', 'HealthState', 'STATE_') } });
  try {
    assert.is(repo.cli(['backup', '--reason', 'before']).code, 0);
    const merge = (auth: string, health: string) => {
      repo.write('proto/gcommon/v1/common/state.proto', STATE('common', 'AuthState', auth));
      repo.write('proto/gcommon/v1/common/status.proto', STATE('common', 'HealthState', health));
      repo.git('rm', '-q', '-r', '--ignore-unmatch', 'pkg');
    };
    merge('STATE_', 'STATE_');
    const r = repo.cli(['verify', 'migration']);
    assert.is(r.code, 1, r.stdout);
    assert.ok(r.stdout.includes("proto/gcommon/v1/common/status.proto:5: does not parse (tree now): duplicate name 'STATE_UNSPECIFIED' in gcommon.v1.common: enum values share their enum's scope"), r.stdout);
    merge('AUTH_STATE_', 'HEALTH_STATE_');
    // the values were renamed: each is named, and nothing does not parse
    assert.equal(errors(repo).map((f) => f.kind), ['enum-value-renamed', 'enum-value-renamed', 'enum-value-renamed', 'enum-value-renamed']);
  } finally {
    repo.cleanup();
  }
});

test('a package renamed with a qualified reference left on the old name: buf cannot find it, and neither can this check', () => {
  const money = (pkg: string) => `syntax = "proto3";\npackage ${pkg};\nmessage Money { string currency = 1; }\n`;
  const invoice = (pkg: string, ref: string, imp: string) => `syntax = "proto3";\npackage ${pkg};\nimport "${imp}";\nmessage Invoice {\n  ${ref} total = 1;\n}\n`;
  const repo = makeRepo({ files: { 'pkg/billing/proto/money.proto': money('gcommon.v1.billing'), 'pkg/billing/proto/invoice.proto': invoice('gcommon.v1.billing', 'gcommon.v1.billing.Money', 'pkg/billing/proto/money.proto') } });
  try {
    assert.is(repo.cli(['backup', '--reason', 'before']).code, 0);
    repo.write('proto/gcommon/v1/commerce/money.proto', money('gcommon.v1.commerce'));
    repo.write('proto/gcommon/v1/commerce/invoice.proto', invoice('gcommon.v1.commerce', 'gcommon.v1.billing.Money', 'proto/gcommon/v1/commerce/money.proto'));
    repo.git('rm', '-q', '-r', 'pkg');
    const found = errors(repo);
    assert.equal(found.map(brief), ['field-type message gcommon.v1.billing.Invoice total: gcommon.v1.billing.Money -> gcommon.v1.billing.Money (unresolved) (proto/gcommon/v1/commerce/invoice.proto:5)']);
    // the reference rewritten, or written relative: clean
    for (const ref of ['gcommon.v1.commerce.Money', 'Money']) {
      repo.write('proto/gcommon/v1/commerce/invoice.proto', invoice('gcommon.v1.commerce', ref, 'proto/gcommon/v1/commerce/money.proto'));
      assert.equal(errors(repo).map(brief), [], ref);
    }
  } finally {
    repo.cleanup();
  }
});

test.run();
