/**
 * `verify migration`: did the reorganization keep what the wire sees? The backup's .proto files
 * (read in one `git cat-file --batch`) and the tree's are parsed with protobufjs, each side's
 * files into one Root so imports resolve, and compared declaration by declaration (nested
 * ones too): field numbers, names, types, cardinality and oneofs, enum values, rpcs.
 *
 * Each declaration is judged where it lives now. While the tree holds both layouts, the new
 * one is read without the old one and the old one without the new one (both declare the same
 * packages): a declaration found in the new layout is compared there; one of a domain not
 * moved yet (nothing of that domain in the new layout) is compared where it is; one only in
 * the old layout while its domain was moved is lost when the old layout is removed; one
 * declared nowhere is lost. Files that two source files were written onto are named.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.js';
import type { Repo } from '../git/repo.js';
import { listTree } from '../git/tree.js';
import { readBlobs } from '../git/objects.js';
import { listWorkFiles, unchangedBlobs } from '../git/worktree.js';
import { msg } from '../messages.js';
import { layoutOf, type Layout } from './layout.js';
import { readSchemas, schemaVersion, type Decl, type ParseProblem, type Schema } from './proto-schema.js';
import { stateDir } from '../state/paths.js';
import { writeAtomic } from '../state/atomic.js';
import { compareDecl, matchDecls, renames, type Finding } from './proto-compare.js';
import { check, verification, type Verification } from '../util/check.js';
import type { BackupTarget } from './backup-target.js';

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
  source: string;
  /** The blob it was read from (the backup's files). */
  blob?: string;
}

const CACHE_KEPT = 4;

/**
 * A backup's schema, kept under the state folder once parsed: the backup never changes, and a
 * migration is verified again and again against it. Keyed by the files (path and blob) and the
 * parser's version; the newest few are kept. A cache that cannot be read or written is skipped.
 */
function schemaCache(repo: Repo, files: Source[]): { load(): Schema | null; save(schema: Schema): Promise<void> } {
  const key = createHash('sha256').update(schemaVersion()).update(JSON.stringify(files.map((f) => [f.path, f.blob]))).digest('hex').slice(0, 32);
  const dir = path.join(stateDir(repo), 'schema-cache');
  const file = path.join(dir, `${key}.json`);
  return {
    load() {
      try {
        const data = JSON.parse(readFileSync(file, 'utf8')) as Schema & { decls: Array<Decl & { values: Array<[number, string[]]> }> };
        return { ...data, decls: data.decls.map((d) => ({ ...d, values: new Map(d.values) })) };
      } catch {
        return null;
      }
    },
    async save(schema) {
      try {
        mkdirSync(dir, { recursive: true, mode: 0o700 });
        await writeAtomic(file, JSON.stringify({ ...schema, decls: schema.decls.map((d) => ({ ...d, values: [...d.values] })) }));
        const old = readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => ({ f, t: statSync(path.join(dir, f)).mtimeMs })).sort((a, b) => b.t - a.t);
        for (const { f } of old.slice(CACHE_KEPT)) rmSync(path.join(dir, f), { force: true });
      } catch {
        // a cache, nothing more
      }
    },
  };
}

/** The views a tree is read in: one, or (holding both layouts) the new one and the old one apart. */
function views(files: Source[], layout: Layout): { now: Source[]; old: Source[] | null } {
  const hasNew = files.some((f) => layout.inNewRoot(f.path));
  const hasOld = files.some((f) => layout.isOldProto(f.path));
  if (!(hasNew && hasOld)) return { now: files, old: null };
  return { now: files.filter((f) => !layout.isOldProto(f.path)), old: files.filter((f) => !layout.inNewRoot(f.path)) };
}

/**
 * Both sides' protos: the backup's from its tree, the work tree's from the object store where
 * git knows a file is unchanged since the index, else from the disk. Every blob of both sides
 * is read in one `git cat-file --batch`, and the same blob is decoded once.
 */
async function readSides(repo: Repo, backup: BackupTarget, layout: Layout): Promise<{ backup: Source[]; work: Source[] }> {
  const [entries, workPaths, unchanged] = await Promise.all([
    listTree(repo, backup.tree).then((all) => all.filter((e) => layout.isProto(e.path) && e.mode !== '120000')),
    listWorkFiles(repo).then((all) => all.filter(layout.isProto)),
    unchangedBlobs(repo),
  ]);
  const blobs = await readBlobs(repo, [...entries.map((e) => e.blob), ...workPaths.flatMap((p) => unchanged.get(p) ?? [])]);
  const text = new Map<string, string>();
  const decode = (id: string) => {
    let s = text.get(id);
    if (s === undefined) text.set(id, (s = blobs.get(id)?.toString('utf8') ?? ''));
    return s;
  };
  const work = workPaths.map((p) => {
    const id = unchanged.get(p);
    if (id && blobs.has(id)) return { path: p, source: decode(id) };
    try {
      return { path: p, source: readFileSync(path.join(repo.top, p), 'utf8') };
    } catch {
      return { path: p, source: '' }; // gone since it was listed
    }
  });
  return { backup: entries.map((e) => ({ path: e.path, source: decode(e.blob), blob: e.blob })), work };
}

/** The same files with the same bytes: the same schema, parsed once. */
function sameSources(a: Source[], b: Source[]): boolean {
  if (a.length !== b.length) return false;
  const byPath = new Map(b.map((f) => [f.path, f.source]));
  return a.every((f) => byPath.get(f.path) === f.source);
}

const parent = (d: Decl) => d.fullName.slice(0, Math.max(0, d.fullName.lastIndexOf('.')));

export async function verifyMigration(repo: Repo, config: Config, backup: BackupTarget): Promise<MigrationReport> {
  const layout = layoutOf(config);
  const { backup: backupFiles, work: workFiles } = await readSides(repo, backup, layout);

  // A backup taken mid-migration holds both layouts: the old one is what was there before.
  const b = views(backupFiles, layout);
  const backupSet = b.old ?? b.now;
  const w = views(workFiles, layout);
  // a set with the backup's files and bytes (mid-migration, the old layout often) is not parsed again
  const nowSame = sameSources(w.now, backupSet);
  const oldSame = w.old !== null && sameSources(w.old, backupSet);
  const cache = schemaCache(repo, backupSet);
  const cached = cache.load();
  const sets = [...(cached ? [] : [backupSet]), ...(nowSame ? [] : [w.now]), ...(w.old && !oldSame ? [w.old] : [])];
  const schemas = await readSchemas(sets);
  const before = cached ?? schemas[0];
  if (!cached) await cache.save(before);
  const now = nowSame ? before : schemas[cached ? 0 : 1];
  const old = w.old ? (oldSame ? before : schemas[schemas.length - 1]) : null;

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
  for (const d of before.decls) {
    const a = inNew.get(d) ?? inOld.get(d);
    const domain = layout.oldDomainOf(d.file);
    const stranded = !inNew.has(d) && a !== undefined && domain !== null && moved.has(domain);
    if (a && !stranded) {
      findings.push(...compareDecl(d, a, renamed));
      if (!d.local.includes('.') && (a.file !== d.file || a.package !== d.package)) {
        findings.push({ kind: 'declaration-moved', severity: 'info', declaration: `${d.kind} ${d.fullName}`, field: null,
          before: `${d.file} (${d.package || 'no package'})`, after: `${a.file} (${a.package || 'no package'})`, file: a.file, line: a.line,
          message: msg.verifyMovedPair(d.file, a.file, 1, d.package, a.package) });
      }
      continue;
    }
    lostNames.add(d.fullName);
    if (lostNames.has(parent(d))) continue; // its enclosing message is named already
    const when = stranded ? 'old-layout-removed' : 'now';
    lost.push({ kind: d.kind, name: d.local, fullName: d.fullName, package: d.package, file: d.file, line: d.line, when });
    const message = stranded ? msg.verifyLostWithOldLayout(d.kind, d.local, d.package, d.file) : msg.verifyLostDeclaration(d.kind, d.local, d.package, d.file);
    findings.push({ kind: stranded ? 'declaration-lost-with-old-layout' : 'declaration-lost', severity: 'error', declaration: `${d.kind} ${d.fullName}`,
      field: null, before: d.file, after: stranded ? a!.file : null, file: d.file, line: d.line, message });
  }
  for (const p of problems) {
    findings.unshift({ kind: 'unparsable', severity: 'error', declaration: '', field: null, before: null, after: null, file: p.file, line: p.line,
      message: msg.verifyUnparsable(p.side === 'backup' ? `backup ${backup.name}` : 'tree now', p.file, p.line, p.reason) });
  }

  const collisions = findCollisions(inNew, lost);
  for (const c of collisions) {
    findings.push({ kind: 'collision', severity: 'error', declaration: '', field: null, before: c.sources.join(', '), after: c.file, file: c.file, line: 1,
      message: msg.verifyCollision(c.file, c.sources) });
  }
  const errors = (kinds: string[]) => findings.filter((f) => kinds.includes(f.kind)).map((f) => (f.kind.startsWith('declaration') ? f.message : `${f.message} (${msg.wireAt(f.file, f.line)})`));
  const v = verification(backup.name, [
    check('parses', msg.verifyParsesTitle(), findings.filter((f) => f.kind === 'unparsable').map((f) => f.message)),
    check('declarations-kept', msg.verifyDeclarationsTitle(), errors(['declaration-lost', 'declaration-lost-with-old-layout'])),
    check('wire-kept', msg.verifyWireTitle(), findings.filter((f) => f.severity === 'error' && !f.kind.startsWith('declaration') && f.kind !== 'unparsable' && f.kind !== 'collision').map((f) => `${f.message} (${msg.wireAt(f.file, f.line)})`)),
    check('no-collisions', msg.verifyCollisionsTitle(), collisions.map((c) => msg.verifyCollision(c.file, c.sources))),
  ]);
  return { ...v, declarations: { backup: before.decls.length, current: now.decls.length + (old?.decls.length ?? 0) }, lost, collisions, findings };
}

/** Files now written from more than one source: the sources of their declarations, and the lost files of the same name. */
function findCollisions(matches: Map<Decl, Decl>, lost: LostDeclaration[]): MigrationReport['collisions'] {
  const sources = new Map<string, Set<string>>();
  for (const [b, a] of matches) sources.set(a.file, (sources.get(a.file) ?? new Set()).add(b.file));
  const lostFiles = new Set(lost.map((d) => d.file));
  const out: MigrationReport['collisions'] = [];
  for (const [file, from] of sources) {
    const base = path.posix.basename(file);
    const overwritten = [...lostFiles].filter((f) => path.posix.basename(f) === base && !from.has(f));
    if (overwritten.length) out.push({ file, sources: [...from, ...overwritten].sort() });
  }
  return out.sort((x, y) => (x.file < y.file ? -1 : 1));
}
