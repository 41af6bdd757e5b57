/**
 * What the wire sees of a set of .proto files, read with protobufjs: every message, enum and
 * service (nested ones included) with its fields, values and rpcs, each type reference resolved
 * to a full name within the whole set (files import each other). A file that does not parse is
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
export function schemaVersion(): string {
  const require = createRequire(import.meta.url);
  let self = '';
  try {
    // this file's own text: a schema read by other code is never taken for this code's
    self = createHash('sha256').update(readFileSync(fileURLToPath(import.meta.url))).digest('hex');
  } catch {
    self = String(Math.random()); // not known: no cached schema matches
  }
  return `2 protobufjs ${(require('protobufjs/package.json') as { version: string }).version} ${self}`;
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
 * Several sets at once: each set but the last parsed in a worker thread while this thread parses
 * the last, so two sides take the time of one on two cores. Where a worker cannot start (the
 * code run from its TypeScript sources), everything is parsed here.
 */
export async function readSchemas(sets: Array<Array<{ path: string; source: string }>>): Promise<Schema[]> {
  const script = new URL('./proto-schema-worker.js', import.meta.url);
  const inWorker = (files: Array<{ path: string; source: string }>) =>
    new Promise<Schema>((resolve, reject) => {
      const worker = new Worker(script, { workerData: files });
      worker.once('message', (schema: Schema) => resolve(schema));
      worker.once('error', reject);
      worker.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`schema worker exited with ${code}`))));
    });
  const here = async (files: Array<{ path: string; source: string }>) => readSchema(files);
  const others = sets.slice(0, -1).map((files) => inWorker(files).catch(() => here(files)));
  const last = sets.length ? [here(sets[sets.length - 1])] : [];
  return Promise.all([...others, ...last]);
}

/** Parses every file into one Root, then reads each declaration the files made. */
export function readSchema(files: Array<{ path: string; source: string }>): Schema {
  const { pb, line, setFile } = protobuf();
  const root = new pb.Root();
  const problems: ParseProblem[] = [];
  const imports = new Set<string>();
  files.forEach((f, i) => {
    setFile(i);
    try {
      const r = pb.parse(f.source, root, PARSE_OPTIONS);
      for (const imp of [...(r.imports ?? []), ...(r.weakImports ?? [])]) imports.add(imp);
    } catch (err) {
      problems.push({ file: f.path, line: line(), reason: reasonOf(err) });
    }
  });
  setFile(-1);
  // Well-known types (google/protobuf/timestamp.proto, ...) the set imports but does not hold.
  const held = new Set(files.map((f) => f.path));
  for (const imp of imports) {
    if (held.has(imp) || [...held].some((p) => p.endsWith(`/${imp}`))) continue;
    const json = pb.common.get(imp);
    if (json) {
      try {
        root.addJSON(json.nested ?? {});
      } catch {
        // already there
      }
    }
  }
  // field presence (proto2 / proto3 optional / editions features) comes from resolved features
  try {
    (root as unknown as { _resolveFeaturesRecursive(e: unknown): void })._resolveFeaturesRecursive((root as unknown as { _edition: unknown })._edition);
  } catch {
    // presence then reads as written
  }

  const decls: Decl[] = [];
  // the same reference from the same scope resolves the same way: looked up once
  const resolved = new Map<Protobuf.ReflectionObject, Map<string, { name: string; message: boolean }>>();
  const typeName: TypeName = (from, written, kinds) => {
    if (pb.types.defaults[written as keyof typeof pb.types.defaults] !== undefined || pb.types.mapKey[written as keyof typeof pb.types.mapKey] !== undefined) {
      return { name: written, message: false };
    }
    const parent = (from.parent ?? root) as Protobuf.Namespace;
    const key = `${written}\0${kinds.length}`;
    const scope = resolved.get(parent) ?? new Map<string, { name: string; message: boolean }>();
    if (scope.size === 0) resolved.set(parent, scope);
    let r = scope.get(key);
    if (!r) {
      let found: Protobuf.ReflectionObject | null = null;
      try {
        found = parent.lookup(written, kinds);
      } catch {
        found = null;
      }
      r = found ? { name: found.fullName.slice(1), message: found instanceof pb.Type } : { name: `?${written}`, message: false };
      scope.set(key, r);
    }
    return r;
  };

  const visit = (ns: Protobuf.NamespaceBase): void => {
    for (const obj of ns.nestedArray) {
      const at = stamp(obj.filename);
      const isType = obj instanceof pb.Type;
      const isEnum = obj instanceof pb.Enum;
      const isService = obj instanceof pb.Service;
      if ((isType || isEnum || isService) && at) {
        // the package: the namespace above the outermost message or service
        let outer: Protobuf.ReflectionObject = obj;
        while (outer.parent && !(outer.parent instanceof pb.Root) && (outer.parent instanceof pb.Type || outer.parent instanceof pb.Service)) outer = outer.parent;
        const pkg = outer.parent && !(outer.parent instanceof pb.Root) ? outer.parent.fullName.slice(1) : '';
        const fullName = obj.fullName.slice(1);
        const decl: Decl = {
          kind: isType ? 'message' : isEnum ? 'enum' : 'service',
          fullName,
          package: pkg,
          local: pkg && fullName.startsWith(`${pkg}.`) ? fullName.slice(pkg.length + 1) : fullName,
          file: files[at.file].path,
          line: at.line,
          fields: [],
          values: new Map(),
          valueLines: {},
          rpcs: [],
          reserved: { ranges: [], names: [] },
        };
        if (isType || isEnum) {
          for (const r of ((obj as Protobuf.Type | Protobuf.Enum).reserved ?? []) as Array<number[] | string>) {
            if (typeof r === 'string') decl.reserved.names.push(r);
            else decl.reserved.ranges.push([r[0], r[1]]);
          }
        }
        if (isType) {
          for (const f of (obj as Protobuf.Type).fieldsArray) decl.fields.push(fieldInfo(pb, f, typeName));
        } else if (isEnum) {
          for (const [name, n] of Object.entries((obj as Protobuf.Enum).values)) decl.values.set(n, [...(decl.values.get(n) ?? []), name]);
          const lines = (obj as Protobuf.Enum & { valueLines?: Record<string, number> }).valueLines ?? {};
          for (const name of Object.keys((obj as Protobuf.Enum).values)) decl.valueLines[name] = lines[name] ?? 0;
        } else {
          for (const m of (obj as Protobuf.Service).methodsArray) {
            decl.rpcs.push({
              name: m.name,
              request: typeName(m, m.requestType, [pb.Type]).name,
              response: typeName(m, m.responseType, [pb.Type]).name,
              requestStream: !!m.requestStream,
              responseStream: !!m.responseStream,
              line: stamp(m.filename)?.line ?? at.line,
            });
          }
        }
        decls.push(decl);
      }
      if (obj instanceof pb.Namespace) visit(obj);
    }
  };
  visit(root);
  return { decls, problems };
}

type TypeName = (from: Protobuf.ReflectionObject, written: string, kinds: Array<typeof Protobuf.Type | typeof Protobuf.Enum>) => { name: string; message: boolean };

function fieldInfo(pb: PB, f: Protobuf.Field, typeName: TypeName): FieldInfo {
  const line = stamp(f.filename)?.line ?? 0;
  const synthetic = !!(f.options as Record<string, unknown> | undefined)?.proto3_optional;
  const oneof = f.partOf && !synthetic ? f.partOf.name : null;
  const value = typeName(f, f.type, [pb.Type, pb.Enum]);
  const options = (f.options ?? {}) as Record<string, unknown>;
  const jsonName = typeof options.json_name === 'string' ? options.json_name : lowerCamel(f.name);
  if (f instanceof pb.MapField) {
    return { number: f.id, name: f.name, type: `map<${f.keyType}, ${value.name}>`, cardinality: 'map', oneof, line, jsonName };
  }
  const byDefault = options.default === undefined ? {} : { default: JSON.stringify(options.default) };
  const features = (f as unknown as { _features?: { field_presence?: string } })._features ?? {};
  let cardinality: Cardinality;
  if (f.repeated) cardinality = 'repeated';
  else if (f.required || features.field_presence === 'LEGACY_REQUIRED') cardinality = 'required';
  // a message field and a oneof member always track presence: "optional" would say nothing more
  else if (oneof || value.message) cardinality = 'singular';
  else if (synthetic || (features.field_presence !== undefined ? features.field_presence !== 'IMPLICIT' : f.optional && f.rule === 'optional')) cardinality = 'optional';
  else cardinality = 'singular';
  return { number: f.id, name: f.name, type: value.name, cardinality, oneof, line, jsonName, ...byDefault };
}

/** protoc's JSON name of a field: underscores dropped, the letter after each one upper-cased. */
function lowerCamel(name: string): string {
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
