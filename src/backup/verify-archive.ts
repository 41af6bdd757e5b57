/**
 * Reads an archive back, streaming, and checks every entry against its manifest: sha256, size,
 * type, link target, no missing and no extra entries. Memory does not grow with the archive.
 *
 * Two readers deliver the entries to the same check: for the archives this tool wrote (its own
 * check after writing, `verify backups`) the lean reader of tar-reader.ts, behind node's gunzip;
 * for restore, which may be handed an archive from elsewhere, node-tar's parser, the one its
 * extraction uses, with node-tar's decompression-ratio guard.
 */
import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import { createHash, hash as hashOnce, type Hash } from 'node:crypto';
import type { ReadEntry } from 'tar';
import { MANIFEST_FORMAT, MANIFEST_NAME, type Manifest, type ManifestEntry } from './manifest.js';
import { TarDamage, TarReader, type TarBody } from './tar-reader.js';
import { gunzipFile } from './gunzip-file.js';
import { msg } from '../messages.js';

export interface ArchiveCheck {
  ok: boolean;
  problems: string[];
  manifest: Manifest | null;
  files: number;
  bytes: number;
}

const TYPES: Record<string, ManifestEntry['type']> = { File: 'file', OldFile: 'file', Directory: 'dir', SymbolicLink: 'symlink' };
const MAX_PROBLEMS = 50;
/** A manifest larger than this is not one (about 3 million entries): it is not held in memory. */
const MAX_MANIFEST = 512 * 1024 * 1024;

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
   * An archive this tool wrote (its own check after writing, `verify backups`): read with the
   * lean reader, past node-tar's decompression-ratio guard (1000:1): reading writes nothing and
   * memory stays flat, and a file of zeros legitimately compresses beyond 1000:1. Restore reads
   * with node-tar and keeps the guard.
   */
  ownArchive?: boolean;
}

/** Does the file start as gzip does? (false when it cannot be read: the stream says why) */
function isGzip(file: string): boolean {
  const magic = Buffer.alloc(2);
  try {
    const fd = openSync(file, 'r');
    try {
      readSync(fd, magic, 0, 2, 0);
    } finally {
      closeSync(fd);
    }
  } catch {
    return false;
  }
  return magic[0] === 0x1f && magic[1] === 0x8b;
}

/** The check itself, entry by entry, whichever reader delivers the entries. */
class ManifestCheck {
  readonly problems: string[] = [];
  manifest: Manifest | null = null;
  private expected = new Map<string, ManifestEntry>();
  /** The manifest's entries met so far (by identity: no string to hash again). */
  private readonly seen = new Set<ManifestEntry>();
  private first = true;
  private files = 0;
  private bytes = 0;

  constructor(
    private readonly opts: VerifyOptions,
    private readonly onFile?: (size: number) => void,
  ) {}

  problem(p: string): void {
    if (this.problems.length < MAX_PROBLEMS) this.problems.push(p);
    else if (this.problems.length === MAX_PROBLEMS) this.problems.push(msg.archiveMoreProblems());
  }

  /** An entry's header: where its body goes (null: nothing to read in it). */
  entry(h: EntryHeader & { size: number }): TarBody | null {
    const name = h.path.endsWith('/') ? h.path.replace(/\/+$/, '') : h.path;
    if (this.first) {
      this.first = false;
      if (name !== MANIFEST_NAME) {
        this.problem(msg.archiveNoManifest(name));
        return null;
      }
      return this.manifestBody(h.size);
    }
    if (!this.manifest) return null;
    const refused = this.opts.check?.({ path: h.path, type: h.type, linkpath: h.linkpath, mode: h.mode });
    if (refused) this.problem(refused);
    const want = this.expected.get(name);
    if (!want) {
      this.problem(msg.archiveExtra(name));
      return null;
    }
    if (this.seen.has(want)) this.problem(msg.archiveTwice(name));
    this.seen.add(want);
    const type = TYPES[h.type];
    if (type !== want.type) {
      this.problem(msg.archiveTypeDiffers(name, type ?? h.type, want.type));
      return null;
    }
    if (type === 'symlink') {
      if (h.linkpath !== want.target) this.problem(msg.archiveLinkDiffers(name));
      return null;
    }
    if (type === 'dir') return null;
    return this.fileBody(name, want, h.size);
  }

  private manifestBody(size: number): TarBody {
    const chunks: Buffer[] = [];
    let got = 0;
    return {
      data: (c) => {
        got += c.length;
        if (got <= MAX_MANIFEST) chunks.push(Buffer.from(c));
      },
      end: () => {
        try {
          if (got > MAX_MANIFEST || size > MAX_MANIFEST) throw new Error(msg.archiveManifestTooLarge(MAX_MANIFEST));
          const m = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Manifest;
          if (m.format !== MANIFEST_FORMAT || !Array.isArray(m.entries)) throw new Error(msg.archiveManifestFormat());
          this.manifest = m;
          this.expected = new Map(m.entries.map((e) => [e.path, e]));
        } catch (err) {
          this.problem(msg.archiveManifestUnreadable((err as Error).message));
        }
      },
    };
  }

  /** sha256 of the body: in one call when it comes in one piece (most small files), else by parts. */
  private fileBody(name: string, want: ManifestEntry, declared: number): TarBody {
    let hash: Hash | null = null;
    let digest: string | null = null;
    let size = 0;
    return {
      data: (c) => {
        if (size === 0 && !hash && c.length === declared) digest = hashOnce('sha256', c, 'hex');
        else (hash ??= createHash('sha256')).update(c);
        size += c.length;
      },
      end: () => {
        this.files++;
        this.bytes += size;
        this.onFile?.(size);
        digest ??= (hash ?? createHash('sha256')).digest('hex');
        if (size !== want.size) this.problem(msg.archiveSizeDiffers(name, size, want.size));
        else if (digest !== want.sha256) this.problem(msg.archiveContentDiffers(name));
      },
    };
  }

  /** The outcome; `fatal`: the archive could not be read to its end. */
  result(fatal?: string): ArchiveCheck {
    if (fatal) this.problem(fatal);
    else if (this.first) this.problem(msg.archiveEmpty());
    else if (!this.manifest && this.problems.length === 0) this.problem(msg.archiveManifestMissing());
    else if (this.manifest) for (const [p, e] of this.expected) if (!this.seen.has(e)) this.problem(msg.archiveMissing(p));
    return { ok: this.problems.length === 0, problems: this.problems, manifest: this.manifest, files: this.files, bytes: this.bytes };
  }
}

export function verifyArchive(file: string, onFile?: (size: number) => void, opts: VerifyOptions = {}): Promise<ArchiveCheck> {
  const check = new ManifestCheck(opts, onFile);
  return opts.ownArchive ? readOwn(file, check) : readWithNodeTar(file, check);
}

/**
 * Our own archive: inflated on this thread into one reused buffer (gunzip-file.ts), into the
 * lean reader. Not gzip: the tar reader says what it makes of the bytes.
 */
async function readOwn(file: string, check: ManifestCheck): Promise<ArchiveCheck> {
  const reader = new TarReader((h) => check.entry(h));
  try {
    await gunzipFile(file, (piece) => reader.write(piece), { raw: !isGzip(file) });
    reader.end();
    return check.result();
  } catch (err) {
    if (err instanceof TarDamage) return check.result(msg.archiveDamaged(err.message));
    const e = err as NodeJS.ErrnoException;
    if (e.syscall) return check.result(msg.archiveUnreadable(e.message));
    if (typeof e.code === 'string' && e.code.startsWith('Z_')) return check.result(msg.archiveDamaged(e.message));
    throw err;
  }
}

/**
 * Any archive (restore): node-tar's parser, which inflates it behind its ratio guard. (Loaded
 * here, when needed: `archive` and `verify backups` do without it.)
 */
async function readWithNodeTar(file: string, check: ManifestCheck): Promise<ArchiveCheck> {
  const { Parser } = await import('tar');
  return new Promise((resolve) => {
    let finished = false;
    const finish = (fatal?: string) => {
      if (finished) return;
      finished = true;
      resolve(check.result(fatal));
    };
    const onEntry = (entry: ReadEntry) => {
      const body = check.entry({ path: entry.path, type: entry.type, linkpath: entry.linkpath, mode: entry.mode, size: entry.size });
      if (!body) return void entry.resume();
      entry.on('data', (c: Buffer) => body.data(c));
      entry.on('end', () => body.end());
    };
    const parser = new Parser({ strict: true, onReadEntry: onEntry });
    parser.on('error', (err: Error) => finish(msg.archiveDamaged(err.message)));
    parser.on('end', () => finish());
    const input = createReadStream(file, { highWaterMark: 1 << 20 });
    input.on('error', (err) => finish(msg.archiveUnreadable(err.message)));
    input.pipe(parser);
  });
}
