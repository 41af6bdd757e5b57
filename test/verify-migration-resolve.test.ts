/**
 * verify migration's own type resolution (each file parsed alone by protobufjs, references
 * resolved over the set here) and its extension fields: the resolution edge cases straight on
 * parsed files, then extensions lost or changed through the real command on a real repository.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileRecord, resolveSchema, type Schema } from '../src/rollback/proto-schema.js';
import { makeRepo } from './helpers/repo.js';
import type { Finding } from '../src/rollback/proto-compare.js';

const schema = (files: Record<string, string>): Schema =>
  resolveSchema(Object.entries(files).map(([path, source]) => ({ path, record: readFileRecord(source) })));
/** `Message.field` -> its resolved type, for every field of the set. */
const types = (s: Schema) => Object.fromEntries(s.decls.flatMap((d) => d.fields.map((f) => [`${d.fullName}.${f.name}`, f.type])));

const MONEY = 'syntax = "proto3";\npackage gcommon.v1.billing;\nmessage Money { string currency = 1; }\n';

test('references written relative, qualified, with a package prefix or a leading dot resolve to the same declaration', () => {
  const s = schema({
    'money.proto': MONEY,
    'invoice.proto': `syntax = "proto3";
package gcommon.v1.billing;
import "money.proto";
message Invoice {
  Money a = 1;
  billing.Money b = 2;
  v1.billing.Money c = 3;
  gcommon.v1.billing.Money d = 4;
  .gcommon.v1.billing.Money e = 5;
}
`,
  });
  const t = types(s);
  for (const f of 'abcde') assert.is(t[`gcommon.v1.billing.Invoice.${f}`], 'gcommon.v1.billing.Money', f);
  assert.equal(s.problems, []);
});

test('nested scopes: the innermost declaration wins, outer ones are found from inside', () => {
  const t = types(schema({
    'a.proto': `syntax = "proto3";
package p;
message Item { string outer = 1; }
message Order {
  message Item { string inner = 1; }
  message Line {
    Item item = 1;
    .p.Item top = 2;
    Order.Item qualified = 3;
    State state = 4;
  }
  enum State { STATE_UNSPECIFIED = 0; }
  Item item = 1;
}
message Other { Item item = 1; Order.Line line = 2; }
`,
  }));
  assert.is(t['p.Order.Line.item'], 'p.Order.Item');
  assert.is(t['p.Order.Line.top'], 'p.Item');
  assert.is(t['p.Order.Line.qualified'], 'p.Order.Item');
  assert.is(t['p.Order.Line.state'], 'p.Order.State');
  assert.is(t['p.Order.item'], 'p.Order.Item');
  assert.is(t['p.Other.item'], 'p.Item');
  assert.is(t['p.Other.line'], 'p.Order.Line');
});

test('the same short name in two packages: each reference finds its own package first, a qualified one the other', () => {
  const t = types(schema({
    'a.proto': 'syntax = "proto3";\npackage corp.a;\nmessage Id { string v = 1; }\nmessage UsesA { Id id = 1; b.Id other = 2; }\n',
    'b.proto': 'syntax = "proto3";\npackage corp.b;\nmessage Id { int64 v = 1; }\nmessage UsesB { Id id = 1; corp.a.Id other = 2; }\n',
  }));
  assert.is(t['corp.a.UsesA.id'], 'corp.a.Id');
  assert.is(t['corp.a.UsesA.other'], 'corp.b.Id');
  assert.is(t['corp.b.UsesB.id'], 'corp.b.Id');
  assert.is(t['corp.b.UsesB.other'], 'corp.a.Id');
});

test('scalars, maps, enums, well-known types, rpcs; what resolves to nothing is marked, not guessed', () => {
  const s = schema({
    'money.proto': MONEY,
    's.proto': `syntax = "proto3";
package gcommon.v1.billing;
import "google/protobuf/timestamp.proto";
enum Kind { KIND_UNSPECIFIED = 0; }
message M {
  int64 n = 1;
  map<string, Money> prices = 2;
  Kind kind = 3;
  google.protobuf.Timestamp at = 4;
  Missing gone = 5;
  optional Money money = 6;
  optional Kind k2 = 7;
}
service S { rpc Get(M) returns (stream .gcommon.v1.billing.Money); }
`,
  });
  const m = s.decls.find((d) => d.fullName === 'gcommon.v1.billing.M')!;
  const f = Object.fromEntries(m.fields.map((x) => [x.name, x]));
  assert.is(f.n.type, 'int64');
  assert.is(f.prices.type, 'map<string, gcommon.v1.billing.Money>');
  assert.is(f.prices.cardinality, 'map');
  assert.is(f.kind.type, 'gcommon.v1.billing.Kind');
  assert.is(f.at.type, 'google.protobuf.Timestamp');
  assert.is(f.gone.type, '?Missing');
  // a message always tracks presence: `optional` says nothing more; an enum's `optional` does
  assert.is(f.money.cardinality, 'singular');
  assert.is(f.k2.cardinality, 'optional');
  const rpc = s.decls.find((d) => d.kind === 'service')!.rpcs[0];
  assert.equal([rpc.request, rpc.response, rpc.responseStream], ['gcommon.v1.billing.M', 'gcommon.v1.billing.Money', true]);
});

test('a name declared in two files of one set names the second one as not parsing', () => {
  const s = schema({ 'a.proto': MONEY, 'b.proto': `${MONEY}message Other { Money m = 1; }\n` });
  assert.equal(s.problems.map((p) => [p.file, p.line]), [['b.proto', 3]]);
  assert.match(s.problems[0].reason, /duplicate name 'Money'/);
  assert.equal(s.decls.map((d) => `${d.file} ${d.fullName}`), ['a.proto gcommon.v1.billing.Money', 'b.proto gcommon.v1.billing.Other']);
  assert.is(types(s)['gcommon.v1.billing.Other.m'], 'gcommon.v1.billing.Money');
  // a message named as another file's package is no duplicate (protobufjs takes it too); an enum is
  const named = schema({ 'a.proto': MONEY, 'b.proto': 'syntax = "proto3";\npackage gcommon;\nmessage v1 { string x = 1; }\n' });
  assert.equal(named.problems, []);
  const clash = schema({ 'a.proto': MONEY, 'b.proto': 'syntax = "proto3";\npackage gcommon;\nenum v1 { V1_UNSPECIFIED = 0; }\n' });
  assert.equal(clash.problems.map((p) => p.file), ['b.proto']);
});

test('a file is read alone: its record holds types as written, the set resolves them', () => {
  const r = readFileRecord('syntax = "proto3";\npackage a.b;\nimport "c.proto";\nmessage M { C c = 1; }\n');
  assert.equal([r.package, r.imports, r.decls[0].fields![0].type], ['a.b', ['c.proto'], 'C']);
  assert.is(JSON.stringify(JSON.parse(JSON.stringify(r))), JSON.stringify(r), 'plain data');
  const bad = readFileRecord('syntax = "proto3";\npackage a.b;\nmessage M {\n  string x = ;\n}\n');
  assert.is(bad.problem!.line, 4);
});

test('a field number or name used twice in a message does not parse, wherever the two are', () => {
  const fields = Array.from({ length: 40 }, (_, i) => `  string f${i + 1} = ${i + 1};`);
  const file = (extra: string) => `syntax = "proto3";\npackage a.b;\nmessage M {\n${fields.join('\n')}\n${extra}\n}\nmessage N { string f1 = 1; }\n`;
  assert.equal(readFileRecord(file('')).problem, null);
  // line 44 holds the second one; the parser says 45, having read on to the `}` for a trailing comment
  const number = readFileRecord(file('  string again = 17;'));
  assert.equal([number.problem!.line, /duplicate id 17/.test(number.problem!.reason)], [45, true]);
  const name = readFileRecord(file('  int32 f3 = 41;'));
  assert.equal([name.problem!.line, /duplicate name 'f3'/.test(name.problem!.reason)], [45, true]);
  // in a oneof too, and the next file's message of the same numbers parses
  const oneof = readFileRecord(file('  oneof o { string in_oneof = 2; }'));
  assert.match(oneof.problem!.reason, /duplicate id 2/);
  assert.equal(readFileRecord(file('')).decls.map((d) => d.fields!.length), [40, 1]);
});

const OPTIONS = `syntax = "proto2";
package gcommon.v1.billing;
import "google/protobuf/descriptor.proto";
import "pkg/billing/proto/money.proto";

extend google.protobuf.FieldOptions {
  optional bool sensitive = 50001;
  optional string mask = 50002;
}

message Envelope {
  extensions 100 to 199;
  extend Money {
    optional Envelope wrapped = 150;
  }
}

extend Envelope {
  repeated Money fees = 100;
}
`;
const MONEY2 = 'syntax = "proto2";\npackage gcommon.v1.billing;\nmessage Money {\n  optional string currency = 1;\n  extensions 100 to 199;\n}\n';

test('extension fields: a clean move (package renamed with its references) passes; each one lost or changed is an error', () => {
  const repo = makeRepo({ files: { 'pkg/billing/proto/money.proto': MONEY2, 'pkg/billing/proto/options.proto': OPTIONS } });
  try {
    assert.is(repo.cli(['backup', '--reason', 'before']).code, 0);
    const move = (edit: (s: string) => string = (s) => s) => {
      const rename = (s: string) => s.replace(/gcommon\.v1\.billing/g, 'gcommon.v1.commerce').replace('pkg/billing/proto/', 'proto/gcommon/v1/commerce/');
      repo.write('proto/gcommon/v1/commerce/money.proto', rename(MONEY2));
      repo.write('proto/gcommon/v1/commerce/options.proto', edit(rename(OPTIONS)));
      repo.git('rm', '-q', '-r', '--ignore-unmatch', 'pkg');
    };
    const errors = (): Finding[] => {
      const r = repo.cli(['verify', 'migration', '--json']);
      assert.ok(r.code === 0 || r.code === 1, r.stderr);
      return (JSON.parse(r.stdout) as { findings: Finding[] }).findings.filter((f) => f.severity === 'error');
    };
    const brief = (f: Finding) => `${f.kind} ${f.declaration} ${f.field}: ${f.before} -> ${f.after} (${f.file}:${f.line})`;
    move();
    assert.equal(errors().map(brief), []);
    repo.git('reset', '-q', '--hard');
    repo.git('clean', '-fdq');

    for (const [edit, want, message] of [
      [(s: string) => s.replace('  optional string mask = 50002;\n', ''), 'extension-removed extend google.protobuf.FieldOptions mask: optional string mask = 50002 -> null (pkg/billing/proto/options.proto:8)',
        '(gcommon.v1.billing.mask) on google.protobuf.FieldOptions: extension 50002 was removed'],
      [(s: string) => s.replace('mask = 50002', 'mask = 50003'), 'extension-renumbered extend google.protobuf.FieldOptions mask: 50002 -> 50003 (proto/gcommon/v1/commerce/options.proto:8)',
        '(gcommon.v1.commerce.mask) on google.protobuf.FieldOptions: field 50002 is now 50003'],
      [(s: string) => s.replace('optional bool sensitive', 'optional int32 sensitive'), 'extension-type extend google.protobuf.FieldOptions sensitive: bool -> int32 (proto/gcommon/v1/commerce/options.proto:7)',
        '(gcommon.v1.commerce.sensitive) on google.protobuf.FieldOptions: field 50001 was of type bool, is now int32'],
      [(s: string) => s.replace('optional Envelope wrapped = 150', 'optional Envelope wrapper = 150'), 'extension-renamed extend gcommon.v1.billing.Money wrapped: wrapped -> wrapper (proto/gcommon/v1/commerce/options.proto:14)',
        '(gcommon.v1.billing.Envelope.wrapped) on gcommon.v1.commerce.Money: field 150 wrapped is now named wrapper'],
      [(s: string) => s.replace('repeated Money fees', 'optional Money fees'), 'extension-cardinality extend gcommon.v1.billing.Envelope fees: repeated -> singular (proto/gcommon/v1/commerce/options.proto:19)',
        '(gcommon.v1.commerce.fees) on gcommon.v1.commerce.Envelope: field 100 was repeated, is now singular'],
    ] as Array<[(s: string) => string, string, string]>) {
      move(edit);
      const found = errors();
      assert.equal(found.map(brief), [want]);
      assert.is(found[0].message, message);
      repo.git('reset', '-q', '--hard');
      repo.git('clean', '-fdq');
    }
  } finally {
    repo.cleanup();
  }
});

test.run();
