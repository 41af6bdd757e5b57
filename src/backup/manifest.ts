/**
 * The manifest of an archive: every path with its type, mode, size and sha256. It travels
 * inside the archive as the first entry, so verification can read each file back and compare.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { createHash } from 'node:crypto';
import type { PathMatcher } from '../util/glob.js';
import { msg } from '../messages.js';
import { walkFiles } from './walk-tree.js';

export const MANIFEST_NAME = '.reorg-guard-manifest.json';
export const MANIFEST_FORMAT = 'reorg-guard-manifest/1';

export interface ManifestEntry {
  path: string;
  type: 'file' | 'dir' | 'symlink';
  /** Permission bits, e.g. 0o644 (as a number). */
  mode: number;
  size: number;
  sha256?: string;
  /** Link target, for symlinks. */
  target?: string;
}

export interface Manifest {
  format: typeof MANIFEST_FORMAT;
  repo: string;
  /** The work tree it was made from: two repositories whose folders share a name share an archive prefix. */
  repoPath?: string;
  createdAt: string;
  head: string | null;
  files: number;
  bytes: number;
  entries: ManifestEntry[];
}

/** What a manifest says before its entries (known when the walk starts). */
export type ManifestStart = Pick<Manifest, 'format' | 'repo' | 'repoPath' | 'createdAt'>;

export interface WalkResult {
  entries: ManifestEntry[];
  /** Sockets, FIFOs and devices: never archived, named so the user knows. */
  skipped: string[];
}

/** A file whose size changed between its stat and the end of its read. */
export class FileChangedError extends Error {
  constructor(readonly path: string) {
    super(msg.archiveFileChanged(path));
    this.name = 'FileChangedError';
  }
}

/** The manifest never lists itself (a work tree may hold a file of that name at its top). */
export const withoutManifest = (excluded: PathMatcher): PathMatcher => (p, last) => p === MANIFEST_NAME || excluded(p, last);

const PIECE = 1 << 20;
let scratch: Buffer | undefined;

/**
 * The sha256 of an open file's `size` bytes, read into one reused buffer. Asks for one byte more
 * than is left, so that a short read is the file's end: FileChangedError when it ends sooner or
 * goes on.
 */
function hashFile(fd: number, size: number, path: string): string {
  scratch ??= Buffer.allocUnsafe(PIECE);
  const hash = createHash('sha256');
  let left = size;
  for (;;) {
    const ask = Math.min(left + 1, PIECE);
    const n = readSync(fd, scratch, 0, ask, null);
    if (n > left) throw new FileChangedError(path);
    hash.update(scratch.subarray(0, n));
    left -= n;
    if (n < ask) break;
  }
  if (left !== 0) throw new FileChangedError(path);
  return hash.digest('hex');
}

/** The sha256 of the file at `file`, expected to be `size` bytes; null when it is not (it changed while read). */
export function sha256Of(file: string, size: number): string | null {
  const fd = openSync(file, 'r');
  try {
    return hashFile(fd, size, file);
  } catch (err) {
    if (err instanceof FileChangedError) return null;
    throw err;
  } finally {
    closeSync(fd);
  }
}

/**
 * Every entry below `root` as the manifest lists it, each file hashed (read once), in the
 * archive's order. Restore checks an extracted tree with it.
 */
export async function walkTree(root: string, excluded: PathMatcher): Promise<WalkResult> {
  const entries: ManifestEntry[] = [];
  const skipped = await walkFiles(root, withoutManifest(excluded), {
    dir: (p, mode) => void entries.push({ path: p, type: 'dir', mode, size: 0 }),
    symlink: (p, mode, _mtimeMs, target) => void entries.push({ path: p, type: 'symlink', mode, size: 0, target }),
    file: (p, fd, size, mode) => void entries.push({ path: p, type: 'file', mode, size, sha256: hashFile(fd, size, p) }),
  });
  return { entries, skipped };
}

/** The manifest's first room: enough for some 25,000 entries, touched only as far as it is written. */
const FIRST_ROOM = 4 << 20;

/**
 * The manifest as JSON text, written entry by entry as the walk meets them into one buffer that
 * grows as needed: no object kept per entry (ten thousand of them made most of the garbage
 * collector's work), and its bytes written once, where the archive's first entry takes them
 * (`reserve` bytes before them: the tar header's room). What is only known at the end (HEAD,
 * the file count and their bytes) comes after the entries: `{"format", "repo", "repoPath",
 * "createdAt", "entries": [...], "head", "files", "bytes"}`, a manifest as readers have always
 * parsed it.
 */
export class ManifestText {
  files = 0;
  bytes = 0;
  private buf = Buffer.allocUnsafe(FIRST_ROOM);
  private len: number;
  private sep = '';

  constructor(
    start: ManifestStart,
    private readonly reserve: number,
  ) {
    this.len = reserve;
    const text = JSON.stringify({ ...start, entries: [] });
    // `..."entries":[]}`: the entries go between the brackets
    this.put(text.slice(0, -2));
  }

  /** Room for `n` more bytes (the buffer doubles: an amortized copy). */
  private room(n: number): void {
    if (this.buf.length - this.len >= n) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.len + n));
    this.buf.copy(bigger, 0, 0, this.len);
    this.buf = bigger;
  }

  private put(text: string): void {
    // at most 3 bytes of UTF-8 for each UTF-16 unit
    this.room(text.length * 3);
    this.len += this.buf.write(text, this.len, 'utf8');
  }

  private add(entry: string): void {
    this.put(this.sep + entry);
    this.sep = ',';
  }

  dir(p: string, mode: number): void {
    this.add(`{"path":${JSON.stringify(p)},"type":"dir","mode":${mode},"size":0}`);
  }

  symlink(p: string, mode: number, target: string): void {
    this.add(`{"path":${JSON.stringify(p)},"type":"symlink","mode":${mode},"size":0,"target":${JSON.stringify(target)}}`);
  }

  file(p: string, mode: number, size: number, sha256: string): void {
    this.files++;
    this.bytes += size;
    this.add(`{"path":${JSON.stringify(p)},"type":"file","mode":${mode},"size":${size},"sha256":"${sha256}"}`);
  }

  /**
   * The end: HEAD and the counts. Returns the buffer (the reserved room, the JSON, then `tail`
   * bytes of room left) and the JSON's length.
   */
  finish(head: string | null, tail: number): { buf: Buffer; size: number } {
    this.put(`],"head":${JSON.stringify(head)},"files":${this.files},"bytes":${this.bytes}}`);
    this.room(tail);
    return { buf: this.buf, size: this.len - this.reserve };
  }
}
