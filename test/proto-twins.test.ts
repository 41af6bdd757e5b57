/**
 * Twins (proto-header.ts): a file whose body is another's byte for byte, under a header that
 * says the same of how the body reads, gets that file's record with its own package, imports
 * and lines, without a parse. Held here against protobufjs's own parse of every such file: a
 * derived record must be exactly the record the file's own parse gives.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { bodyKey, splitHeader } from '../src/rollback/proto-header.js';
import { readFileRecord, readHeader, twinRecord } from '../src/rollback/proto-schema.js';
import { parseItem, startParsers, type ParseItem } from '../src/rollback/proto-parsers.js';
import { moveRealShaped, realShapedProtos } from '../scripts/lib/real-shaped-protos.js';

const key = (text: string) => {
  const split = splitHeader(text);
  return split ? bodyKey(text, split).toString('hex') : null;
};

/** The record `b` gets as `a`'s twin, or null when they are not twins. */
function derived(a: string, b: string) {
  const [sa, sb] = [splitHeader(a), splitHeader(b)];
  if (!sa || !sb || key(a) !== key(b)) return null;
  const header = readHeader(b, sb.bodyAt);
  assert.ok(header, 'the header reads alone');
  return twinRecord(readFileRecord(a), sb.bodyLine - sa.bodyLine, header!);
}

const BODY = `// a comment holding message Fake {
message Invoice {
  message Item { string sku = 1; int64 cents = 2; }
  repeated Item items = 3;
  map<string, Money> totals = 4;
  oneof payer { string user = 5; string org = 6; }
  reserved 9, 11 to 13;
  reserved "old";
}
enum State {
  STATE_UNSPECIFIED = 0;
  // between values
  STATE_PAID = 1;
}
service Billing {
  rpc Pay(Invoice) returns (stream Invoice) { option idempotency_level = IDEMPOTENT; }
}
extend Invoice { string note = 100; }
`;

test('splitHeader: where the body starts, its line, and only the statements that bear on it', () => {
  const text = `// Copyright\n/* a block\n comment */\nsyntax = "proto3";\npackage a.b;\nimport "x/y.proto";\noption go_package = "example.com/a;b";\noption (custom) = { name: "n;"; list: [1, 2] };\n;\n${BODY}`;
  const split = splitHeader(text)!;
  // the comment before the first declaration is the header's
  assert.ok(text.startsWith('message Invoice {', split.bodyAt));
  assert.is(split.bodyLine, 11);
  assert.is(split.semantic, 'syntax = "proto3";\noption (custom) = { name: "n;"; list: [1, 2] };');
  // no declaration, an unknown statement first, an unterminated comment or string: no split
  for (const bad of ['syntax = "proto3";\npackage a;\n', 'syntax = "proto3";\nfoo bar;\nmessage A {}\n', '/* open\nmessage A {}', 'option x = "open\nmessage A {}', 'syntax = "proto3"\nmessage A {}'])
    assert.is(splitHeader(bad), null, bad);
  // a word that only starts like a keyword is not one
  assert.is(splitHeader('syntax = "proto3";\nmessages A {}\n'), null);
});

test('a moved file (package, imports, go_package and comments rewritten, header longer) is its twin: the same record as its own parse', () => {
  const a = `syntax = "proto3";\npackage gcommon.v1.billing;\nimport "pkg/billing/proto/money.proto";\noption go_package = "example.com/pkg/billing/proto";\n${BODY}`;
  const b = `// moved\n// to the new layout\nsyntax = "proto3";\n\npackage gcommon.v1.common;\n\nimport "proto/gcommon/v1/common/money.proto";\nimport "google/protobuf/timestamp.proto";\n\noption go_package = "example.com/proto/gcommon/v1/common";\n\n${BODY}`;
  const twin = derived(a, b);
  assert.ok(twin, 'twins');
  assert.equal(twin, readFileRecord(b));
  assert.is(twin!.package, 'gcommon.v1.common');
  assert.equal(twin!.imports, ['proto/gcommon/v1/common/money.proto', 'google/protobuf/timestamp.proto']);
  assert.is(twin!.decls[0].line, readFileRecord(a).decls[0].line + 7);
  // the same body read as its own: no shift, the same declarations
  assert.equal(derived(a, a), readFileRecord(a));
});

test('not twins where the header changes how the body reads: syntax, edition, features, a custom option', () => {
  const body = 'message M { int32 a = 1; optional int32 b = 2; }\n';
  const heads = ['syntax = "proto3";', 'syntax = "proto2";', 'edition = "2023";', 'edition = "2023";\noption features.field_presence = IMPLICIT;', 'syntax = "proto3";\noption (my.opt) = 1;'];
  const keys = heads.map((h) => key(`${h}\npackage p;\n${body}`));
  assert.is(new Set(keys).size, heads.length);
  // and a header that merely mentions `features` or `edition` in a comment reads the long way: keyed apart too
  assert.is.not(key(`syntax = "proto3";\n// features\n${body}`), key(`syntax = "proto3";\n${body}`));
  // whereas inert options and the package do not matter
  assert.is(key(`syntax = "proto3";\npackage p;\noption java_package = "x";\n${body}`), key(`syntax = "proto3";\npackage q.r;\n${body}`));
});

test('every twin among the real-shaped protos and their clean move: the record of its own parse', () => {
  const old = realShapedProtos(0.1);
  const files = [...[...old.values()].map((p) => p.content), ...moveRealShaped(old).values()];
  const byKey = new Map<string, string>();
  let twins = 0;
  for (const text of files) {
    const k = key(text);
    if (k === null) continue;
    const first = byKey.get(k);
    if (first === undefined) {
      byKey.set(k, text);
      continue;
    }
    twins++;
    assert.equal(derived(first, text), readFileRecord(text));
  }
  assert.ok(twins > files.length / 10, `${twins} twins of ${files.length} files`);
});

test('the scheduler: twins made from their owners (on this thread here) are the records their own parses give', async () => {
  const texts = [`syntax = "proto3";\npackage a;\n${BODY}`, `syntax = "proto3";\n\npackage b.c;\nimport "z.proto";\n${BODY}`, `syntax = "proto2";\npackage a;\n${BODY}`];
  const items: ParseItem[] = [...texts, ...texts].map((text, i) => ({ id: `t${i}`, text }));
  const parsers = startParsers(0);
  try {
    const got = await parsers.parse(items);
    assert.equal(got.map((p) => p!.record), items.map((item) => readFileRecord(item.text!)));
    assert.equal(got.map((p) => p!.line), items.map((item) => (parseItem(item) as { line: string }).line));
  } finally {
    parsers.close();
  }
});

/** `b` read as `a`'s twin equals its own parse, or the two are not twins at all (each then parsed whole). */
function sameAsOwnParse(a: string, b: string) {
  const twin = key(a) !== null && key(a) === key(b) && !readFileRecord(a).problem ? derived(a, b) : null;
  if (twin) assert.equal(twin, readFileRecord(b));
}

test('an import after the first declaration (protobufjs reads it anywhere) is the file\'s import: not twins, or the twin has it', () => {
  const m = 'message M { int32 a = 1; }\n';
  const a = `syntax = "proto3";\npackage a;\n${m}import "late.proto";\n`;
  const b = `syntax = "proto3";\npackage b;\n\n${m}import "late.proto";\n`;
  assert.equal(readFileRecord(b).imports, ['late.proto']);
  sameAsOwnParse(a, b);
  // even with a comment between the word and its file
  sameAsOwnParse(a.replace('import "', 'import /* late */ "'), b.replace('import "', 'import /* late */ "'));
  // a name that holds the word is no import: such files are still twins
  const named = 'message Imports { int64 imported_at = 1; string import_id = 2; }\nmessage ImportJob {}\n';
  const [na, nb] = [`syntax = "proto3";\npackage a;\n${named}`, `syntax = "proto3";\npackage b;\n\n${named}`];
  assert.equal(derived(na, nb), readFileRecord(nb), 'twins, with the record of its own parse');
});

test('a block comment closes as protobufjs closes it: `/*/` is a whole comment, and what follows it is read', () => {
  const m = 'message M { int32 a = 1; }\n';
  const a = `syntax = "proto3";\n/*/ message Hidden {} /*/\n${m}`;
  const b = `syntax = "proto3";\n\n${m}`;
  assert.equal(readFileRecord(a).decls.map((d) => d.local), ['Hidden', 'M']);
  sameAsOwnParse(a, b);
  sameAsOwnParse(b, a);
});

test('a top-level option without its `;` (protobufjs takes it) ends where protobufjs ends it: nothing after it hides in the statement', () => {
  const m = 'message M { int32 a = 1; }\n';
  // a declaration read as part of the option
  const a = `syntax = "proto3";\noption go_package = "x"\nmessage Hidden {}\noption java_package = "y";\n${m}`;
  const b = `syntax = "proto3";\n${m}`;
  assert.equal(readFileRecord(a).decls.map((d) => d.local), ['Hidden', 'M']);
  sameAsOwnParse(a, b);
  sameAsOwnParse(b, a);
  // a statement that bears on the body, hidden behind an inert option
  const implicit = `edition = "2023";\noption go_package = "x"\noption features.field_presence = IMPLICIT;\n${m}`;
  const explicit = `edition = "2023";\noption go_package = "x"\noption features.field_presence = EXPLICIT;\n${m}`;
  sameAsOwnParse(implicit, explicit);
});

test('a string in the header with a backslash before a line end (protobufjs\'s string does not end where this scan\'s did): not split', () => {
  const m = 'message M { int32 a = 1; }\n';
  for (const end of ['\n', '\u2028']) {
    const a = `syntax = "proto3";\noption go_package = "\\${end}" "message Hidden {} option java_package = ";\n// "\n${m}`;
    const b = `syntax = "proto3";\n${end === '\n' ? '\n' : ''}\n\n${m}`;
    sameAsOwnParse(a, b);
    sameAsOwnParse(b, a);
  }
});

test.run();
