/**
 * Two schemas compared as a client on the wire would: declarations matched by package and
 * name (by name alone when the reorganization changed the package, as many times as it was
 * declared), then each message's field numbers (name, type, cardinality, oneof), each enum's
 * value numbers and each service's rpcs. Type references compare by what they resolve to,
 * through the same matching, so a clean move with a package rename raises nothing.
 */
import path from 'node:path';
import { msg } from '../messages.js';
import { importable, isReservedName, isReservedNumber, type Decl, type ExtensionInfo, type FieldInfo, type MissingImport } from './proto-schema.js';
import { append } from '../util/group.js';

export type FindingKind =
  | 'unparsable'
  | 'declaration-lost'
  | 'declaration-lost-with-old-layout'
  | 'declaration-moved'
  | 'field-removed'
  | 'field-renumbered'
  | 'field-renamed'
  | 'field-type'
  | 'field-cardinality'
  | 'field-oneof'
  | 'field-default'
  | 'field-json-name'
  | 'field-required-added'
  | 'field-encoding'
  | 'reserved-removed'
  | 'enum-value-removed'
  | 'enum-value-renumbered'
  | 'enum-value-renamed'
  | 'rpc-removed'
  | 'rpc-request'
  | 'rpc-response'
  | 'rpc-streaming'
  | 'rpc-idempotency'
  | 'extension-removed'
  | 'extension-renumbered'
  | 'extension-renamed'
  | 'extension-type'
  | 'extension-cardinality'
  | 'import-missing'
  | 'collision';

export interface Finding {
  kind: FindingKind;
  severity: 'error' | 'info';
  /** `message gcommon.v1.billing.Invoice`, as the backup declares it; null for a finding about a file (unparsable, import-missing, collision). */
  declaration: string | null;
  /** The field, enum value or rpc concerned, when there is one. */
  field: string | null;
  before: string | null;
  after: string | null;
  /** Where to look: the file in the tree now, or the backup's file when it is gone from the tree. */
  file: string;
  line: number;
  /** The sentence a person reads. */
  message: string;
}

const declName = (d: Decl) => `${d.kind} ${d.fullName}`;

/**
 * Matches each declaration of `before` with one of `after`: the same full name first; then the
 * same kind and name inside the package, preferring the package the others of its package went
 * to, then the same file name. Each declaration of `after` is used once.
 */
export function matchDecls(before: Decl[], after: Decl[]): Map<Decl, Decl> {
  const out = new Map<Decl, Decl>();
  const used = new Set<Decl>();
  const byFull = new Map(after.map((d) => [`${d.kind} ${d.fullName}`, d]));
  const votes = new Map<string, Map<string, number>>();
  const vote = (from: string, to: string) => {
    const v = votes.get(from) ?? new Map<string, number>();
    v.set(to, (v.get(to) ?? 0) + 1);
    votes.set(from, v);
  };
  const rest: Decl[] = [];
  for (const b of before) {
    const a = byFull.get(`${b.kind} ${b.fullName}`);
    if (a && !used.has(a)) {
      out.set(b, a);
      used.add(a);
      vote(b.package, a.package);
    } else rest.push(b);
  }
  if (rest.length === 0) return out;
  const byLocal = new Map<string, Decl[]>();
  for (const a of after) {
    if (used.has(a)) continue;
    const k = `${a.kind} ${a.local}`;
    append(byLocal, k, a);
  }
  const wanting = new Map<string, Decl[]>();
  for (const b of rest) {
    const k = `${b.kind} ${b.local}`;
    append(wanting, k, b);
  }
  // unambiguous pairs first: they tell where each package went
  const ambiguous: Decl[] = [];
  for (const [k, bs] of wanting) {
    const as = byLocal.get(k) ?? [];
    if (bs.length === 1 && as.length === 1) {
      out.set(bs[0], as[0]);
      used.add(as[0]);
      vote(bs[0].package, as[0].package);
    } else ambiguous.push(...bs);
  }
  const wentTo = (pkg: string) => [...(votes.get(pkg) ?? new Map<string, number>())].sort((x, y) => y[1] - x[1])[0]?.[0];
  for (const b of ambiguous) {
    const as = (byLocal.get(`${b.kind} ${b.local}`) ?? []).filter((a) => !used.has(a));
    if (as.length === 0) continue;
    const pkg = wentTo(b.package);
    const base = path.posix.basename(b.file);
    const a = as.find((x) => x.package === pkg && path.posix.basename(x.file) === base) ?? as.find((x) => x.package === pkg) ??
      as.find((x) => path.posix.basename(x.file) === base) ?? as[0];
    out.set(b, a);
    used.add(a);
  }
  return out;
}

/** Before-side full name → after-side full name, for every matched declaration. */
export function renames(matches: Map<Decl, Decl>): Map<string, string> {
  return new Map([...matches].map(([b, a]) => [b.fullName, a.fullName]));
}

/** Whether a type of the backup names the same thing as a type now. Unresolved names compare by their last part. */
function sameType(before: string, after: string, renamed: Map<string, string>): boolean {
  const map = /^map<([^,]+), (.*)>$/;
  const mb = map.exec(before);
  const ma = map.exec(after);
  if (mb || ma) return !!mb && !!ma && mb[1] === ma[1] && sameType(mb[2], ma[2], renamed);
  const now = renamed.get(before) ?? before;
  if (now === after) return true;
  if (before.startsWith('?') || after.startsWith('?')) {
    // what resolved before and lives under another full name now (its package renamed) is
    // declared in the tree: a reference to it that resolves to nothing still names the old one
    if (!before.startsWith('?') && now !== before) return false;
    return lastPart(before) === lastPart(after);
  }
  return false;
}
const lastPart = (t: string) => t.replace(/^\?\.?/, '').split('.').pop();

/** What changed between a declaration of the backup and its match now. */
export function compareDecl(b: Decl, a: Decl, renamed: Map<string, string>): Finding[] {
  const out: Finding[] = [];
  const at = (line: number, field: string | null, kind: FindingKind, before: string | null, after: string | null, message: string) =>
    out.push({ kind, severity: 'error', declaration: declName(b), field, before, after, file: a.file, line, message });
  const who = (name: string) => `${a.local}.${name}`;

  if (b.kind === 'message') {
    const byNumber = new Map(a.fields.map((f) => [f.number, f]));
    const byName = new Map(a.fields.map((f) => [f.name, f]));
    for (const bf of b.fields) {
      const af = byNumber.get(bf.number);
      if (!af) {
        const moved = byName.get(bf.name);
        if (moved) at(moved.line, bf.name, 'field-renumbered', String(bf.number), String(moved.number), msg.wireFieldRenumbered(who(bf.name), bf.number, moved.number));
        else if (!(isReservedNumber(a, bf.number) && isReservedName(a, bf.name))) {
          at(a.line, bf.name, 'field-removed', describe(bf), null, msg.wireFieldRemoved(who(bf.name), bf.number, isReservedNumber(a, bf.number)));
        }
        continue;
      }
      if (af.name !== bf.name) at(af.line, bf.name, 'field-renamed', bf.name, af.name, msg.wireFieldRenamed(a.local, bf.number, bf.name, af.name));
      // whether an unresolved type is a message (always tracks presence) is not known: singular and optional are alike then
      const presenceOnly = isPresence(bf.cardinality) && isPresence(af.cardinality);
      const presenceUnknown = (bf.type.startsWith('?') || af.type.startsWith('?')) && presenceOnly;
      // into or out of a oneof, where a member reads as singular: the oneof change below says it
      if (af.cardinality !== bf.cardinality && !presenceUnknown && !(presenceOnly && af.oneof !== bf.oneof)) {
        at(af.line, af.name, 'field-cardinality', bf.cardinality, af.cardinality, msg.wireFieldCardinality(who(af.name), bf.number, bf.cardinality, af.cardinality));
      } else if (!sameType(bf.type, af.type, renamed)) {
        at(af.line, af.name, 'field-type', typeText(bf.type), typeText(af.type), msg.wireFieldType(who(af.name), bf.number, typeText(bf.type), typeText(af.type)));
      }
      if (!!af.delimited !== !!bf.delimited && sameType(bf.type, af.type, renamed)) {
        at(af.line, af.name, 'field-encoding', encoding(bf), encoding(af), msg.wireFieldEncoding(who(af.name), bf.number, encoding(bf), encoding(af)));
      }
      if (af.oneof !== bf.oneof) at(af.line, af.name, 'field-oneof', bf.oneof, af.oneof, msg.wireFieldOneof(who(af.name), bf.number, bf.oneof, af.oneof));
      // what a client notices without a change on the wire: the value an unset field reads, and
      // the field's name in JSON (a renamed field is named above already)
      if (bf.default !== af.default && af.cardinality !== 'repeated' && af.cardinality !== 'map') {
        at(af.line, af.name, 'field-default', bf.default ?? null, af.default ?? null, msg.wireFieldDefault(who(af.name), bf.number, bf.default ?? null, af.default ?? null));
      }
      if (af.name === bf.name && bf.jsonName !== undefined && af.jsonName !== undefined && af.jsonName !== bf.jsonName) {
        at(af.line, af.name, 'field-json-name', bf.jsonName, af.jsonName, msg.wireFieldJsonName(who(af.name), bf.number, bf.jsonName, af.jsonName));
      }
    }
    // a required field the backup did not have: a message written by the backup's code lacks it, and does not parse now
    for (const af of a.fields) {
      if (af.cardinality === 'required' && !b.fields.some((f) => f.number === af.number)) at(af.line, af.name, 'field-required-added', null, describe(af), msg.wireFieldRequiredAdded(who(af.name), af.number));
    }
  } else if (b.kind === 'enum') {
    const numberOf = new Map<string, number>();
    for (const [n, names] of a.values) for (const name of names) numberOf.set(name, n);
    for (const [n, names] of b.values) {
      const now = a.values.get(n);
      for (const name of names) {
        if (now?.includes(name)) continue;
        // the value's own line now (the enum's when unknown); a removed one: the enum's, as a removed field
        if (now) at(a.valueLines?.[now[0]] || a.line, name, 'enum-value-renamed', name, now.join(', '), msg.wireEnumRenamed(a.local, n, name, now));
        else if (numberOf.has(name)) at(a.valueLines?.[name] || a.line, name, 'enum-value-renumbered', String(n), String(numberOf.get(name)), msg.wireEnumRenumbered(a.local, name, n, numberOf.get(name)!));
        else if (!(isReservedNumber(a, n) && isReservedName(a, name))) at(a.line, name, 'enum-value-removed', `${name} = ${n}`, null, msg.wireEnumRemoved(a.local, name, n));
      }
    }
  } else {
    const byName = new Map(a.rpcs.map((r) => [r.name, r]));
    for (const br of b.rpcs) {
      const ar = byName.get(br.name);
      if (!ar) {
        at(a.line, br.name, 'rpc-removed', rpcText(br), null, msg.wireRpcRemoved(a.local, br.name));
        continue;
      }
      if (!sameType(br.request, ar.request, renamed)) at(ar.line, br.name, 'rpc-request', typeText(br.request), typeText(ar.request), msg.wireRpcType(a.local, br.name, 'request', typeText(br.request), typeText(ar.request)));
      if (!sameType(br.response, ar.response, renamed)) at(ar.line, br.name, 'rpc-response', typeText(br.response), typeText(ar.response), msg.wireRpcType(a.local, br.name, 'response', typeText(br.response), typeText(ar.response)));
      if (br.requestStream !== ar.requestStream || br.responseStream !== ar.responseStream) {
        at(ar.line, br.name, 'rpc-streaming', streamText(br), streamText(ar), msg.wireRpcStreaming(a.local, br.name, streamText(br), streamText(ar)));
      }
      if (br.idempotency !== ar.idempotency) {
        at(ar.line, br.name, 'rpc-idempotency', br.idempotency ?? null, ar.idempotency ?? null, msg.wireRpcIdempotency(a.local, br.name, br.idempotency ?? null, ar.idempotency ?? null));
      }
    }
  }
  if (b.reserved.ranges.length || b.reserved.names.length) {
    // what the backup reserved stays reserved: a number or name given up can be taken by a new field or value
    const used: Array<[number, string]> = b.kind === 'message' ? a.fields.map((f) => [f.number, f.name]) : [...a.values].flatMap(([n, names]) => names.map((name): [number, string] => [n, name]));
    for (const [from, to] of b.reserved.ranges) {
      const open = unreserved(from, to, a.reserved.ranges);
      if (open.length === 0) continue;
      const range = from === to ? String(from) : `${from} to ${to}`;
      const taken = used.find(([n]) => open.some(([x, y]) => n >= x && n <= y));
      const by = taken ? `${taken[1]} = ${taken[0]}` : null;
      at(a.line, range, 'reserved-removed', range, by, msg.wireReservedRemoved(a.local, range, by));
    }
    for (const name of b.reserved.names) {
      if (isReservedName(a, name)) continue;
      const taken = used.find(([, n]) => n === name);
      const by = taken ? `${taken[1]} = ${taken[0]}` : null;
      at(a.line, name, 'reserved-removed', `"${name}"`, by, msg.wireReservedRemoved(a.local, `"${name}"`, by));
    }
  }
  return out;
}

/** The parts of [from, to] that the ranges do not cover. */
function unreserved(from: number, to: number, ranges: Array<[number, number]>): Array<[number, number]> {
  let open: Array<[number, number]> = [[from, to]];
  for (const [x, y] of ranges) {
    open = open.flatMap(([p, q]): Array<[number, number]> => (y < p || x > q ? [[p, q]] : [...(x > p ? [[p, x - 1] as [number, number]] : []), ...(y < q ? [[y + 1, q] as [number, number]] : [])]));
  }
  return open;
}

/** Singular or optional: the cardinalities that differ by presence only. */
const isPresence = (c: FieldInfo['cardinality']) => c === 'singular' || c === 'optional';
const encoding = (f: FieldInfo) => (f.delimited ? 'tag-delimited (a group)' : 'length-prefixed');
const typeText = (t: string) => (t.startsWith('?') ? `${t.slice(1)} (unresolved)` : t);
const describe = (f: FieldInfo) => `${f.cardinality === 'singular' || f.cardinality === 'map' ? '' : `${f.cardinality} `}${typeText(f.type)} ${f.name} = ${f.number}`;
const rpcText = (r: Decl['rpcs'][number]) => `${r.name}(${r.requestStream ? 'stream ' : ''}${r.request}) returns (${r.responseStream ? 'stream ' : ''}${r.response})`;
const streamText = (r: Decl['rpcs'][number]) => `${r.requestStream ? 'stream' : 'unary'} request, ${r.responseStream ? 'stream' : 'unary'} response`;

/**
 * Extension fields (`extend Foo { ... }`, proto2 and editions), which live outside the message
 * they extend (often `google.protobuf.FieldOptions`, never in the set): each of the backup is
 * looked for now on the same extended message (through the matching, so a renamed package
 * follows) by number, then by name. Lost, renumbered, renamed, or another type or
 * cardinality: an error where it is declared now (the backup's file when it is gone).
 */
export function compareExtensions(before: ExtensionInfo[], after: ExtensionInfo[], renamed: Map<string, string>): Finding[] {
  const out: Finding[] = [];
  const byExtendee = new Map<string, ExtensionInfo[]>();
  for (const a of after) append(byExtendee, a.extendee, a);
  for (const b of before) {
    const on = [...byExtendee].filter(([extendee]) => sameType(b.extendee, extendee, renamed)).flatMap(([, list]) => list);
    const a = on.find((x) => x.field.number === b.field.number);
    const bf = b.field;
    const add = (kind: FindingKind, where: ExtensionInfo, line: number, before: string | null, after: string | null, message: string) =>
      out.push({ kind, severity: 'error', declaration: `extend ${shown(b.extendee)}`, field: bf.name, before, after, file: where.file, line, message });
    if (!a) {
      const moved = on.find((x) => x.field.name === bf.name);
      const label = msg.wireExtension((moved ?? b).fullName, shown((moved ?? b).extendee));
      if (moved) add('extension-renumbered', moved, moved.field.line, String(bf.number), String(moved.field.number), msg.wireFieldRenumbered(label, bf.number, moved.field.number));
      else add('extension-removed', b, bf.line, describe(bf), null, msg.wireExtensionRemoved(label, bf.number));
      continue;
    }
    const af = a.field;
    const label = msg.wireExtension(a.fullName, shown(a.extendee));
    if (af.name !== bf.name) add('extension-renamed', a, af.line, bf.name, af.name, msg.wireFieldRenamed(msg.wireExtension(b.fullName, shown(a.extendee)), bf.number, bf.name, af.name));
    // declared in another scope (a message now, the package before): its full name is its name in JSON and text format
    else if (inPackage(a) !== inPackage(b)) add('extension-renamed', a, af.line, inPackage(b), inPackage(a), msg.wireExtensionScope(label, bf.number, inPackage(b), inPackage(a)));
    if (af.cardinality !== bf.cardinality) add('extension-cardinality', a, af.line, bf.cardinality, af.cardinality, msg.wireFieldCardinality(label, bf.number, bf.cardinality, af.cardinality));
    else if (!sameType(bf.type, af.type, renamed)) add('extension-type', a, af.line, typeText(bf.type), typeText(af.type), msg.wireFieldType(label, bf.number, typeText(bf.type), typeText(af.type)));
  }
  return out;
}
/** An extension's full name inside its package (the same when only the package was renamed). */
const inPackage = (e: ExtensionInfo) => (e.package ? e.fullName.slice(e.package.length + 1) : e.fullName);
/** An extended message's name as written when it resolves to nothing (descriptor.proto's options are not in the set). */
const shown = (t: string) => t.replace(/^\?\.?/, '');

/**
 * Imports of the tree now that name no file of it but did name one of the backup: a moved
 * file's import not rewritten, which protoc and buf refuse to compile. (An import of a file
 * outside the repository, a dependency, named none in the backup either: it is not one.)
 */
export function compareImports(missing: MissingImport[], nowPaths: string[], backupPaths: string[], matches: Map<Decl, Decl>): Finding[] {
  if (missing.length === 0) return [];
  const inTree = importable(nowPaths);
  const inBackup = importable(backupPaths);
  // where each backup file's declarations are now: the file an import should name instead
  const movedTo = new Map<string, Set<string>>();
  for (const [b, a] of matches) movedTo.set(b.file, (movedTo.get(b.file) ?? new Set()).add(a.file));
  const out: Finding[] = [];
  for (const m of missing) {
    if (inTree(m.import) || !inBackup(m.import)) continue;
    const named = backupPaths.filter((p) => p === m.import || p.endsWith(`/${m.import}`));
    const moved = [...new Set(named.flatMap((p) => [...(movedTo.get(p) ?? [])]))].sort();
    // a file that declared nothing: the files of its name now
    const base = path.posix.basename(m.import);
    const now = moved.length ? moved : nowPaths.filter((p) => path.posix.basename(p) === base);
    out.push({ kind: 'import-missing', severity: 'error', declaration: null, field: m.import, before: m.import, after: now.join(', ') || null, file: m.file, line: m.line,
      message: msg.verifyImportMissing(m.file, m.line, m.import, now) });
  }
  return out;
}
