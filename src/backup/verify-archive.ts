/**
 * Reads an archive back, streaming, and checks every entry against its manifest: sha256, size,
 * type, link target, no missing and no extra entries. Memory does not grow with the archive.
 *
 * Two readers deliver the entries to the same check: for the archives this tool wrote (`verify
 * backups`) the lean reader of tar-reader.ts, behind node's gunzip; for restore, which may be
 * handed an archive from elsewhere, node-tar's parser, the one its extraction uses, with
 * node-tar's decompression-ratio guard. (The archive's own check right after writing compares
 * the bytes it wrote instead: check-written.ts.)
 */
import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import { createHash, hash as hashOnce, type Hash } from 'node:crypto';
import type { ReadEntry } from 'tar';
import { MANIFEST_FORMAT, MANIFEST_NAME, type Manifest, type ManifestEntry } from './manifest.js';
import { TarDamage, TarReader, type TarBody } from './tar-reader.js';
import { gunzipFile, inflateProblem } from './gunzip-file.js';
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
   * An archive this tool wrote (`verify backups`): read with the lean reader, past node-tar's
   * decompression-ratio guard (1000:1): reading writes nothing and memory stays flat, and a file
   * of zeros legitimately compresses beyond 1000:1. Restore reads with node-tar and keeps the guard.
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

/**
 * The check itself, entry by entry, whichever reader delivers the entries. Entries are looked up
 * in the manifest in its order first (an archive this tool wrote has them in the same order), by
 * name only once an entry is not where the order says: no map of every path for a sound archive.
 * It is also the body of the file entry being read (bodies come one after another): no object or
 * closure per entry.
 */
class ManifestCheck implements TarBody {
  readonly problems: string[] = [];
  manifest: Manifest | null = null;
  private entries: ManifestEntry[] = [];
  /** Position of each path in `entries`, built when the order is left (null until then). */
  private byName: Map<string, number> | null = null;
  /** Where the next entry is expected in `entries`. */
  private next = 0;
  /** Entries met so far, by position. */
  private seen = new Uint8Array(0);
  private first = true;
  private files = 0;
  private bytes = 0;
  // the file entry whose body is being read
  private want: ManifestEntry | null = null;
  private declared = 0;
  private size = 0;
  private hash: Hash | null = null;
  private digest: string | null = null;

  constructor(
    private readonly opts: VerifyOptions,
    private readonly onFile?: (size: number) => void,
  ) {}

  problem(p: string): void {
    if (this.problems.length < MAX_PROBLEMS) this.problems.push(p);
    else if (this.problems.length === MAX_PROBLEMS) this.problems.push(msg.archiveMoreProblems());
  }

  /** The position of `name` in the manifest, or -1. */
  private find(name: string): number {
    const at = this.next;
    if (at < this.entries.length && this.entries[at].path === name) {
      this.next = at + 1;
      return at;
    }
    this.byName ??= new Map(this.entries.map((e, i) => [e.path, i]));
    const i = this.byName.get(name);
    if (i === undefined) return -1;
    this.next = i + 1;
    return i;
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
    const i = this.find(name);
    if (i < 0) {
      this.problem(msg.archiveExtra(name));
      return null;
    }
    if (this.seen[i]) this.problem(msg.archiveTwice(name));
    this.seen[i] = 1;
    const want = this.entries[i];
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
    this.want = want;
    this.declared = h.size;
    this.size = 0;
    this.hash = null;
    this.digest = null;
    return this;
  }

  private use(m: Manifest): void {
    this.manifest = m;
    this.entries = m.entries;
    this.seen = new Uint8Array(m.entries.length);
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
          this.use(m);
        } catch (err) {
          this.problem(msg.archiveManifestUnreadable((err as Error).message));
        }
      },
    };
  }

  /** A piece of the file entry's body: sha256 in one call when it comes whole (most small files), else by parts. */
  data(c: Buffer): void {
    if (this.size === 0 && !this.hash && c.length === this.declared) this.digest = hashOnce('sha256', c, 'hex');
    else (this.hash ??= createHash('sha256')).update(c);
    this.size += c.length;
  }

  end(): void {
    const want = this.want!;
    this.want = null;
    this.files++;
    this.bytes += this.size;
    this.onFile?.(this.size);
    const digest = this.digest ?? (this.hash ?? createHash('sha256')).digest('hex');
    if (this.size !== want.size) this.problem(msg.archiveSizeDiffers(want.path, this.size, want.size));
    else if (digest !== want.sha256) this.problem(msg.archiveContentDiffers(want.path));
  }

  /** The outcome; `fatal`: the archive could not be read to its end. */
  result(fatal?: string): ArchiveCheck {
    if (fatal) this.problem(fatal);
    else if (this.first) this.problem(msg.archiveEmpty());
    else if (!this.manifest && this.problems.length === 0) this.problem(msg.archiveManifestMissing());
    else if (this.manifest) for (let i = 0; i < this.entries.length; i++) if (!this.seen[i]) this.problem(msg.archiveMissing(this.entries[i].path));
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
    const problem = inflateProblem(err);
    if (problem === null) throw err;
    return check.result(problem);
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
