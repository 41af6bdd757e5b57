/**
 * verify migration with a real parser: a real repository with a backup of the old layout
 * (pkg/<domain>/proto/), the protos moved to the new one (proto/gcommon/v1/<domain>/) with one
 * change at a time, then all of them at once, and the finding each must raise; clean moves that
 * must raise nothing; a file that does not parse; a migration done domain by domain.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { makeRepo, type TestRepo } from './helpers/repo.js';
import type { Finding } from '../src/rollback/proto-compare.js';

const MONEY = `syntax = "proto3";
package gcommon.v1.billing;

message Money {
  string currency = 1;
  int64 units = 2;
}
`;

const INVOICE = `syntax = "proto3";
package gcommon.v1.billing;

import "pkg/billing/proto/money.proto";

// message Fake { only a comment: not a declaration
/* enum Blocked { neither } */
message Invoice {
  string id = 1;
  Money total = 2;
  repeated Item items = 3;
  map<string, string> labels = 4;
  oneof payer {
    string person = 5;
    string company = 6;
  }
  optional string note = 7;
  reserved 9;
  reserved "legacy";

  message Item {
    string sku = 1;
    Money price = 2;
  }
}

enum InvoiceState {
  INVOICE_STATE_UNSPECIFIED = 0;
  INVOICE_STATE_OPEN = 1;
  INVOICE_STATE_PAID = 2;
}

service InvoiceService {
  rpc Get(Invoice) returns (Invoice);
  rpc Watch(Invoice) returns (stream Invoice);
}
`;

const KEYS = `edition = "2023";
package gcommon.v1.auth;

message ApiKeyStats {
  string key = 1;
  int64 daily_usage = 5;
}
`;

const JOBS = `syntax = "proto2";
package gcommon.v1.queue;

message Job {
  required string id = 1;
  optional int32 tries = 2;
  optional gcommon.v1.billing.Money cost = 3;
}
`;

const OLD: Record<string, string> = {
  'pkg/billing/proto/money.proto': MONEY,
  'pkg/billing/proto/invoice.proto': INVOICE,
  'pkg/auth/proto/keys.proto': KEYS,
  'pkg/queue/proto/jobs.proto': JOBS.replace('package gcommon.v1.queue;\n', 'package gcommon.v1.queue;\n\nimport "pkg/billing/proto/money.proto";\n'),
};

/** Where each old file goes, and its content there (imports follow the files). */
const NEW_PATH: Record<string, string> = {
  'pkg/billing/proto/money.proto': 'proto/gcommon/v1/billing/messages/money.proto',
  'pkg/billing/proto/invoice.proto': 'proto/gcommon/v1/billing/messages/invoice.proto',
  'pkg/auth/proto/keys.proto': 'proto/gcommon/v1/auth/messages/keys.proto',
  'pkg/queue/proto/jobs.proto': 'proto/gcommon/v1/queue/messages/jobs.proto',
};

const movedContent = (old: string) => OLD[old].replace(/import "([^"]+)"/g, (_, p: string) => `import "${NEW_PATH[p] ?? p}"`);

type Edit = Partial<Record<'money' | 'invoice' | 'keys' | 'jobs', (s: string) => string>>;
const KEY_OF: Record<string, keyof Edit> = {
  'pkg/billing/proto/money.proto': 'money', 'pkg/billing/proto/invoice.proto': 'invoice',
  'pkg/auth/proto/keys.proto': 'keys', 'pkg/queue/proto/jobs.proto': 'jobs',
};

/** Moves every proto to the new layout with the edits applied, and removes the old layout. */
function migrate(repo: TestRepo, edit: Edit = {}, opts: { keepOld?: boolean } = {}): void {
  for (const old of Object.keys(OLD)) {
    const change = edit[KEY_OF[old]] ?? ((s: string) => s);
    repo.write(NEW_PATH[old], change(movedContent(old)));
    if (!opts.keepOld) repo.git('rm', '-q', old);
  }
}

function reset(repo: TestRepo): void {
  repo.git('reset', '-q', '--hard');
  repo.git('clean', '-fdq');
}

function verify(repo: TestRepo): { code: number; errors: Finding[]; all: Finding[]; stdout: string } {
  const r = repo.cli(['verify', 'migration', '--json']);
  assert.ok(r.code === 0 || r.code === 1, r.stderr);
  const out = JSON.parse(r.stdout) as { findings: Finding[] };
  return { code: r.code, all: out.findings, errors: out.findings.filter((f) => f.severity === 'error'), stdout: r.stdout };
}

const brief = (f: Finding) => `${f.kind} ${f.declaration}${f.field ? ` ${f.field}` : ''}: ${f.before} -> ${f.after}`;

let repo: TestRepo;
test.before(() => {
  repo = makeRepo({ files: OLD });
  const b = repo.cli(['backup', '--reason', 'before the move']);
  assert.is(b.code, 0, b.stderr);
});
test.after(() => repo.cleanup());
test.after.each(() => reset(repo));

test('nothing moved yet: the check passes', () => {
  const r = verify(repo);
  assert.is(r.code, 0, JSON.stringify(r.errors));
});

test('clean moves pass: types relative, qualified, with a leading dot; comments holding "message Fake {"', () => {
  for (const [how, edit] of [
    ['as written', {}],
    ['qualified', { invoice: (s: string) => s.replace('  Money total', '  gcommon.v1.billing.Money total').replace('repeated Item', 'repeated Invoice.Item') }],
    ['leading dot', { invoice: (s: string) => s.replace('  Money total', '  .gcommon.v1.billing.Money total').replace('rpc Get(Invoice)', 'rpc Get(.gcommon.v1.billing.Invoice)') }],
  ] as Array<[string, Edit]>) {
    migrate(repo, edit);
    const r = verify(repo);
    assert.is(r.code, 0, `${how}: ${r.errors.map(brief).join('; ')}`);
    // moved declarations are information, never errors
    assert.ok(r.all.some((f) => f.kind === 'declaration-moved' && f.declaration === 'message gcommon.v1.billing.Invoice' && f.severity === 'info'), how);
    reset(repo);
  }
});

test('a clean move that renames a package with its references passes', () => {
  const rename = (s: string) => s.replace(/gcommon\.v1\.billing/g, 'gcommon.v1.commerce');
  migrate(repo, { money: rename, invoice: (s) => rename(s).replace('  Money total', '  .gcommon.v1.commerce.Money total'), jobs: rename });
  const r = verify(repo);
  assert.is(r.code, 0, r.errors.map(brief).join('; '));
  const moved = r.all.find((f) => f.declaration === 'message gcommon.v1.billing.Money')!;
  assert.is(moved.kind, 'declaration-moved');
  assert.match(moved.after!, 'gcommon.v1.commerce');
  // one finding per declaration, named in its own message (the text groups them per file)
  assert.match(moved.message, /^message gcommon\.v1\.billing\.Money moved: pkg\/billing\/proto\/money\.proto -> proto\/gcommon\/v1\/billing\/messages\/money\.proto \(package gcommon\.v1\.billing -> gcommon\.v1\.commerce\)$/);
});

test('options a client does not notice raise nothing: deprecated, a json_name equal to the default one', () => {
  migrate(repo, { invoice: (s) => s.replace('string id = 1;', 'string id = 1 [deprecated = true, json_name = "id"];').replace('optional string note = 7;', 'optional string note = 7 [json_name = "note"];') });
  const r = verify(repo);
  assert.is(r.code, 0, r.errors.map(brief).join('; '));
});

test('removing a field is fine when its number and name are reserved', () => {
  migrate(repo, { invoice: (s) => s.replace('  optional string note = 7;\n', '').replace('reserved 9;', 'reserved 7, 9;').replace('reserved "legacy";', 'reserved "legacy", "note";') });
  const r = verify(repo);
  assert.is(r.code, 0, r.errors.map(brief).join('; '));
});

/** Each change alone: the edit, and the one finding it must raise. */
const CHANGES: Array<[string, Edit, string]> = [
  ['field number', { invoice: (s) => s.replace('string id = 1;', 'string id = 11;') }, 'field-renumbered message gcommon.v1.billing.Invoice id: 1 -> 11'],
  ['field name', { invoice: (s) => s.replace('string id = 1;', 'string ident = 1;') }, 'field-renamed message gcommon.v1.billing.Invoice id: id -> ident'],
  ['field type', { money: (s) => s.replace('int64 units = 2;', 'int32 units = 2;') }, 'field-type message gcommon.v1.billing.Money units: int64 -> int32'],
  ['message type', { invoice: (s) => s.replace('  Money total = 2;', '  Item total = 2;') }, 'field-type message gcommon.v1.billing.Invoice total: gcommon.v1.billing.Money -> gcommon.v1.billing.Invoice.Item'],
  ['map value type', { invoice: (s) => s.replace('map<string, string> labels', 'map<string, int32> labels') }, 'field-type message gcommon.v1.billing.Invoice labels: map<string, string> -> map<string, int32>'],
  ['cardinality', { invoice: (s) => s.replace('string id = 1;', 'repeated string id = 1;') }, 'field-cardinality message gcommon.v1.billing.Invoice id: singular -> repeated'],
  ['proto3 optional', { invoice: (s) => s.replace('optional string note = 7;', 'string note = 7;') }, 'field-cardinality message gcommon.v1.billing.Invoice note: optional -> singular'],
  ['oneof', { invoice: (s) => s.replace('    string company = 6;\n  }', '  }\n  string company = 6;') }, 'field-oneof message gcommon.v1.billing.Invoice company: payer -> null'],
  ['removed field', { invoice: (s) => s.replace('  optional string note = 7;\n', '') }, 'field-removed message gcommon.v1.billing.Invoice note: optional string note = 7 -> null'],
  ['removed field, number reserved but not the name', { invoice: (s) => s.replace('  optional string note = 7;\n', '').replace('reserved 9;', 'reserved 7, 9;') },
    'field-removed message gcommon.v1.billing.Invoice note: optional string note = 7 -> null'],
  ['field of an edition file', { keys: (s) => s.replace('  int64 daily_usage = 5;\n', '') }, 'field-removed message gcommon.v1.auth.ApiKeyStats daily_usage: optional int64 daily_usage = 5 -> null'],
  ['proto2 required', { jobs: (s) => s.replace('required string id = 1;', 'optional string id = 1;') }, 'field-cardinality message gcommon.v1.queue.Job id: required -> optional'],
  ['field default', { jobs: (s) => s.replace('optional int32 tries = 2;', 'optional int32 tries = 2 [default = 5];') }, 'field-default message gcommon.v1.queue.Job tries: null -> 5'],
  ['field JSON name', { invoice: (s) => s.replace('string id = 1;', 'string id = 1 [json_name = "invoiceId"];') }, 'field-json-name message gcommon.v1.billing.Invoice id: id -> invoiceId'],
  ['enum value number', { invoice: (s) => s.replace('INVOICE_STATE_PAID = 2;', 'INVOICE_STATE_PAID = 3;') }, 'enum-value-renumbered enum gcommon.v1.billing.InvoiceState INVOICE_STATE_PAID: 2 -> 3'],
  ['enum value name', { invoice: (s) => s.replace('INVOICE_STATE_PAID = 2;', 'INVOICE_STATE_SETTLED = 2;') }, 'enum-value-renamed enum gcommon.v1.billing.InvoiceState INVOICE_STATE_PAID: INVOICE_STATE_PAID -> INVOICE_STATE_SETTLED'],
  ['enum value removed', { invoice: (s) => s.replace('  INVOICE_STATE_PAID = 2;\n', '') }, 'enum-value-removed enum gcommon.v1.billing.InvoiceState INVOICE_STATE_PAID: INVOICE_STATE_PAID = 2 -> null'],
  ['rpc request', { invoice: (s) => s.replace('rpc Get(Invoice)', 'rpc Get(Money)') }, 'rpc-request service gcommon.v1.billing.InvoiceService Get: gcommon.v1.billing.Invoice -> gcommon.v1.billing.Money'],
  ['rpc response', { invoice: (s) => s.replace('returns (Invoice);', 'returns (Money);') }, 'rpc-response service gcommon.v1.billing.InvoiceService Get: gcommon.v1.billing.Invoice -> gcommon.v1.billing.Money'],
  ['rpc streaming', { invoice: (s) => s.replace('returns (stream Invoice)', 'returns (Invoice)') },
    'rpc-streaming service gcommon.v1.billing.InvoiceService Watch: unary request, stream response -> unary request, unary response'],
  ['rpc removed', { invoice: (s) => s.replace('  rpc Watch(Invoice) returns (stream Invoice);\n', '') }, 'rpc-removed service gcommon.v1.billing.InvoiceService Watch: Watch(gcommon.v1.billing.Invoice) returns (stream gcommon.v1.billing.Invoice) -> null'],
  ['nested declaration', { invoice: (s) => s.replace('message Item {', 'message Line {').replace('repeated Item items', 'repeated Line items') },
    'declaration-lost message gcommon.v1.billing.Invoice.Item: pkg/billing/proto/invoice.proto -> null'],
  ['top-level declaration', { money: (s) => s.replace(/message Money \{[^}]*\}\n/, 'message Currency {\n  string code = 1;\n}\n') },
    'declaration-lost message gcommon.v1.billing.Money: pkg/billing/proto/money.proto -> null'],
];

test('each kind of change alone raises its finding, with the file and line now', () => {
  for (const [what, edit, expected] of CHANGES) {
    migrate(repo, edit);
    const r = verify(repo);
    assert.is(r.code, 1, `${what}: exit 1`);
    assert.ok(r.errors.map(brief).includes(expected), `${what}: expected ${expected}, got ${r.errors.map(brief).join('; ')}`);
    if (!what.includes('declaration') && !what.includes('message type')) assert.is(r.errors.length, 1, `${what}: ${r.errors.map(brief).join('; ')}`);
    reset(repo);
  }
  // the line is the field's line in the file now
  migrate(repo, CHANGES[0][1]);
  const f = verify(repo).errors[0];
  assert.is(f.file, 'proto/gcommon/v1/billing/messages/invoice.proto');
  assert.is(repo.read(f.file).toString().split('\n')[f.line - 1], '  string id = 11;');
  const human = repo.cli(['verify', 'migration']);
  assert.match(human.stdout, 'message gcommon.v1.billing.Invoice');
  assert.match(human.stdout, 'Invoice.id: field 1 is now 11 (line 9)');
});

test("an enum value's finding points at the value's line now; a removed one at the enum", () => {
  const line = (file: string, text: string) => repo.read(file).toString().split('\n').findIndex((l) => l.includes(text)) + 1;
  const file = 'proto/gcommon/v1/billing/messages/invoice.proto';
  for (const [what, now] of [['enum value name', 'INVOICE_STATE_SETTLED = 2;'], ['enum value number', 'INVOICE_STATE_PAID = 3;'], ['enum value removed', 'enum InvoiceState {']]) {
    // a comment and a field of the same name above the enum: the value's own line is the one meant
    migrate(repo, { invoice: (s) => CHANGES.find(([w]) => w === what)![1].invoice!(s).replace('  string id = 1;', '  // INVOICE_STATE_PAID = 9 once\n  string id = 1;') });
    const [f] = verify(repo).errors;
    assert.is(f.file, file, what);
    assert.ok(line(file, now) > 1, what);
    assert.is(f.line, line(file, now), `${what}: line ${f.line} holds ${JSON.stringify(repo.read(file).toString().split('\n')[f.line - 1])}`);
    assert.is(repo.cli(['verify', 'migration', '--format', 'github']).stdout.split('\n')[0].split(',')[1], `line=${line(file, now)}`, what);
    reset(repo);
  }
});

test('all changes together: every finding at once', () => {
  const edit: Edit = {};
  for (const [, e] of CHANGES.filter(([w]) => ['field number', 'field type', 'oneof', 'removed field', 'field of an edition file', 'enum value name', 'rpc streaming', 'nested declaration'].includes(w))) {
    for (const [k, fn] of Object.entries(e) as Array<[keyof Edit, (s: string) => string]>) {
      const prev = edit[k];
      edit[k] = prev ? (s) => fn(prev(s)) : fn;
    }
  }
  migrate(repo, edit);
  const r = verify(repo);
  assert.is(r.code, 1);
  const kinds = new Set<string>(r.errors.map((f) => f.kind));
  for (const k of ['field-renumbered', 'field-type', 'field-oneof', 'field-removed', 'enum-value-renamed', 'rpc-streaming', 'declaration-lost']) assert.ok(kinds.has(k), `${k} in ${[...kinds]}`);
  // grouped by declaration in the human report
  const human = repo.cli(['verify', 'migration']).stdout;
  const invoice = human.indexOf('message gcommon.v1.billing.Invoice ');
  assert.ok(invoice > 0 && human.indexOf('Invoice.id: field 1 is now 11') > invoice && human.indexOf('Invoice.company: field 6') > invoice);
});

test('--format github: one annotation per error, with file and line', () => {
  migrate(repo, { keys: (s) => s.replace('  int64 daily_usage = 5;\n', '') });
  const r = repo.cli(['verify', 'migration', '--format', 'github']);
  assert.is(r.code, 1);
  const lines = r.stdout.split('\n').filter((l) => l.startsWith('::'));
  assert.equal(lines, [
    '::error file=proto/gcommon/v1/auth/messages/keys.proto,line=4,title=reorg-guard verify migration::ApiKeyStats.daily_usage: field 5 was removed without reserving its number and name',
  ]);
  assert.is(repo.cli(['verify', 'migration', '--format', 'yaml']).code, 2);
  assert.is(repo.cli(['verify', 'rollback', '--format', 'github']).code, 2);
});

test('a file that does not parse is named with line and reason; the rest is still checked', () => {
  migrate(repo, { money: (s) => s.replace('int64 units = 2;', 'int64 units = ;'), keys: (s) => s.replace('  int64 daily_usage = 5;\n', '') });
  const r = verify(repo);
  assert.is(r.code, 1);
  const bad = r.errors.find((f) => f.kind === 'unparsable')!;
  assert.is(bad.file, 'proto/gcommon/v1/billing/messages/money.proto');
  assert.is(bad.line, 6);
  assert.is(bad.declaration, null, 'a finding about a file names no declaration');
  assert.match(bad.message, /money\.proto:6: does not parse \(tree now\): illegal/);
  assert.ok(r.errors.some((f) => f.kind === 'field-removed' && f.field === 'daily_usage'), 'the other files are still compared');
});

test('parsed files are kept by content: a file changed since is read again, alone; a damaged cache is parsed again, never trusted', () => {
  const dir = path.join(repo.dir, '.git/reorg-guard/schema-cache');
  rmSync(dir, { recursive: true, force: true }); // the schemas of the tests before
  migrate(repo, { keys: (s) => s.replace('  int64 daily_usage = 5;\n', '') });
  const packs = () => readdirSync(dir).filter((f) => f.endsWith('.pack')).sort();
  const records = (pack: string) => readFileSync(path.join(dir, pack), 'utf8').split('\n').slice(1).filter(Boolean);
  const first = verify(repo);
  // each distinct file once: the backup's four and the tree's four, less the one moved unchanged
  const contents = new Set([...Object.values(OLD), ...Object.values(NEW_PATH).map((p) => repo.read(p).toString())]);
  assert.is(contents.size, 7);
  assert.equal(packs().map((p) => records(p).length), [contents.size], 'the backup and the tree now, each file parsed once');
  const sets = () => readdirSync(dir).filter((f) => f.endsWith('.set'));
  assert.equal(sets(), [], 'a set parsed whole is not kept resolved the first time');
  const listing = packs();
  assert.equal(verify(repo).all, first.all, 'from the cache: the same findings');
  assert.equal(packs(), listing, 'nothing parsed again');
  assert.ok(sets().length > 0, 'the sets are kept resolved the second time');
  // the same file changed again, same size, same second, not staged: never the cached answer
  const keys = 'proto/gcommon/v1/auth/messages/keys.proto';
  repo.write(keys, repo.read(keys).toString().replace('string key = 1;', 'string kez = 1;'));
  assert.equal(verify(repo).errors.map(brief), [
    'field-renamed message gcommon.v1.auth.ApiKeyStats key: key -> kez',
    'field-removed message gcommon.v1.auth.ApiKeyStats daily_usage: optional int64 daily_usage = 5 -> null',
  ]);
  const added = packs().filter((p) => !listing.includes(p));
  assert.equal(added.map((p) => records(p).length), [1], 'only the changed file parsed');
  repo.write(keys, repo.read(keys).toString().replace('string kez = 1;', 'string key = 1;'));
  assert.equal(verify(repo).all, first.all, 'back to the cached content');
  // a damaged record: that file parsed again, the others read from the cache
  for (const f of readdirSync(dir)) if (f.endsWith('.set')) rmSync(path.join(dir, f));
  const big = packs().find((p) => records(p).length === contents.size)!;
  const text = readFileSync(path.join(dir, big), 'utf8').split('\n');
  text[1] = `${text[1].slice(0, text[1].indexOf(' '))} {"package": "x", "decls": [`;
  writeFileSync(path.join(dir, big), text.join('\n'));
  assert.equal(verify(repo).all, first.all, 'a damaged record is parsed again');
  for (const f of readdirSync(dir)) writeFileSync(path.join(dir, f), '{"decls": [');
  assert.equal(verify(repo).all, first.all, 'a damaged cache is parsed again');
  assert.equal(first.errors.map(brief), ['field-removed message gcommon.v1.auth.ApiKeyStats daily_usage: optional int64 daily_usage = 5 -> null']);
});

test('a migration done domain by domain: no false alarm; what is stranded in the old layout is named', () => {
  // billing moved (old files removed), auth and queue not moved yet
  for (const old of ['pkg/billing/proto/money.proto', 'pkg/billing/proto/invoice.proto']) {
    repo.write(NEW_PATH[old], movedContent(old));
    repo.git('rm', '-q', old);
  }
  // queue, not moved yet, still imports billing's money.proto where it was: protoc cannot compile it
  let r = verify(repo);
  assert.equal(r.errors.map(brief), ['import-missing null pkg/billing/proto/money.proto: pkg/billing/proto/money.proto -> proto/gcommon/v1/billing/messages/money.proto']);
  assert.is(r.errors[0].file, 'pkg/queue/proto/jobs.proto');
  repo.write('pkg/queue/proto/jobs.proto', OLD['pkg/queue/proto/jobs.proto'].replace('pkg/billing/proto/money.proto', NEW_PATH['pkg/billing/proto/money.proto']));
  r = verify(repo);
  assert.is(r.code, 0, r.errors.map(brief).join('; '));
  // a change in a domain not moved yet is still seen, where it lives
  repo.write('pkg/auth/proto/keys.proto', KEYS.replace('  int64 daily_usage = 5;\n', ''));
  r = verify(repo);
  assert.equal(r.errors.map(brief), ['field-removed message gcommon.v1.auth.ApiKeyStats daily_usage: optional int64 daily_usage = 5 -> null']);
  assert.is(r.errors[0].file, 'pkg/auth/proto/keys.proto');
  reset(repo);

  // billing copied (old layout kept) but money.proto forgotten: lost when the old layout goes
  repo.write(NEW_PATH['pkg/billing/proto/invoice.proto'], movedContent('pkg/billing/proto/invoice.proto').replace(/import "[^"]+";\n/, ''));
  r = verify(repo);
  const stranded = r.errors.filter((f) => f.kind === 'declaration-lost-with-old-layout').map((f) => f.declaration);
  assert.equal(stranded, ['message gcommon.v1.billing.Money']);
  reset(repo);

  // the old layout removed with auth never moved: declared nowhere
  migrate(repo);
  rmSync(path.join(repo.dir, NEW_PATH['pkg/auth/proto/keys.proto']));
  r = verify(repo);
  assert.equal(r.errors.map(brief), ['declaration-lost message gcommon.v1.auth.ApiKeyStats: pkg/auth/proto/keys.proto -> null']);
});

test('an import not rewritten names where its file went, not every file of that name', () => {
  const other = makeRepo({ files: {
    'pkg/a/proto/types.proto': 'syntax = "proto3";\npackage gcommon.v1.a;\nmessage Ta { string id = 1; }\n',
    'pkg/b/proto/types.proto': 'syntax = "proto3";\npackage gcommon.v1.b;\nmessage Tb { string id = 1; }\n',
    'pkg/a/proto/svc.proto': 'syntax = "proto3";\npackage gcommon.v1.a;\nimport "pkg/a/proto/types.proto";\nmessage S { Ta t = 1; }\n',
  } });
  try {
    assert.is(other.cli(['backup', '--reason', 'before']).code, 0);
    mkdirSync(path.join(other.dir, 'proto/gcommon/v1'), { recursive: true });
    other.git('mv', 'pkg/a/proto', 'proto/gcommon/v1/a');
    other.git('mv', 'pkg/b/proto', 'proto/gcommon/v1/b');
    other.git('commit', '-qm', 'moved, the import not rewritten');
    const r = other.cli(['verify', 'migration', '--json']);
    assert.is(r.code, 1, r.stderr);
    const errors = (JSON.parse(r.stdout) as { findings: Finding[] }).findings.filter((f) => f.severity === 'error');
    assert.equal(errors.map(brief), ['import-missing null pkg/a/proto/types.proto: pkg/a/proto/types.proto -> proto/gcommon/v1/a/types.proto']);
    assert.match(errors[0].message, '(proto/gcommon/v1/a/types.proto is)');
  } finally {
    other.cleanup();
  }
});

test.run();
