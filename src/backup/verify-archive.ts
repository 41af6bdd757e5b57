/**
 * Reads an archive back, streaming, and checks every entry against its manifest: sha256, size,
 * type, link target, no missing and no extra entries. Memory does not grow with the archive.
 */
import { createReadStream } from 'node:fs';
import { createHash } from 'node:crypto';
import { Parser, type ReadEntry } from 'tar';
import { MANIFEST_FORMAT, MANIFEST_NAME, type Manifest, type ManifestEntry } from './manifest.js';

export interface ArchiveCheck {
  ok: boolean;
  problems: string[];
  manifest: Manifest | null;
  files: number;
  bytes: number;
}

const TYPES: Record<string, ManifestEntry['type']> = { File: 'file', OldFile: 'file', Directory: 'dir', SymbolicLink: 'symlink' };
const MAX_PROBLEMS = 50;

/** What an entry's header says, for extra checks (e.g. restore's safety rules). */
export interface EntryHeader {
  path: string;
  /** tar's type name: File, Directory, SymbolicLink, Link, CharacterDevice, ... */
  type: string;
  linkpath?: string;
  mode?: number;
}

export interface VerifyOptions {
  /** Called for every entry after the manifest; a returned sentence is a problem. */
  check?: (entry: EntryHeader) => string | null;
  /**
   * Read past node-tar's decompression-ratio guard (1000:1). Only for archives this tool wrote
   * (its own check after writing, `verify backups`): reading writes nothing and memory stays flat,
   * and a file of zeros legitimately compresses beyond 1000:1. Restore keeps the guard.
   */
  ownArchive?: boolean;
}

export function verifyArchive(file: string, onFile?: (size: number) => void, opts: VerifyOptions = {}): Promise<ArchiveCheck> {
  return new Promise((resolve) => {
    const problems: string[] = [];
    const problem = (p: string) => {
      if (problems.length < MAX_PROBLEMS) problems.push(p);
      else if (problems.length === MAX_PROBLEMS) problems.push('(more problems not listed)');
    };
    let manifest: Manifest | null = null;
    let expected = new Map<string, ManifestEntry>();
    const seen = new Set<string>();
    let first = true;
    let files = 0;
    let total = 0;
    let finished = false;

    const finish = (fatal?: string) => {
      if (finished) return;
      finished = true;
      if (fatal) problem(fatal);
      else if (manifest) for (const p of expected.keys()) if (!seen.has(p)) problem(`missing from archive: ${p}`);
      resolve({ ok: problems.length === 0, problems, manifest, files, bytes: total });
    };

    const onEntry = (entry: ReadEntry) => {
      const name = entry.path.replace(/\/+$/, '');
      if (first) {
        first = false;
        if (name !== MANIFEST_NAME) {
          problem(`no manifest: not a reorg-guard archive (first entry is ${JSON.stringify(name)})`);
          entry.resume();
          return;
        }
        const chunks: Buffer[] = [];
        entry.on('data', (c: Buffer) => chunks.push(c));
        entry.on('end', () => {
          try {
            const m = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Manifest;
            if (m.format !== MANIFEST_FORMAT || !Array.isArray(m.entries)) throw new Error('unknown format');
            manifest = m;
            expected = new Map(m.entries.map((e) => [e.path, e]));
          } catch (err) {
            problem(`manifest unreadable: ${(err as Error).message}`);
          }
        });
        return;
      }
      if (!manifest) {
        entry.resume();
        return;
      }
      const refused = opts.check?.({ path: entry.path, type: entry.type, linkpath: entry.linkpath, mode: entry.mode });
      if (refused) problem(refused);
      const want = expected.get(name);
      if (!want) {
        problem(`extra entry not in manifest: ${name}`);
        entry.resume();
        return;
      }
      if (seen.has(name)) problem(`entry appears twice: ${name}`);
      seen.add(name);
      const type = TYPES[entry.type];
      if (type !== want.type) {
        problem(`${name}: is a ${type ?? entry.type} in the archive, the manifest says ${want.type}`);
        entry.resume();
        return;
      }
      if (type === 'symlink') {
        if (entry.linkpath !== want.target) problem(`${name}: link target differs`);
        entry.resume();
        return;
      }
      if (type === 'dir') {
        entry.resume();
        return;
      }
      const hash = createHash('sha256');
      let size = 0;
      entry.on('data', (c: Buffer) => {
        hash.update(c);
        size += c.length;
      });
      entry.on('end', () => {
        files++;
        total += size;
        onFile?.(size);
        if (size !== want.size) problem(`${name}: size ${size}, manifest says ${want.size}`);
        else if (hash.digest('hex') !== want.sha256) problem(`${name}: content differs from manifest (sha256)`);
      });
    };

    const parser = new Parser({ strict: true, onReadEntry: onEntry, ...(opts.ownArchive ? { maxDecompressionRatio: Infinity } : {}) });
    parser.on('error', (err: Error) => finish(`archive is damaged: ${err.message}`));
    parser.on('end', () => {
      if (first) finish('archive is empty');
      else if (!manifest && problems.length === 0) finish('manifest missing');
      else finish();
    });
    const input = createReadStream(file);
    input.on('error', (err) => finish(`cannot read archive: ${err.message}`));
    input.pipe(parser);
  });
}
