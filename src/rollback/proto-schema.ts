/**
 * What the wire sees of a set of .proto files. Each file is parsed alone with protobufjs and
 * copied into a plain record (readFileRecord: declarations, fields, enum values, rpcs and
 * extensions, type references as written), which is kept per file; the records of a set are
 * then resolved together here (resolveSchema: every type reference to a full name, as protobuf
 * scopes names; protobufjs's Root and resolveAll are not used). A file that does not parse is
 * named with the parser's line and reason; the other files are still read.
 */
import { createHash, hash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type * as Protobuf from 'protobufjs';
import { append } from '../util/group.js';

type PB = typeof Protobuf;

export type DeclKind = 'message' | 'enum' | 'service';
/** How many values a field holds and whether it tracks presence. `map` fields have `map<K, V>` as type. */
export type Cardinality = 'singular' | 'optional' | 'required' | 'repeated' | 'map';

export interface FieldInfo {
  number: number;
  name: string;
  /** A scalar (`string`), a resolved full name (`gcommon.v1.billing.Money`), `map<K, V>`, or `?Name` when it resolves to nothing. */
  type: string;
  cardinality: Cardinality;
  /** The oneof it belongs to (the synthetic one of a proto3 `optional` does not count). */
  oneof: string | null;
  line: number;
  /** `[default = ...]` (proto2, editions): what a client reads when the field is unset; absent when none. */
  default?: string;
  /** The field's name in JSON: `[json_name = ...]`, else protobuf's lowerCamelCase of its name. */
  jsonName?: string;
  /** A message sent tag-delimited (a proto2 group, `message_encoding = DELIMITED`), not length-prefixed. */
  delimited?: true;
}

export interface RpcInfo {
  name: string;
  request: string;
  response: string;
  requestStream: boolean;
  responseStream: boolean;
  line: number;
  /** `option idempotency_level` (NO_SIDE_EFFECTS lets a Connect client send it as an HTTP GET); absent when unset. */
  idempotency?: string;
}

export interface Decl {
  kind: DeclKind;
  /** Full name without the leading dot: `gcommon.v1.billing.Invoice.Item`. */
  fullName: string;
  package: string;
  /** The name inside its package: `Invoice.Item`. */
  local: string;
  file: string;
  line: number;
  fields: FieldInfo[];
  /** Enum values: number → its names (aliases share a number). */
  values: Map<number, string[]>;
  /** Enum values: name → the line it is declared on (0 when unknown). */
  valueLines: Record<string, number>;
  rpcs: RpcInfo[];
  /** Reserved number ranges (inclusive) and names (messages and enums). */
  reserved: { ranges: Array<[number, number]>; names: string[] };
}

export const isReservedNumber = (d: Decl, n: number) => d.reserved.ranges.some(([from, to]) => n >= from && n <= to);
export const isReservedName = (d: Decl, name: string) => d.reserved.names.includes(name);

export interface ParseProblem {
  file: string;
  line: number;
  reason: string;
}

export interface Schema {
  decls: Decl[];
  problems: ParseProblem[];
  /** Extension fields (`extend Foo { ... }`), wherever they are declared. */
  extensions: ExtensionInfo[];
  /** Imports that name no file of the set (google/protobuf/*.proto aside), each with its file and line. */
  missingImports: MissingImport[];
}

export interface MissingImport {
  file: string;
  line: number;
  import: string;
}

/**
 * Whether an import names one of these files: the path itself, or its end after a '/' (an
 * import is relative to an include root: `gcommon/v1/x.proto` names `proto/gcommon/v1/x.proto`).
 */
export function importable(paths: string[]): (imp: string) => boolean {
  const exact = new Set(paths);
  // the paths by file name, made the first time an import is not a path itself; each such import's answer kept
  let byName: Map<string, string[]> | null = null;
  const known = new Map<string, boolean>();
  return (imp) => {
    if (exact.has(imp)) return true;
    let found = known.get(imp);
    if (found !== undefined) return found;
    if (!byName) {
      byName = new Map();
      for (const p of paths) append(byName, p.slice(p.lastIndexOf('/') + 1), p);
    }
    found = (byName.get(imp.slice(imp.lastIndexOf('/') + 1)) ?? []).some((p) => p.endsWith(`/${imp}`));
    known.set(imp, found);
    return found;
  };
}

interface Loaded {
  pb: PB;
  /** Where the parser is now: protobufjs keeps no line per declaration, its tokenizer knows it. */
  line(): number;
  setFile(i: number): void;
}

let loaded: Loaded | undefined;

/**
 * protobufjs, loaded on first use (only this check needs it), with its tokenizer wrapped so the
 * line of each declaration, field and rpc is known: the parser stamps `filename` on each of
 * them from `parse.filename`, which here reads the live tokenizer's line.
 */
function protobuf(): Loaded {
  if (loaded) return loaded;
  const require = createRequire(import.meta.url);
  let tokenizer: { line: number } | null = null;
  let file = -1;
  // the line each token was last read on: an enum's values are added after its block is read
  const tokenLines = new Map<string, number>();
  try {
    const at = require.resolve('protobufjs/src/tokenize.js');
    type Tokenizer = { line: number; next(): string | null };
    const tokenize = require(at) as (source: string, alt: boolean) => Tokenizer;
    const cached = require.cache[at];
    const wrapped = (source: string, alt: boolean) => {
      const tn = tokenize(source, alt);
      tokenLines.clear();
      tokenizer = tn;
      // only enum values are looked up: a file that never says `enum` reads its tokens unwatched
      if (!source.includes('enum')) return tn;
      const next = tn.next;
      // an enum value is `NAME = number`, the `=` read by skip(), not here: a name followed by
      // a number is kept with its line (one map write per number, not per token)
      let prev: string | null = null;
      let prevLine = 0;
      tn.next = () => {
        const t = next();
        if (t !== null) {
          const c = t.charCodeAt(0);
          if (prev !== null && ((c >= 48 && c <= 57) || c === 45)) tokenLines.set(prev, prevLine);
          prev = t;
          prevLine = tn.line;
        }
        return t;
      };
      return tn;
    };
    if (cached) cached.exports = Object.assign(wrapped, tokenize);
  } catch {
    // another layout of the package: lines are then unknown (0), the rest works
  }
  const pb = require('protobufjs') as PB;
  const add = pb.Enum.prototype.add;
  pb.Enum.prototype.add = function (this: Protobuf.Enum & { valueLines?: Record<string, number> }, name: string, ...rest: unknown[]) {
    const r = (add as (...a: unknown[]) => Protobuf.Enum).call(this, name, ...rest);
    if (file >= 0) (this.valueLines ??= {})[name] = tokenLines.get(name) ?? 0;
    return r;
  } as typeof add;
  // Type#add checks a new field's number against fieldsById, which it empties after each
  // field, so each field rebuilt it from all the fields before it (quadratic in a message's
  // fields). While a file is parsed here, the message keeps its fields by number as they come
  // and lends that to the check: the same check, one lookup a field.
  const addToType = pb.Type.prototype.add;
  type Numbered = Protobuf.Type & { _fieldsById: Record<number, Protobuf.Field> | null; byNumber?: Record<number, Protobuf.Field> };
  pb.Type.prototype.add = function (this: Numbered, object: Protobuf.ReflectionObject) {
    if (file < 0 || !(object instanceof pb.Field) || object.extend !== undefined) return addToType.call(this, object);
    const byNumber = (this.byNumber ??= { ...this.fieldsById });
    this._fieldsById = byNumber;
    const r = addToType.call(this, object);
    if (object.parent === this) byNumber[object.id] = object;
    return r;
  } as typeof addToType;
  // the line itself (a number, no string to build and read back per object)
  Object.defineProperty(pb.parse, 'filename', {
    configurable: true,
    get: () => (tokenizer && file >= 0 ? tokenizer.line : null),
    set: () => {},
  });
  loaded = { pb, line: () => tokenizer?.line ?? 0, setFile: (i) => (file = i) };
  return loaded;
}

/** Loads protobufjs on this thread now (a thread about to parse, while it waits for something else). */
export function loadParser(): void {
  protobuf();
}

/** What a cached schema depends on besides the files: this format and the parser's version. */
let version: string | undefined;
export function schemaVersion(): string {
  if (version) return version;
  const require = createRequire(import.meta.url);
  let self = '';
  try {
    // this file's own text: a schema read by other code is never taken for this code's
    self = createHash('sha256').update(readFileSync(fileURLToPath(import.meta.url))).digest('hex');
  } catch {
    self = String(Math.random()); // not known: no cached schema matches
  }
  return (version = `3 protobufjs ${(require('protobufjs/package.json') as { version: string }).version} ${self}`);
}

/** The line stamped by the wrapped parser (as `filename`), or null when the parser did not stamp it. */
const stamp = (filename: unknown): number | null => (typeof filename === 'number' ? filename : null);

/** The parser's reason without its "(file, line N)" tail. */
function reasonOf(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).replace(/\s*\((?:[^()]*, )?line \d+\)\s*$/, '');
}

/**
 * alternateCommentMode off: comments are skipped either way, and this check reads none of them;
 * keeping every comment's text (on) made parsing about a third slower on real-shaped files.
 */
const PARSE_OPTIONS = { keepCase: true, alternateCommentMode: false };


/**
 * What one file declares, as written: read from its text alone (no other file), so it is kept
 * per file (by blob id) and a changed file is read again by itself. Type references stay as
 * written with the scope they were written in; resolveSchema() resolves them over a whole set.
 * Plain data (no parser object): it survives JSON and a worker's message.
 */
export interface FileRecord {
  package: string;
  imports: string[];
  /** The line of each import (0 when not found in the text). */
  importLines?: number[];
  problem: { line: number; reason: string } | null;
  decls: RawDecl[];
  extensions: RawExtension[];
}

/**
 * `presence` is what the file says before types are known: a message-typed field tracks
 * presence anyway, so `optional` becomes `singular` once its type resolves to a message.
 */
type RawCardinality = Cardinality;

export interface RawField {
  number: number;
  name: string;
  /** As written: `Money`, `.gcommon.v1.billing.Money`, `string`. */
  type: string;
  /** A map's key type; the value type is `type`. */
  keyType?: string;
  cardinality: RawCardinality;
  oneof: string | null;
  line: number;
  default?: string;
  /** Only when it differs from the name's lowerCamelCase. */
  jsonName?: string;
  /** A group, or `message_encoding = DELIMITED` (kept once the type resolves to a message). */
  delimited?: true;
}

export interface RawDecl {
  kind: DeclKind;
  /** The name inside the file's package: `Invoice.Item`. */
  local: string;
  line: number;
  fields?: RawField[];
  values?: Array<[string, number, number]>;
  rpcs?: RpcInfo[];
  reserved?: { ranges: Array<[number, number]>; names: string[] };
}

export interface RawExtension {
  /** The extended message as written. */
  extendee: string;
  /** Where the `extend` block is, inside the package: '' (the package) or a message's local name. */
  scope: string;
  field: RawField;
}

/** An extension field (`extend Foo { ... }`), its types resolved. */
export interface ExtensionInfo {
  extendee: string;
  /** The extension's full name: its scope and its name. */
  fullName: string;
  package: string;
  file: string;
  field: FieldInfo;
}

/** The editions before editions: presence follows from the syntax, no features to resolve. */
const LEGACY = new Set(['proto2', 'proto3']);

/** The file's top-level objects (below its package's namespaces): they carry its edition. */
function topLevel(pb: PB, ns: Protobuf.NamespaceBase, out: Protobuf.ReflectionObject[] = []): Protobuf.ReflectionObject[] {
  for (const obj of ns.nestedArray) {
    if (obj instanceof pb.Namespace && !(obj instanceof pb.Type || obj instanceof pb.Service)) topLevel(pb, obj, out);
    else out.push(obj);
  }
  return out;
}

const ignore = () => {};

/** Reads one file: parsed with protobufjs into a Root of its own, then copied into plain records. */
export function readFileRecord(source: string): FileRecord {
  const { pb, line, setFile } = protobuf();
  const root = bareRoot(pb);
  const record: FileRecord = { package: '', imports: [], problem: null, decls: [], extensions: [] };
  setFile(0);
  try {
    Object.assign(record, headerOf(pb.parse(source, root, PARSE_OPTIONS), source));
  } catch (err) {
    record.problem = { line: line(), reason: reasonOf(err) };
  } finally {
    setFile(-1);
  }
  // Field presence: in proto2 and proto3 it follows from the syntax and the label (what
  // protobufjs's features resolution computes for them, at a fifth of the parse's cost); an
  // editions file (or one that names features at all) has its features resolved. A file that
  // never says `edition` is not one: its declarations are not walked to find out.
  const legacy = !source.includes('features') && (!source.includes('edition') || topLevel(pb, root).every((o) => LEGACY.has((o as unknown as { _edition: string })._edition)));
  if (!legacy) {
    try {
      (root as unknown as { _resolveFeaturesRecursive(e: unknown): void })._resolveFeaturesRecursive((root as unknown as { _edition: unknown })._edition);
    } catch {
      // presence then reads as written
    }
  }
  const visit = (ns: Protobuf.NamespaceBase, pkg: string, scope: string, edition: string): void => {
    for (const obj of ns.nestedArray) {
      // top-level objects carry the file's edition (or protobufjs's default when the parse stopped early)
      const ed = legacy ? (scope === '' ? ((obj as unknown as { _edition?: string })._edition ?? edition) : edition) : '';
      if (obj instanceof pb.Field) {
        if (obj.extend !== undefined && !obj.declaringField) {
          if (record.problem && !record.package) record.package = pkg;
          record.extensions.push({ extendee: obj.extend, scope, field: rawField(pb, obj, ed) });
        }
        continue;
      }
      const isType = obj instanceof pb.Type;
      const isEnum = !isType && obj instanceof pb.Enum;
      const isService = !isType && !isEnum && obj instanceof pb.Service;
      const at = stamp(obj.filename);
      if (!(isType || isEnum || isService)) {
        // a package's namespace (a plain namespace inside a message is not one: kept as its scope)
        if (obj instanceof pb.Namespace) visit(obj, scope ? pkg : pkg ? `${pkg}.${obj.name}` : obj.name, scope ? `${scope}.${obj.name}` : '', ed);
        continue;
      }
      const local = scope ? `${scope}.${obj.name}` : obj.name;
      if (at !== null) {
        if (record.problem && !record.package) record.package = pkg;
        const decl: RawDecl = { kind: isType ? 'message' : isEnum ? 'enum' : 'service', local, line: at };
        if (isType || isEnum) {
          const all = (obj as Protobuf.Type | Protobuf.Enum).reserved as Array<number[] | string> | undefined;
          if (all?.length) {
            const reserved = { ranges: [] as Array<[number, number]>, names: [] as string[] };
            for (const r of all) {
              if (typeof r === 'string') reserved.names.push(r);
              else reserved.ranges.push([r[0], r[1]]);
            }
            decl.reserved = reserved;
          }
        }
        if (isType) {
          // an extension of this message declared in the same file shows as a field named `.pkg.name`: it is read as an extension
          const fields: RawField[] = [];
          for (const f of (obj as Protobuf.Type).fieldsArray) if (!f.declaringField) fields.push(rawField(pb, f, ed));
          decl.fields = fields;
        } else if (isEnum) {
          const lines = (obj as Protobuf.Enum & { valueLines?: Record<string, number> }).valueLines ?? {};
          const values = (obj as Protobuf.Enum).values;
          decl.values = Object.keys(values).map((name) => [name, values[name], lines[name] ?? 0]);
        } else {
          decl.rpcs = (obj as Protobuf.Service).methodsArray.map((m) => {
            const rpc: RpcInfo = {
              name: m.name,
              request: m.requestType,
              response: m.responseType,
              requestStream: !!m.requestStream,
              responseStream: !!m.responseStream,
              line: stamp(m.filename) ?? at,
            };
            const level = (m.options as Record<string, unknown> | undefined)?.idempotency_level;
            if (typeof level === 'string' && level !== 'IDEMPOTENCY_UNKNOWN') rpc.idempotency = level;
            return rpc;
          });
        }
        record.decls.push(decl);
      }
      if (obj instanceof pb.Namespace) visit(obj, pkg, local, ed);
    }
  };
  visit(root, '', '', 'proto2');
  return record;
}
/** What a file's header says that its record holds: its package and imports. */
export type Header = Pick<FileRecord, 'package' | 'imports' | 'importLines'>;

/**
 * A file's header (the text before `bodyAt`, proto-header.ts) read alone with protobufjs: its
 * package and imports; null when it does not parse alone (the file is then parsed whole).
 */
export function readHeader(text: string, bodyAt: number): Header | null {
  const { pb } = protobuf();
  try {
    return headerOf(pb.parse(text.slice(0, bodyAt), bareRoot(pb), PARSE_OPTIONS), text);
  } catch {
    return null;
  }
}

/**
 * A Root for one file's parse. protobufjs's Root registers every object added under it, for its
 * own resolve (a full name built and stored per message, enum and field, extensions paired with
 * what they extend): this check resolves the records itself (resolveSchema), so this Root
 * registers nothing.
 */
function bareRoot(pb: PB): Protobuf.Root {
  const root = new pb.Root();
  (root as unknown as { _handleAdd(o: unknown): void })._handleAdd = ignore;
  return root;
}

/** What a parse says of a file's header: its package and imports, each import's line in `text`. */
function headerOf(r: Protobuf.IParserResult, text: string): Header {
  const header: Header = { package: r.package ?? '', imports: [...(r.imports ?? []), ...(r.weakImports ?? [])] };
  if (header.imports.length) header.importLines = header.imports.map((imp) => lineAt(text, text.indexOf(`"${imp}"`)));
  return header;
}

/**
 * The record of a file whose body is another's (proto-header.ts): that file's declarations and
 * extensions, `shift` lines further down (its header is that much longer), under its own
 * header. Records are read, never changed: with no shift the declarations are shared.
 */
export function twinRecord(of: FileRecord, shift: number, header: Header): FileRecord {
  const out: FileRecord = { package: header.package, imports: header.imports, problem: null, decls: of.decls, extensions: of.extensions };
  if (header.importLines) out.importLines = header.importLines;
  if (shift === 0) return out;
  // a line of 0 is one the parser did not know: it stays unknown
  const at = (line: number) => (line > 0 ? line + shift : line);
  const field = (f: RawField): RawField => ({ ...f, line: at(f.line) });
  out.decls = of.decls.map((d) => {
    const moved: RawDecl = { ...d, line: at(d.line) };
    if (d.fields) moved.fields = d.fields.map(field);
    if (d.values) moved.values = d.values.map(([name, n, line]) => [name, n, at(line)]);
    if (d.rpcs) moved.rpcs = d.rpcs.map((r) => ({ ...r, line: at(r.line) }));
    return moved;
  });
  out.extensions = of.extensions.map((e) => ({ ...e, field: field(e.field) }));
  return out;
}

/**
 * A field as written. `edition`: the file's syntax (`proto2`, `proto3`) when presence follows
 * from it and the label; '' when the field's resolved features say it.
 */
function rawField(pb: PB, f: Protobuf.Field, edition: string): RawField {
  const line = stamp(f.filename) ?? 0;
  const options = f.options as Record<string, unknown> | undefined;
  const synthetic = !!options?.proto3_optional;
  const oneof = f.partOf && !synthetic ? f.partOf.name : null;
  const jsonName = options && typeof options.json_name === 'string' && options.json_name !== lowerCamel(f.name) ? options.json_name : undefined;
  let out: RawField;
  if (f instanceof pb.MapField) out = { number: f.id, name: f.name, type: f.type, keyType: f.keyType, cardinality: 'map', oneof, line };
  else {
    let cardinality: Cardinality;
    if (edition) {
      // proto2: every field tracks presence (explicit); proto3: only `optional` ones (implicit otherwise)
      if (f.repeated) cardinality = 'repeated';
      else if (f.rule === 'required') cardinality = 'required';
      // a oneof member always tracks presence: "optional" would say nothing more
      else if (oneof) cardinality = 'singular';
      else cardinality = synthetic || edition === 'proto2' ? 'optional' : 'singular';
    } else {
      const features = (f as unknown as { _features?: { field_presence?: string } })._features ?? {};
      if (f.repeated) cardinality = 'repeated';
      else if (f.required || features.field_presence === 'LEGACY_REQUIRED') cardinality = 'required';
      else if (oneof) cardinality = 'singular';
      else if (synthetic || (features.field_presence !== undefined ? features.field_presence !== 'IMPLICIT' : f.optional && f.rule === 'optional')) cardinality = 'optional';
      else cardinality = 'singular';
    }
    out = { number: f.id, name: f.name, type: f.type, cardinality, oneof, line };
  }
  if (jsonName !== undefined) out.jsonName = jsonName;
  if (!(f instanceof pb.MapField) && !SCALARS.has(f.type) && isDelimited(pb, f, edition)) out.delimited = true;
  if (options?.default !== undefined && !(f instanceof pb.MapField)) out.default = JSON.stringify(options.default);
  return out;
}

/**
 * Whether a field is sent tag-delimited: in proto2 a group (a type of the same name nested beside
 * it, as protobufjs reads `group`), in editions the resolved `message_encoding` feature.
 */
function isDelimited(pb: PB, f: Protobuf.Field, edition: string): boolean {
  if (edition) {
    // protobufjs names a group's field after its type, first letter lowered
    if (f.type.charAt(0).toLowerCase() + f.type.slice(1) !== f.name) return false;
    const nested = f.parent?.get(f.type);
    return nested instanceof pb.Type && !!(nested as Protobuf.Type & { group?: boolean }).group;
  }
  return (f as unknown as { _features?: { message_encoding?: string } })._features?.message_encoding === 'DELIMITED';
}

/** The scalar types of the protobuf language: no declaration to resolve. */
const SCALARS = new Set(['double', 'float', 'int32', 'uint32', 'sint32', 'fixed32', 'sfixed32', 'int64', 'uint64', 'sint64', 'fixed64', 'sfixed64', 'bool', 'string', 'bytes']);

type SymbolKind = DeclKind | 'package';

/** The declarations of the well-known files protobufjs carries (google/protobuf/timestamp.proto, ...), by file. */
function wellKnown(file: string): Array<[string, SymbolKind]> {
  const require = createRequire(import.meta.url);
  let common: { get(f: string): { nested?: Record<string, unknown> } | null };
  try {
    common = require('protobufjs/src/common.js') as typeof common;
  } catch {
    return [];
  }
  const out: Array<[string, SymbolKind]> = [];
  const walk = (nested: Record<string, unknown> | undefined, prefix: string): void => {
    for (const [name, v] of Object.entries(nested ?? {})) {
      const node = v as { fields?: unknown; values?: unknown; methods?: unknown; nested?: Record<string, unknown> };
      const full = prefix ? `${prefix}.${name}` : name;
      out.push([full, node.fields ? 'message' : node.values ? 'enum' : node.methods ? 'service' : 'package']);
      walk(node.nested, full);
    }
  };
  walk(common.get(file)?.nested, '');
  return out;
}

const parentScope = (name: string) => name.slice(0, Math.max(0, name.lastIndexOf('.')));

/**
 * A set of files read together (they import each other): every declaration with its type
 * references resolved to full names as protobuf scopes them: a leading dot is fully
 * qualified; otherwise the name is looked for in the scope it is written in, then each
 * enclosing scope outward (message, package, each shorter package prefix, the top); as
 * protobufjs does, a name found nowhere that way is then looked for below the scopes (the
 * closest declaration whose full name ends with it). A name declared twice in a set names
 * the second file as not parsing, as one parser over the whole set would; an enum value's
 * name too, in its enum's scope, as protoc does.
 */
export function resolveSchema(files: Array<{ path: string; record: FileRecord }>): Schema {
  const symbols = new Map<string, SymbolKind>();
  const problems: ParseProblem[] = [];
  const addPackage = (pkg: string) => {
    for (let p = pkg; p && !symbols.has(p); p = parentScope(p)) symbols.set(p, 'package');
  };
  const kept: Array<{ path: string; record: FileRecord; decls: RawDecl[] }> = [];
  for (const { path: file, record } of files) {
    addPackage(record.package);
    let problem = record.problem;
    const decls: RawDecl[] = [];
    const dropped = new Set<string>();
    for (const d of record.decls) {
      const full = record.package ? `${record.package}.${d.local}` : d.local;
      if (dropped.has(parentScope(d.local))) {
        dropped.add(d.local);
        continue;
      }
      const was = symbols.get(full);
      // a message or service may take the name of a package (protobufjs moves the package's declarations into it), an enum may not
      if (was !== undefined && !(was === 'package' && d.kind !== 'enum')) {
        problem ??= { line: d.line, reason: `duplicate name '${d.local.split('.').pop()}' in ${parentScope(full) || 'the root'}` };
        dropped.add(d.local);
        continue;
      }
      symbols.set(full, d.kind);
      decls.push(d);
    }
    if (problem) problems.push({ file, line: problem.line, reason: problem.reason });
    kept.push({ path: file, record, decls });
  }
  // enum values are declared beside their enum (C++ scoping, which protoc checks): two enums of
  // one scope may not share a value name (two domains merged into one package, each with its
  // STATE_UNSPECIFIED), nor may a value take a declaration's name
  const withProblem = new Set(problems.map((p) => p.file));
  // each scope's value names (no name built per value: most enums are alone in their scope), and
  // the names declarations have, which a value's full name is looked for only when it shares
  const valuesIn = new Map<string, Set<string>>();
  const declNames = new Set<string>();
  for (const { decls } of kept) for (const d of decls) declNames.add(d.local.slice(d.local.lastIndexOf('.') + 1));
  for (const { path: file, record, decls } of kept) {
    for (const d of decls) {
      if (d.kind !== 'enum' || !d.values) continue;
      const scope = parentScope(record.package ? `${record.package}.${d.local}` : d.local);
      let names = valuesIn.get(scope);
      const alone = !names;
      if (!names) valuesIn.set(scope, (names = new Set()));
      for (const [name, , line] of d.values) {
        const clash = (!alone && names.has(name)) || (declNames.has(name) && symbols.has(scope ? `${scope}.${name}` : name));
        if (clash && !withProblem.has(file)) {
          problems.push({ file, line, reason: `duplicate name '${name}' in ${scope || 'the root'}: enum values share their enum's scope` });
          withProblem.add(file);
        }
        names.add(name);
      }
    }
  }
  // well-known types the set imports but does not hold; other imports of no file of the set
  const held = importable(files.map((f) => f.path));
  const imports = new Set<string>();
  const missingImports: MissingImport[] = [];
  for (const { path: file, record } of files) {
    record.imports.forEach((imp, i) => {
      if (held(imp)) return;
      // protobufjs carries google/protobuf/*.proto only
      if (imp.startsWith('google/protobuf/')) imports.add(imp);
      else missingImports.push({ file, line: record.importLines?.[i] ?? 0, import: imp });
    });
  }
  for (const imp of imports) {
    for (const [name, kind] of wellKnown(imp)) if (!symbols.has(name) || symbols.get(name) === 'package') symbols.set(name, kind);
  }

  let byLast: Map<string, string[]> | null = null;
  const below = (scope: string, written: string, fits: (k: SymbolKind | undefined) => boolean): string | null => {
    if (!byLast) {
      byLast = new Map();
      for (const name of symbols.keys()) {
        const last = name.slice(name.lastIndexOf('.') + 1);
        append(byLast, last, name);
      }
    }
    const last = written.slice(written.lastIndexOf('.') + 1);
    const candidates = (byLast.get(last) ?? []).filter((n) => (n === written || n.endsWith(`.${written}`)) && fits(symbols.get(n)));
    // the closest: the one sharing the longest scope with where it is written
    for (let s = scope; ; s = parentScope(s)) {
      const found = candidates.find((n) => !s || n.startsWith(`${s}.`));
      if (found) return found;
      if (!s) return null;
    }
  };
  const hasChildren = new Set<string>();
  for (const name of symbols.keys()) hasChildren.add(parentScope(name));
  // the same reference from the same scope resolves the same way: looked up once
  const looked = [new Map<string, Map<string, string | null>>(), new Map<string, Map<string, string | null>>()];
  /** A reference's full name, or null. `messageOnly` for rpc types. */
  const lookup = (scope: string, written: string, messageOnly: boolean): string | null => {
    // a scope that declares nothing inside it finds what its parent finds: skipped, so the
    // messages of a package share one cache
    while (scope && !hasChildren.has(scope)) scope = parentScope(scope);
    const byScope = looked[messageOnly ? 1 : 0];
    let known = byScope.get(scope);
    if (known === undefined) byScope.set(scope, (known = new Map()));
    const was = known.get(written);
    if (was !== undefined) return was;
    const fits = (k: SymbolKind | undefined) => k === 'message' || (!messageOnly && k === 'enum');
    let found: string | null = null;
    if (written.charCodeAt(0) === 46 /* . */) {
      if (fits(symbols.get(written.slice(1)))) found = written.slice(1);
    } else {
      for (let s = scope; ; s = parentScope(s)) {
        if (s && !hasChildren.has(s)) continue;
        const name = s ? `${s}.${written}` : written;
        if (fits(symbols.get(name))) {
          found = name;
          break;
        }
        if (!s) break;
      }
      found ??= below(scope, written, fits);
    }
    known.set(written, found);
    return found;
  };
  /** A reference's full name, `?written` when it resolves to nothing (no object made per field). */
  const typeOf = (scope: string, written: string, messageOnly = false): string => (SCALARS.has(written) ? written : (lookup(scope, written, messageOnly) ?? `?${written}`));
  const field = (scope: string, f: RawField): FieldInfo => {
    const jsonName = f.jsonName ?? lowerCamel(f.name);
    const type = typeOf(scope, f.type);
    if (f.cardinality === 'map') return { number: f.number, name: f.name, type: `map<${f.keyType}, ${type}>`, cardinality: 'map', oneof: f.oneof, line: f.line, jsonName };
    // a message field always tracks presence: "optional" would say nothing more
    const cardinality = f.cardinality === 'optional' && !SCALARS.has(type) && symbols.get(type) === 'message' ? 'singular' : f.cardinality;
    const info: FieldInfo = { number: f.number, name: f.name, type, cardinality, oneof: f.oneof, line: f.line, jsonName };
    if (f.delimited && symbols.get(type) === 'message') info.delimited = true;
    if (f.default !== undefined) info.default = f.default;
    return info;
  };

  const decls: Decl[] = [];
  const extensions: ExtensionInfo[] = [];
  for (const { path: file, record, decls: raw } of kept) {
    const pkg = record.package;
    const qualify = (local: string) => (pkg && local ? `${pkg}.${local}` : pkg || local);
    for (const d of raw) {
      const fullName = qualify(d.local);
      const values = new Map<number, string[]>();
      const valueLines: Record<string, number> = {};
      for (const [name, n, line] of d.values ?? []) {
        const names = values.get(n);
        if (names) names.push(name);
        else values.set(n, [name]);
        valueLines[name] = line;
      }
      decls.push({
        kind: d.kind,
        fullName,
        package: pkg,
        local: d.local,
        file,
        line: d.line,
        fields: (d.fields ?? []).map((f) => field(fullName, f)),
        values,
        valueLines,
        rpcs: (d.rpcs ?? []).map((r) => ({ ...r, request: typeOf(fullName, r.request, true), response: typeOf(fullName, r.response, true) })),
        reserved: d.reserved ?? { ranges: [], names: [] },
      });
    }
    for (const e of record.extensions) {
      const scope = qualify(e.scope);
      extensions.push({ extendee: typeOf(scope, e.extendee, true), fullName: scope ? `${scope}.${e.field.name}` : e.field.name, package: pkg, file, field: field(scope, e.field) });
    }
  }
  return { decls, problems, extensions, missingImports };
}

/** The line of a position in a text (0 for -1). */
function lineAt(text: string, at: number): number {
  if (at < 0) return 0;
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < at; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** protoc's JSON name of a field: underscores dropped, the letter after each one upper-cased. */
function lowerCamel(name: string): string {
  if (!name.includes('_')) return name;
  // the same names recur in file after file (`created_at`): each made once
  let out = camelCache.get(name);
  if (out !== undefined) return out;
  out = '';
  let up = false;
  for (const c of name) {
    if (c === '_') up = true;
    else {
      out += up ? c.toUpperCase() : c;
      up = false;
    }
  }
  if (camelCache.size < 50_000) camelCache.set(name, out);
  return out;
}
const camelCache = new Map<string, string>();

/**
 * A field as the cache stores it, a third of its size as an object (JSON of thousands of files
 * is read and written on every run that parses): [number, name, type, line, cardinality (0:
 * singular), oneof (0: none), {k: map key type, d: default, j: JSON name unless the default one}],
 * trailing defaults left out.
 */
type PackedField = Array<string | number | Record<string, string>>;

function packField(f: RawField): PackedField {
  const out: PackedField = [f.number, f.name, f.type, f.line, f.cardinality === 'singular' ? 0 : f.cardinality, f.oneof ?? 0];
  const extra: Record<string, string> = {};
  if ('keyType' in f && f.keyType !== undefined) extra.k = f.keyType;
  if (f.default !== undefined) extra.d = f.default;
  if (f.jsonName !== undefined && f.jsonName !== lowerCamel(f.name)) extra.j = f.jsonName;
  if (f.delimited) extra.g = '1';
  if (Object.keys(extra).length) out.push(extra);
  else while (out.length > 4 && out[out.length - 1] === 0) out.pop();
  return out;
}

function unpackField(p: unknown): RawField {
  if (!Array.isArray(p) || typeof p[0] !== 'number' || typeof p[1] !== 'string' || typeof p[2] !== 'string' || typeof p[3] !== 'number') throw new Error('not a field');
  const [number, name, type, line, cardinality = 0, oneof = 0, extra = {}] = p as [number, string, string, number, Cardinality | 0, string | 0, Record<string, string>];
  const f: RawField = { number, name, type, cardinality: cardinality || 'singular', oneof: oneof || null, line };
  if (extra.k !== undefined) f.keyType = extra.k;
  if (extra.j !== undefined) f.jsonName = extra.j;
  if (extra.g !== undefined) f.delimited = true;
  if (extra.d !== undefined) f.default = extra.d;
  return f;
}

/** The git blob id of bytes (what `git hash-object` says of a file without filters). */
export const blobId = (bytes: Buffer) => hash('sha1', Buffer.concat([Buffer.from(`blob ${bytes.length}\0`, 'latin1'), bytes]), 'hex');

/**
 * The blob id of a text's UTF-8 bytes: a file's blob id when the text is that file read as
 * UTF-8 (a file that is not UTF-8 reads as another text, so as another blob).
 */
export const textBlobId = (text: string) => hash('sha1', `blob ${Buffer.byteLength(text)}\0${text}`, 'hex');

/** A record's line in a cache pack: its blob id, then the record packed. */
export const cacheLine = (id: string, record: FileRecord) => `${id} ${JSON.stringify(packRecord(record))}`;

/** A file's record as the cache stores it. */
export function packRecord(r: FileRecord): unknown {
  return {
    ...r,
    decls: r.decls.map((d) => (d.fields ? { ...d, fields: d.fields.map(packField) } : d)),
    extensions: r.extensions.map((e) => ({ ...e, field: packField(e.field) })),
  };
}

/** A record read back from the cache; throws when it is not one. */
export function unpackRecord(x: unknown): FileRecord {
  const r = x as FileRecord;
  if (typeof r?.package !== 'string' || !Array.isArray(r.imports) || !Array.isArray(r.decls) || !Array.isArray(r.extensions)) throw new Error('not a record');
  for (const d of r.decls) if (d.fields) d.fields = d.fields.map((f) => unpackField(f));
  for (const e of r.extensions) e.field = unpackField(e.field);
  return r;
}
