/**
 * What the wire sees of a set of .proto files. Each file is parsed alone with protobufjs and
 * copied into a plain record (readFileRecord: declarations, fields, enum values, rpcs and
 * extensions, type references as written), which is kept per file; the records of a set are
 * then resolved together here (resolveSchema: every type reference to a full name, as protobuf
 * scopes names; protobufjs's Root and resolveAll are not used). A file that does not parse is
 * named with the parser's line and reason; the other files are still read.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type * as Protobuf from 'protobufjs';

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
}

export interface RpcInfo {
  name: string;
  request: string;
  response: string;
  requestStream: boolean;
  responseStream: boolean;
  line: number;
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
 * them from `parse.filename`, which here reads "<file index>:<line>" from the live tokenizer.
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
      const next = tn.next;
      tn.next = () => {
        const t = next();
        if (t !== null) tokenLines.set(t, tn.line);
        return t;
      };
      tokenLines.clear();
      return (tokenizer = tn);
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
  Object.defineProperty(pb.parse, 'filename', {
    configurable: true,
    get: () => (tokenizer && file >= 0 ? `${file}:${tokenizer.line}` : null),
    set: () => {},
  });
  loaded = { pb, line: () => tokenizer?.line ?? 0, setFile: (i) => (file = i) };
  return loaded;
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

/** "<file index>:<line>" as stamped by the wrapped parser. */
function stamp(filename: string | null | undefined): { file: number; line: number } | null {
  if (!filename) return null;
  const i = filename.indexOf(':');
  return i < 0 ? null : { file: Number(filename.slice(0, i)), line: Number(filename.slice(i + 1)) };
}

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

/** Reads one file: parsed with protobufjs into a Root of its own, then copied into plain records. */
export function readFileRecord(source: string): FileRecord {
  const { pb, line, setFile } = protobuf();
  const root = new pb.Root();
  const record: FileRecord = { package: '', imports: [], problem: null, decls: [], extensions: [] };
  setFile(0);
  try {
    const r = pb.parse(source, root, PARSE_OPTIONS);
    record.package = r.package ?? '';
    record.imports = [...(r.imports ?? []), ...(r.weakImports ?? [])];
  } catch (err) {
    record.problem = { line: line(), reason: reasonOf(err) };
  } finally {
    setFile(-1);
  }
  // field presence (proto2 / proto3 optional / editions features) comes from resolved features
  try {
    (root as unknown as { _resolveFeaturesRecursive(e: unknown): void })._resolveFeaturesRecursive((root as unknown as { _edition: unknown })._edition);
  } catch {
    // presence then reads as written
  }
  // the package: the namespace above the outermost message or service (the `package` line's,
  // known also when the file stops parsing before its end)
  const packageOf = (obj: Protobuf.ReflectionObject): string => {
    let outer = obj;
    while (outer.parent && !(outer.parent instanceof pb.Root) && (outer.parent instanceof pb.Type || outer.parent instanceof pb.Service)) outer = outer.parent;
    return outer.parent && !(outer.parent instanceof pb.Root) ? outer.parent.fullName.slice(1) : '';
  };
  const localOf = (obj: Protobuf.ReflectionObject, pkg: string) => {
    const full = obj.fullName.slice(1);
    return pkg && full.startsWith(`${pkg}.`) ? full.slice(pkg.length + 1) : full;
  };
  const visit = (ns: Protobuf.NamespaceBase): void => {
    for (const obj of ns.nestedArray) {
      const isType = obj instanceof pb.Type;
      const isEnum = obj instanceof pb.Enum;
      const isService = obj instanceof pb.Service;
      const at = stamp(obj.filename);
      if (obj instanceof pb.Field && obj.extend !== undefined && !obj.declaringField) {
        const pkg = packageOf(obj);
        if (record.problem && !record.package) record.package = pkg;
        record.extensions.push({ extendee: obj.extend, scope: ns instanceof pb.Type ? localOf(ns, pkg) : '', field: rawField(pb, obj) });
        continue;
      }
      if ((isType || isEnum || isService) && at) {
        const pkg = packageOf(obj);
        if (record.problem && !record.package) record.package = pkg;
        const decl: RawDecl = { kind: isType ? 'message' : isEnum ? 'enum' : 'service', local: localOf(obj, pkg), line: at.line };
        if (isType || isEnum) {
          const reserved = { ranges: [] as Array<[number, number]>, names: [] as string[] };
          for (const r of ((obj as Protobuf.Type | Protobuf.Enum).reserved ?? []) as Array<number[] | string>) {
            if (typeof r === 'string') reserved.names.push(r);
            else reserved.ranges.push([r[0], r[1]]);
          }
          if (reserved.ranges.length || reserved.names.length) decl.reserved = reserved;
        }
        if (isType) {
          // an extension of this message declared in the same file shows as a field named `.pkg.name`: it is read as an extension
          decl.fields = (obj as Protobuf.Type).fieldsArray.filter((f) => !f.declaringField).map((f) => rawField(pb, f));
        } else if (isEnum) {
          const lines = (obj as Protobuf.Enum & { valueLines?: Record<string, number> }).valueLines ?? {};
          decl.values = Object.entries((obj as Protobuf.Enum).values).map(([name, n]) => [name, n, lines[name] ?? 0]);
        } else {
          decl.rpcs = (obj as Protobuf.Service).methodsArray.map((m) => ({
            name: m.name,
            request: m.requestType,
            response: m.responseType,
            requestStream: !!m.requestStream,
            responseStream: !!m.responseStream,
            line: stamp(m.filename)?.line ?? at.line,
          }));
        }
        record.decls.push(decl);
      }
      if (obj instanceof pb.Namespace) visit(obj);
    }
  };
  visit(root);
  return record;
}

function rawField(pb: PB, f: Protobuf.Field): RawField {
  const line = stamp(f.filename)?.line ?? 0;
  const options = (f.options ?? {}) as Record<string, unknown>;
  const synthetic = !!options.proto3_optional;
  const oneof = f.partOf && !synthetic ? f.partOf.name : null;
  const json = typeof options.json_name === 'string' && options.json_name !== lowerCamel(f.name) ? { jsonName: options.json_name } : {};
  if (f instanceof pb.MapField) return { number: f.id, name: f.name, type: f.type, keyType: f.keyType, cardinality: 'map', oneof, line, ...json };
  const byDefault = options.default === undefined ? {} : { default: JSON.stringify(options.default) };
  const features = (f as unknown as { _features?: { field_presence?: string } })._features ?? {};
  let cardinality: Cardinality;
  if (f.repeated) cardinality = 'repeated';
  else if (f.required || features.field_presence === 'LEGACY_REQUIRED') cardinality = 'required';
  // a oneof member always tracks presence: "optional" would say nothing more
  else if (oneof) cardinality = 'singular';
  else if (synthetic || (features.field_presence !== undefined ? features.field_presence !== 'IMPLICIT' : f.optional && f.rule === 'optional')) cardinality = 'optional';
  else cardinality = 'singular';
  return { number: f.id, name: f.name, type: f.type, cardinality, oneof, line, ...json, ...byDefault };
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
 * the second file as not parsing, as one parser over the whole set would.
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
  // well-known types the set imports but does not hold
  const held = files.map((f) => f.path);
  const heldSet = new Set(held);
  const imports = new Set(files.flatMap((f) => f.record.imports));
  for (const imp of imports) {
    // protobufjs carries google/protobuf/*.proto only
    if (!imp.startsWith('google/protobuf/') || heldSet.has(imp) || held.some((p) => p.endsWith(`/${imp}`))) continue;
    for (const [name, kind] of wellKnown(imp)) if (!symbols.has(name) || symbols.get(name) === 'package') symbols.set(name, kind);
  }

  let byLast: Map<string, string[]> | null = null;
  const below = (scope: string, written: string, fits: (k: SymbolKind | undefined) => boolean): string | null => {
    if (!byLast) {
      byLast = new Map();
      for (const name of symbols.keys()) {
        const last = name.slice(name.lastIndexOf('.') + 1);
        byLast.set(last, [...(byLast.get(last) ?? []), name]);
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
  const typeOf = (scope: string, written: string, messageOnly = false): { name: string; message: boolean } => {
    if (SCALARS.has(written)) return { name: written, message: false };
    const found = lookup(scope, written, messageOnly);
    return found ? { name: found, message: symbols.get(found) === 'message' } : { name: `?${written}`, message: false };
  };
  const field = (scope: string, f: RawField): FieldInfo => {
    const jsonName = f.jsonName ?? lowerCamel(f.name);
    const value = typeOf(scope, f.type);
    if (f.cardinality === 'map') return { number: f.number, name: f.name, type: `map<${f.keyType}, ${value.name}>`, cardinality: 'map', oneof: f.oneof, line: f.line, jsonName };
    // a message field always tracks presence: "optional" would say nothing more
    const cardinality = f.cardinality === 'optional' && value.message ? 'singular' : f.cardinality;
    const info: FieldInfo = { number: f.number, name: f.name, type: value.name, cardinality, oneof: f.oneof, line: f.line, jsonName };
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
        values.set(n, [...(values.get(n) ?? []), name]);
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
        rpcs: (d.rpcs ?? []).map((r) => ({ ...r, request: typeOf(fullName, r.request, true).name, response: typeOf(fullName, r.response, true).name })),
        reserved: d.reserved ?? { ranges: [], names: [] },
      });
    }
    for (const e of record.extensions) {
      const scope = qualify(e.scope);
      extensions.push({ extendee: typeOf(scope, e.extendee, true).name, fullName: scope ? `${scope}.${e.field.name}` : e.field.name, package: pkg, file, field: field(scope, e.field) });
    }
  }
  return { decls, problems, extensions };
}

/** Below this many files a worker thread's start (about 50 ms) costs more than it saves. */
const WORKER_MIN_FILES = 200;

/**
 * The records of many files, in order: on two cores, the first half read in a worker thread
 * while this thread reads the second. Where a worker cannot start (the code run from its
 * TypeScript sources), everything is read here.
 */
export async function readFileRecords(sources: string[]): Promise<FileRecord[]> {
  if (sources.length < WORKER_MIN_FILES) return sources.map((s) => readFileRecord(s));
  const half = Math.floor(sources.length / 2);
  const script = new URL('./proto-schema-worker.js', import.meta.url);
  const first = sources.slice(0, half);
  const inWorker = new Promise<FileRecord[]>((resolve, reject) => {
    const worker = new Worker(script, { workerData: first });
    worker.once('message', (records: FileRecord[]) => resolve(records));
    worker.once('error', reject);
    worker.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`schema worker exited with ${code}`))));
  });
  // the worker starts while this thread reads its half
  await new Promise<void>((resolve) => setImmediate(resolve));
  const second = sources.slice(half).map((s) => readFileRecord(s));
  const firstRecords = await inWorker.catch(() => first.map((s) => readFileRecord(s)));
  return [...firstRecords, ...second];
}

/** protoc's JSON name of a field: underscores dropped, the letter after each one upper-cased. */
function lowerCamel(name: string): string {
  if (!name.includes('_')) return name;
  let out = '';
  let up = false;
  for (const c of name) {
    if (c === '_') up = true;
    else {
      out += up ? c.toUpperCase() : c;
      up = false;
    }
  }
  return out;
}

/**
 * A field as the cache stores it, a third of its size as an object (JSON of thousands of files
 * is read and written on every run that parses): [number, name, type, line, cardinality (0:
 * singular), oneof (0: none), {k: map key type, d: default, j: JSON name unless the default one}],
 * trailing defaults left out.
 */
type PackedField = Array<string | number | Record<string, string>>;

function packField(f: RawField | FieldInfo): PackedField {
  const out: PackedField = [f.number, f.name, f.type, f.line, f.cardinality === 'singular' ? 0 : f.cardinality, f.oneof ?? 0];
  const extra: Record<string, string> = {};
  if ('keyType' in f && f.keyType !== undefined) extra.k = f.keyType;
  if (f.default !== undefined) extra.d = f.default;
  if (f.jsonName !== undefined && f.jsonName !== lowerCamel(f.name)) extra.j = f.jsonName;
  if (Object.keys(extra).length) out.push(extra);
  else while (out.length > 4 && out[out.length - 1] === 0) out.pop();
  return out;
}

function unpackField(p: unknown, resolved: boolean): RawField & FieldInfo {
  if (!Array.isArray(p) || typeof p[0] !== 'number' || typeof p[1] !== 'string' || typeof p[2] !== 'string' || typeof p[3] !== 'number') throw new Error('not a field');
  const [number, name, type, line, cardinality = 0, oneof = 0, extra = {}] = p as [number, string, string, number, Cardinality | 0, string | 0, Record<string, string>];
  const f: RawField & FieldInfo = { number, name, type, cardinality: cardinality || 'singular', oneof: oneof || null, line };
  if (extra.k !== undefined) f.keyType = extra.k;
  if (resolved || extra.j !== undefined) f.jsonName = extra.j ?? lowerCamel(name);
  if (extra.d !== undefined) f.default = extra.d;
  return f;
}

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
  for (const d of r.decls) if (d.fields) d.fields = d.fields.map((f) => unpackField(f, false));
  for (const e of r.extensions) e.field = unpackField(e.field, false);
  return r;
}

/** A resolved set's schema as the cache stores it: empty lists left out, fields packed. */
export function packSchema(schema: Schema): unknown {
  return {
    problems: schema.problems,
    extensions: schema.extensions.map((e) => ({ ...e, field: packField(e.field) })),
    decls: schema.decls.map((d) => ({
      ...d,
      fields: d.fields.length ? d.fields.map(packField) : undefined,
      rpcs: d.rpcs.length ? d.rpcs : undefined,
      values: d.values.size ? [...d.values] : undefined,
      valueLines: d.values.size ? d.valueLines : undefined,
      reserved: d.reserved.ranges.length || d.reserved.names.length ? d.reserved : undefined,
    })),
  };
}

/** A schema read back from the cache; throws when it is not one. */
export function unpackSchema(x: unknown): Schema {
  const data = x as { decls: Array<Omit<Partial<Decl>, 'values'> & { values?: Array<[number, string[]]> }>; problems: ParseProblem[]; extensions: ExtensionInfo[] };
  if (!Array.isArray(data?.decls) || !Array.isArray(data.problems) || !Array.isArray(data.extensions)) throw new Error('not a schema');
  // filled in place (a copy of each declaration cost more than the JSON's parse)
  const decls = data.decls as unknown as Decl[];
  for (const d of data.decls) {
    if (typeof d.fullName !== 'string' || typeof d.file !== 'string') throw new Error('not a declaration');
    // what packSchema() left out because it was empty
    const fields = (d.fields ?? []) as unknown[];
    for (let i = 0; i < fields.length; i++) fields[i] = unpackField(fields[i], true);
    d.fields = fields as FieldInfo[];
    d.rpcs ??= [];
    (d as unknown as Decl).values = new Map(d.values ?? []);
    d.valueLines ??= {};
    d.reserved ??= { ranges: [], names: [] };
  }
  return { decls, problems: data.problems, extensions: data.extensions.map((e) => ({ ...e, field: unpackField(e.field, true) })) };
}
