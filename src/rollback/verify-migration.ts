/**
 * `verify migration`: did the reorganization keep what the wire sees? The backup's .proto files
 * and the tree's are parsed with protobufjs (each file alone, kept by blob id), each side's
 * references resolved over its files, and compared declaration by declaration (nested ones
 * too): field numbers, names, types, cardinality and oneofs, enum values, rpcs, extensions.
 *
 * Each declaration is judged where it lives now. While the tree holds both layouts, the new
 * one is read without the old one and the old one without the new one (both declare the same
 * packages): a declaration found in the new layout is compared there; one of a domain not
 * moved yet (nothing of that domain in the new layout) is compared where it is; one only in
 * the old layout while its domain was moved is lost when the old layout is removed; one
 * declared nowhere is lost. Files that two source files were written onto are named.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, utimesSync } from 'node:fs';
import path from 'node:path';
import { deserialize, serialize } from 'node:v8';
import type { Config } from '../config.js';
import type { Repo } from '../git/repo.js';
import { listTree } from '../git/tree.js';
import { readBlobs } from '../git/objects.js';
import { workFileBlobs } from '../git/worktree.js';
import { msg } from '../messages.js';
import { layoutOf, type Layout } from './layout.js';
import { blobId, resolveSchema, schemaVersion, unpackRecord, type Decl, type FileRecord, type ParseProblem, type Schema } from './proto-schema.js';
import { parseHere, startParsers, type ParseItem, type Parsers } from './proto-parsers.js';
import { WORKER_MIN_FILES, manyFilesIn, stopEarly, threadCount, threadsFor } from './parser-threads.js';
import { schemaCacheIn } from '../state/paths.js';
import { writeWhole } from '../state/atomic.js';
import { compareDecl, compareExtensions, compareImports, matchDecls, renames, type Finding } from './proto-compare.js';
import { check, verification, type Verification } from '../util/check.js';
import type { BackupTarget } from './backup-target.js';
import { append } from '../util/group.js';
import { PARSE_KINDS, isWireKind } from '../ui/migration.js';

export type { Finding } from './proto-compare.js';

export interface LostDeclaration {
  kind: Decl['kind'];
  /** The name inside its package (`Invoice.Item`). */
  name: string;
  fullName: string;
  package: string;
  file: string;
  line: number;
  /** `now`: declared nowhere; `old-layout-removed`: only in the old layout, whose domain was moved. */
  when: 'now' | 'old-layout-removed';
}

export interface MigrationReport extends Verification {
  declarations: { backup: number; current: number };
  lost: LostDeclaration[];
  collisions: Array<{ file: string; sources: string[] }>;
  /** Every finding: errors (lost, changed) and information (moved). */
  findings: Finding[];
}

interface Source {
  path: string;
  /** The git blob id of exactly the bytes parsed: from the tree or the index, or hashed from the disk. */
  id: string;
  /** The text, once read (files read from the disk have it from the start). */
  source?: string;
}

/** How many packs of records are kept before they are merged into one. */
const PACKS_KEPT = 4;
/** How many records a merged pack holds at most (those used now always). */
const MERGED_MAX = 20_000;

interface Loaded {
  /** Records of the blob ids asked for. */
  found: Map<string, FileRecord>;
  /** Their lines, as read. */
  foundLines: Map<string, string>;
  /** The other lines of the packs read, by blob id, unparsed. */
  others: Map<string, string>;
  packs: string[];
}
/** The packs' own format (what save() writes and load() reads). */
const CACHE_FORMAT = '4';
/** How many resolved sets are kept, and their format. */
const SETS_KEPT = 8;
const SET_FORMAT = '5';
const SET_EXT = '.set';

/**
 * What each file declares (its record), kept under the state folder by the file's blob id: a
 * backup never changes, and a migration is verified again and again while little of the tree
 * changes, so only files never seen are parsed. A blob id names exactly the bytes read, and
 * each pack names the parser's version and code on its first line: a record is never stale.
 * Packs are written whole under a new name (a reader sees a pack whole or not at all; runs at
 * the same time each write their own), hold one record a line (a damaged line is skipped and
 * its file parsed again), and are merged into one when there are more than a few. A cache that
 * cannot be read or written is skipped.
 */
function recordCache(repo: Repo) {
  const dir = schemaCacheIn(repo.commonDir);
  const header = `reorg-guard schema records ${CACHE_FORMAT} ${schemaVersion()}`;
  return {
    /** The records of `wanted` blob ids found in the packs, and the packs read. */
    load(wanted: Set<string>): Loaded {
      const found = new Map<string, FileRecord>();
      const foundLines = new Map<string, string>();
      const others = new Map<string, string>();
      const packs: string[] = [];
      let names: string[];
      try {
        names = readdirSync(dir).filter((f) => f.endsWith('.pack'));
      } catch {
        return { found, foundLines, others, packs };
      }
      for (const name of names) {
        let text: string;
        try {
          text = readFileSync(path.join(dir, name), 'utf8');
        } catch {
          continue; // merged away by another run meanwhile
        }
        packs.push(name);
        const lines = text.split('\n');
        if (lines[0] !== header) continue;
        for (let i = 1; i < lines.length; i++) {
          const line = lines[i];
          const space = line.indexOf(' ');
          const id = line.slice(0, space);
          if (space < 0 || found.has(id)) continue;
          if (!wanted.has(id)) {
            if (!others.has(id)) others.set(id, line);
            continue;
          }
          try {
            found.set(id, unpackRecord(JSON.parse(line.slice(space + 1))));
            foundLines.set(id, line);
          } catch {
            // a damaged line: that file is parsed again
          }
        }
      }
      return { found, foundLines, others, packs };
    },
    /**
     * Writes the records parsed now (their lines, made where they were parsed); when there are
     * too many packs, merges them into one: the records used now, then the others read, up to a
     * bound.
     */
    async save(parsed: Map<string, string>, { foundLines, others, packs }: Loaded): Promise<void> {
      if (parsed.size === 0) return;
      try {
        mkdirSync(dir, { recursive: true, mode: 0o700 });
        const merge = packs.length + 1 > PACKS_KEPT;
        const lines = [header, ...parsed.values()];
        if (merge) {
          for (const [id, line] of foundLines) if (!parsed.has(id)) lines.push(line);
          for (const [id, line] of others) if (!foundLines.has(id) && !parsed.has(id) && lines.length <= MERGED_MAX) lines.push(line);
        }
        const text = `${lines.join('\n')}\n`;
        await writeWhole(path.join(dir, `${createHash('sha256').update(text).digest('hex').slice(0, 32)}.pack`), text);
        if (merge) for (const name of packs) rmSync(path.join(dir, name), { force: true });
      } catch {
        // a cache, nothing more
      }
    },
  };
}

/**
 * Resolved schemas of whole sets, kept beside the records: a set whose files all are as last
 * time (the usual run: nothing or little changed since) is read back whole, neither its
 * records loaded nor its references resolved again. Keyed by its files' paths and blob ids,
 * the parser's version and code and node's serializer: never stale. Written with node's own
 * serializer (v8.serialize: a quarter of the time of packing and JSON.stringify on the
 * thread that answers, and read back in half the time of JSON.parse). A set is written the
 * second time it is resolved (see schemasOf). The newest few are kept.
 */
function setCache(repo: Repo) {
  const dir = schemaCacheIn(repo.commonDir);
  const version = schemaVersion();
  const fileOf = (key: string) => path.join(dir, `${key}${SET_EXT}`);
  return {
    key(files: Source[]): string {
      return createHash('sha256').update(SET_FORMAT).update(version).update(` v8 ${process.versions.v8} ${serializerVersion()}\0`).update(JSON.stringify(files.map((f) => [f.path, f.id]))).digest('hex').slice(0, 32);
    },
    load(key: string): Schema | null {
      try {
        const schema = deserialize(readFileSync(fileOf(key))) as Schema;
        if (!Array.isArray(schema?.decls) || !Array.isArray(schema.problems) || !Array.isArray(schema.extensions)) return null;
        const now = new Date();
        utimesSync(fileOf(key), now, now); // used: kept longer
        return schema;
      } catch {
        return null;
      }
    },
    async save(key: string, schema: Schema): Promise<void> {
      try {
        mkdirSync(dir, { recursive: true, mode: 0o700 });
        await writeWhole(fileOf(key), serialize(schema));
        // the newest kept; sets of an older format (.json) go first
        const old = readdirSync(dir).filter((f) => f.endsWith(SET_EXT) || f.endsWith('.json')).map((f) => ({ f, t: f.endsWith(SET_EXT) ? statSync(path.join(dir, f)).mtimeMs : 0 })).sort((a, b) => b.t - a.t);
        for (const { f } of old.slice(SETS_KEPT)) rmSync(path.join(dir, f), { force: true });
      } catch {
        // a cache, nothing more
      }
    },
  };
}

/** The format version node's serializer writes (a header of each serialized value). */
let serializerHeader: string | undefined;
const serializerVersion = () => (serializerHeader ??= serialize(0).subarray(0, 2).toString('hex'));

/** The views a tree is read in: one, or (holding both layouts) the new one and the old one apart. */
function views(files: Source[], layout: Layout): { now: Source[]; old: Source[] | null } {
  const hasNew = files.some((f) => layout.inNewRoot(f.path));
  const hasOld = files.some((f) => layout.isOldProto(f.path));
  if (!(hasNew && hasOld)) return { now: files, old: null };
  return { now: files.filter((f) => !layout.isOldProto(f.path)), old: files.filter((f) => !layout.inNewRoot(f.path)) };
}

/**
 * Both sides' protos, by content id: the backup's from its tree, the work tree's from the
 * index where git knows a file is unchanged since (diff-files), else read from the disk and
 * hashed. Nothing else is read yet: a set found in the cache needs no text. The work tree's
 * come first (`onWork`): they are listed while the backup is still looked for.
 */
async function listSides(repo: Repo, backup: BackupTarget | Promise<BackupTarget>, layout: Layout, onWork: (files: Source[]) => void): Promise<{ backup: Source[]; work: Source[] }> {
  const fromDisk = (p: string): Source => {
    let bytes: Buffer;
    try {
      bytes = readFileSync(path.join(repo.top, p));
    } catch {
      bytes = Buffer.alloc(0); // gone since it was listed
    }
    return { path: p, id: blobId(bytes), source: bytes.toString('utf8') };
  };
  const [entries, work] = await Promise.all([
    Promise.resolve(backup).then((b) => listTree(repo, b.tree)).then((all) => all.filter((e) => layout.isProto(e.path) && e.mode !== '120000')),
    // git checks the protos on disk, not every file of the tree (isProto filters the same below)
    workFileBlobs(repo, ['*.proto']).then((w) => {
      const files = w.files.filter(layout.isProto).map((p): Source => {
        const id = w.unchanged.get(p);
        return id ? { path: p, id } : fromDisk(p);
      });
      onWork(files);
      return files;
    }),
  ]);
  return { backup: entries.map((e) => ({ path: e.path, id: e.blob })), work };
}

/**
 * Parses the files of these blob ids (each once). A work-tree file git says is unchanged since
 * the index is read from the disk by the thread that parses it (used only when its bytes are
 * that blob: a checkout filter or an edit since means git's copy); the rest are read in one
 * `git cat-file --batch` (each object a file to open and inflate when loose, several times the
 * cost of the disk) while the files on disk are parsed. A blob git does not have is read from
 * the disk as it is.
 */
async function parseFiles(repo: Repo, files: Source[], onDisk: Map<string, string>, parsers: Parsers): Promise<Map<string, { record: FileRecord; line: string }>> {
  const out = new Map<string, { record: FileRecord; line: string }>();
  const items: ParseItem[] = [];
  const fromGit: Source[] = [];
  for (const f of files) {
    const at = f.source === undefined ? onDisk.get(f.id) : undefined;
    if (f.source !== undefined) items.push({ id: f.id, text: f.source });
    else if (at !== undefined) items.push({ id: f.id, file: path.join(repo.top, at) });
    else fromGit.push(f);
  }
  const byId = new Map(files.map((f) => [f.id, f]));
  const again: Source[] = [];
  const parse = async (list: ParseItem[]) => {
    const parsed = await parsers.parse(list);
    parsed.forEach((p, i) => (p ? out.set(list[i].id, p) : again.push(byId.get(list[i].id)!)));
  };
  const gitCopies = async (list: Source[]): Promise<ParseItem[]> => {
    const blobs = await readBlobs(repo, list.map((f) => f.id));
    return list.map((f) => {
      const bytes = blobs.get(f.id);
      if (bytes !== undefined) return { id: f.id, text: bytes.toString('utf8') };
      try {
        return { id: f.id, text: readFileSync(path.join(repo.top, f.path), 'utf8') };
      } catch {
        return { id: f.id, text: '' };
      }
    });
  };
  await Promise.all([parse(items), fromGit.length ? gitCopies(fromGit).then(parse) : undefined]);
  // files on disk that were not their blob any more: git's copy
  if (again.length) await parse(await gitCopies(again.splice(0)));
  return out;
}

/** Files parsed or being parsed, by blob id: each blob is parsed once, for whoever asks first. */
interface Parsing {
  /** The records of these files, and maybe of others (those asked for before: as they come). */
  records(files: Source[]): Promise<Map<string, { record: FileRecord; line: string }>>;
  close(): void;
}

function parsing(repo: Repo, onDisk: Map<string, string>, parsers: Parsers): Parsing {
  const pending = new Map<string, Promise<Map<string, { record: FileRecord; line: string }>>>();
  return {
    async records(files) {
      const ids = new Set<string>();
      const fresh = files.filter((f) => !pending.has(f.id) && !ids.has(f.id) && ids.add(f.id));
      if (fresh.length) {
        const job = parseFiles(repo, fresh, onDisk, parsers);
        job.catch(() => {}); // awaited by whoever asked
        for (const f of fresh) pending.set(f.id, job);
      }
      // the records of the parses these files are in (a parse's may hold others too): one
      // parse, as usual, is handed over as it is, not copied
      const jobs = [...new Set(files.map((f) => pending.get(f.id)!))];
      if (jobs.length === 1) return jobs[0];
      const out = new Map<string, { record: FileRecord; line: string }>();
      for (const job of jobs) for (const [id, p] of await job) out.set(id, p);
      return out;
    },
    close: () => parsers.close(),
  };
}

/**
 * The schema of each set: resolved before (nothing changed since), or resolved now from each
 * file's record, kept or parsed (each blob once, on every core when there are many; `early`:
 * the parsing a cold run started as soon as the work tree was listed).
 */
async function schemasOf(repo: Repo, sets: Source[][], onDisk: Map<string, string>, early: Parsing | null): Promise<{ schemas: Schema[]; saved: Promise<unknown> }> {
  const resolved = setCache(repo);
  const keys = sets.map((set) => resolved.key(set));
  const schemas = new Map<string, Schema>();
  const wanted = new Map<string, Source[]>();
  let saved: Promise<unknown> = Promise.resolve();
  keys.forEach((key, i) => {
    if (schemas.has(key) || wanted.has(key)) return;
    const cached = resolved.load(key);
    if (cached) schemas.set(key, cached);
    else wanted.set(key, sets[i]);
  });
  if (wanted.size) {
    const cache = recordCache(repo);
    const all = [...wanted.values()].flat();
    const loaded = cache.load(new Set(all.map((f) => f.id)));
    const { found } = loaded;
    const missing = new Set(all.filter((f) => !found.has(f.id)).map((f) => f.id));
    // parsers of their own unless a cold run started them early
    const own = early || missing.size === 0 ? null : parsing(repo, onDisk, missing.size < WORKER_MIN_FILES ? parseHere : startParsers());
    const parser = early ?? own;
    const lines = new Map<string, string>();
    const saves: Array<Promise<unknown>> = [];
    try {
      // each blob missing from the cache, parsed once; all asked for at once, in order: a set is
      // resolved as soon as its files are in, while the next set's
      // files are still being parsed, and the parsers never wait for a set to be resolved
      const jobs = [...wanted.values()].map((set) => {
        const rest = set.filter((f) => missing.has(f.id));
        return parser && rest.length ? parser.records(rest) : Promise.resolve(new Map<string, { record: FileRecord; line: string }>());
      });
      jobs.forEach((p) => p.catch(() => {})); // each is awaited below, in order
      let i = 0;
      for (const [key, set] of wanted) {
        for (const [id, { record, line }] of await jobs[i++]) {
          found.set(id, record);
          lines.set(id, line);
        }
        schemas.set(key, resolveSchema(set.map((f) => ({ path: f.path, record: found.get(f.id)! }))));
        // kept when most of its files were read before: a set parsed whole now (a fresh clone, a
        // CI job) is most often never read again, and writing it (v8.serialize, about 40 ms a
        // set of 1,600 files) was a tenth of such a run; a set seen twice is kept the second time
        if (set.filter((f) => missing.has(f.id)).length * 2 <= set.length) saves.push(resolved.save(key, schemas.get(key)!));
      }
    } finally {
      own?.close();
    }
    saved = Promise.all([...saves, cache.save(lines, loaded)]);
  }
  return { schemas: keys.map((k) => schemas.get(k)!), saved };
}

const parent = (d: Decl) => d.fullName.slice(0, Math.max(0, d.fullName.lastIndexOf('.')));

/** About how many bytes these files hold: the texts read, and a sample of the others' sizes. */
function bytesOf(repo: Repo, files: Source[]): number {
  const step = Math.max(1, Math.floor(files.length / 64));
  let sampled = 0;
  let bytes = 0;
  for (let i = 0; i < files.length; i += step) {
    const f = files[i];
    try {
      bytes += f.source !== undefined ? f.source.length : statSync(path.join(repo.top, f.path)).size;
      sampled++;
    } catch {
      // gone since it was listed
    }
  }
  return sampled ? (bytes / sampled) * files.length : 0;
}

/** Work-tree files git knows unchanged, by blob id: read from the disk rather than from git where needed. */
const onDiskOf = (work: Source[]) => new Map(work.filter((f) => f.source === undefined).map((f) => [f.id, f.path]));

/** `backup` may still be looked for: the work tree is listed meanwhile. */
export async function verifyMigration(repo: Repo, config: Config, target: BackupTarget | Promise<BackupTarget>): Promise<MigrationReport> {
  // no cache yet (a fresh clone, a CI job): every file will be parsed. The parsers' threads
  // start now when the repository is big, unless cli.ts started them already (early-parsers.ts;
  // stopped here when there is a cache), and load protobufjs while git lists the files; and
  // the work tree's files are parsed as soon as they are listed, while git still looks for the
  // backup and lists it (its old layout is mostly the tree's)
  const cold = !existsSync(schemaCacheIn(repo.commonDir));
  const parallel = cold && manyFilesIn(repo.indexFile);
  if (!parallel) stopEarly();
  let threads: Parsers | null = parallel && threadCount() > 0 ? startParsers() : null;
  let early: Parsing | null = null;
  try {
    const layout = layoutOf(config);
    const listing = listSides(repo, target, layout, (work) => {
      if (!cold || work.length === 0) return;
      const many = work.length >= WORKER_MIN_FILES;
      if (!many) threads?.close();
      early = parsing(repo, onDiskOf(work), many ? (threads ??= startParsers(threadsFor(bytesOf(repo, work)))) : parseHere);
      const w = views(work, layout);
      for (const set of [w.old, w.now]) if (set) void early.records(set).catch(() => {});
    });
    // this thread parses too, from the first file it takes: loading protobufjs here before (about
    // 50 ms) held back the listing that hands the workers their files
    const sides = await listing;
    return await verifyWith(repo, layout, await target, sides, early);
  } finally {
    threads?.close();
  }
}

async function verifyWith(repo: Repo, layout: Layout, backup: BackupTarget, sides: { backup: Source[]; work: Source[] }, early: Parsing | null): Promise<MigrationReport> {
  const { backup: backupFiles, work: workFiles } = sides;

  // A backup taken mid-migration holds both layouts: the old one is what was there before.
  const b = views(backupFiles, layout);
  const w = views(workFiles, layout);
  const { schemas, saved } = await schemasOf(repo, [b.old ?? b.now, w.now, ...(w.old ? [w.old] : [])], onDiskOf(workFiles), early);
  // every file is in: the threads stop now, their ending beside the comparison, not after it
  early?.close();
  const [before, now, old = null] = schemas;

  const problems: Array<ParseProblem & { side: string }> = [];
  const seen = new Set<string>();
  for (const [side, list] of [['backup', before.problems], ['now', now.problems], ['now', old?.problems ?? []]] as const) {
    for (const p of list) {
      const k = `${side} ${p.file}`;
      if (!seen.has(k)) seen.add(k), problems.push({ ...p, side });
    }
  }

  const inNew = matchDecls(before.decls, now.decls);
  const rest = before.decls.filter((d) => !inNew.has(d));
  const inOld = old ? matchDecls(rest, old.decls) : new Map<Decl, Decl>();
  // a domain is moved once any of its declarations is found outside the old layout
  const moved = new Set<string>();
  for (const d of inNew.keys()) {
    const domain = layout.oldDomainOf(d.file);
    if (domain !== null) moved.add(domain);
  }
  const renamed = new Map([...renames(inOld), ...renames(inNew)]);

  const findings: Finding[] = [];
  const lost: LostDeclaration[] = [];
  const lostNames = new Set<string>();
  // the tree's declarations no backup declaration was matched to, by what they hold: where a
  // lost one may have gone under another name (made when one is lost)
  let unmatched: Map<string, Decl> | undefined;
  const unmatchedShapes = () => {
    const taken = new Set([...inNew.values(), ...inOld.values()]);
    const out = new Map<string, Decl>();
    for (const a of [...now.decls, ...(old?.decls ?? [])]) {
      const key = taken.has(a) ? null : shapeOf(a);
      if (key && !out.has(key)) out.set(key, a);
    }
    return out;
  };
  const renamedTo = new Map<Decl, Decl>();
  for (const d of before.decls) {
    const a = inNew.get(d) ?? inOld.get(d);
    const domain = layout.oldDomainOf(d.file);
    const stranded = !inNew.has(d) && a !== undefined && domain !== null && moved.has(domain);
    if (a && !stranded) {
      findings.push(...compareDecl(d, a, renamed));
      if (!d.local.includes('.') && (a.file !== d.file || a.package !== d.package)) {
        findings.push({ kind: 'declaration-moved', severity: 'info', declaration: `${d.kind} ${d.fullName}`, field: null,
          before: `${d.file} (${d.package || 'no package'})`, after: `${a.file} (${a.package || 'no package'})`, file: a.file, line: a.line,
          message: msg.verifyMovedOne(`${d.kind} ${d.fullName}`, d.file, a.file, d.package, a.package) });
      }
      continue;
    }
    lostNames.add(d.fullName);
    if (lostNames.has(parent(d))) continue; // its enclosing message is named already
    const when = stranded ? 'old-layout-removed' : 'now';
    lost.push({ kind: d.kind, name: d.local, fullName: d.fullName, package: d.package, file: d.file, line: d.line, when });
    const twin = stranded ? undefined : (unmatched ??= unmatchedShapes()).get(shapeOf(d) ?? '');
    if (twin) renamedTo.set(d, twin);
    const message = stranded ? msg.verifyLostWithOldLayout(d.kind, d.local, d.package, d.file)
      : msg.verifyLostDeclaration(d.kind, d.local, d.package, d.file) + (twin ? msg.verifyLostShapeFound(d.kind, twin.fullName, twin.file) : '');
    findings.push({ kind: stranded ? 'declaration-lost-with-old-layout' : 'declaration-lost', severity: 'error', declaration: `${d.kind} ${d.fullName}`,
      field: null, before: d.file, after: stranded ? a!.file : null, file: d.file, line: d.line, message });
  }
  findings.push(...compareExtensions(before.extensions, [...now.extensions, ...(old?.extensions ?? [])], renamed));
  findings.push(...compareImports([...now.missingImports, ...(old?.missingImports ?? [])], workFiles.map((f) => f.path), backupFiles.map((f) => f.path), new Map([...inNew, ...inOld])));
  for (const p of problems) {
    findings.unshift({ kind: 'unparsable', severity: 'error', declaration: null, field: null, before: null, after: null, file: p.file, line: p.line,
      message: msg.verifyUnparsable(p.side === 'backup' ? `backup ${backup.name}` : 'tree now', p.file, p.line, p.reason) });
  }

  // a file whose lost declarations went elsewhere under other names was not written over
  const renamedFiles = new Set([...renamedTo.keys()].map((d) => d.file));
  const collisions = findCollisions(inNew, lost.filter((d) => !renamedFiles.has(d.file)));
  for (const c of collisions) {
    findings.push({ kind: 'collision', severity: 'error', declaration: null, field: null, before: c.sources.join(', '), after: c.file, file: c.file, line: 1,
      message: msg.verifyCollision(c.file, c.sources) });
  }
  const errors = (kinds: string[]) => findings.filter((f) => kinds.includes(f.kind)).map((f) => (f.kind.startsWith('declaration') ? f.message : `${f.message} (${msg.wireAt(f.file, f.line)})`));
  const v = verification(backup.name, [
    check('parses', msg.verifyParsesTitle(), findings.filter((f) => PARSE_KINDS.has(f.kind)).map((f) => f.message)),
    check('declarations-kept', msg.verifyDeclarationsTitle(), errors(['declaration-lost', 'declaration-lost-with-old-layout'])),
    check('wire-kept', msg.verifyWireTitle(), findings.filter((f) => f.severity === 'error' && isWireKind(f.kind)).map((f) => `${f.message} (${msg.wireAt(f.file, f.line)})`)),
    check('no-collisions', msg.verifyCollisionsTitle(), collisions.map((c) => msg.verifyCollision(c.file, c.sources))),
  ]);
  await saved;
  return { ...v, declarations: { backup: before.decls.length, current: now.decls.length + (old?.decls.length ?? 0) }, lost, collisions, findings };
}

/**
 * What a declaration holds, as a key: its kind and its fields (number, name, type, cardinality),
 * enum values or rpcs, in order. Two declarations with the same key and other names are most
 * likely one renamed. Null for one that holds nothing (an empty message is no evidence).
 */
function shapeOf(d: Decl): string | null {
  // a type by its last name: the move may have changed its package
  const last = (type: string) => type.slice(type.lastIndexOf('.') + 1);
  const parts = d.kind === 'message' ? [...d.fields].sort((x, y) => x.number - y.number).map((f) => `${f.number} ${f.name} ${f.cardinality} ${last(f.type)}`)
    : d.kind === 'enum' ? [...d.values].sort((x, y) => x[0] - y[0]).map(([n, names]) => `${n} ${names.join(',')}`)
    : d.rpcs.map((r) => `${r.name} ${last(r.request)} ${r.requestStream} ${last(r.response)} ${r.responseStream}`);
  return parts.length ? `${d.kind}\n${parts.join('\n')}` : null;
}

/** Files now written from more than one source: the sources of their declarations, and the lost files of the same name. */
function findCollisions(matches: Map<Decl, Decl>, lost: LostDeclaration[]): MigrationReport['collisions'] {
  const sources = new Map<string, Set<string>>();
  for (const [b, a] of matches) sources.set(a.file, (sources.get(a.file) ?? new Set()).add(b.file));
  const lostByName = new Map<string, string[]>();
  for (const f of new Set(lost.map((d) => d.file))) append(lostByName, path.posix.basename(f), f);
  const out: MigrationReport['collisions'] = [];
  for (const [file, from] of sources) {
    const overwritten = (lostByName.get(path.posix.basename(file)) ?? []).filter((f) => !from.has(f));
    if (overwritten.length) out.push({ file, sources: [...from, ...overwritten].sort() });
  }
  return out.sort((x, y) => (x.file < y.file ? -1 : 1));
}
