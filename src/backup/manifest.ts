/**
 * The manifest of an archive: every path with its type, mode, size and sha256. It travels
 * inside the archive as the first entry, so verification can read each file back and compare.
 */
import { closeSync, constants as fsConstants, fstatSync, lstatSync, openSync, readdirSync, readlinkSync, readSync, type Stats } from 'node:fs';
import { createHash, hash as hashOnce, type Hash } from 'node:crypto';
import path from 'node:path';
import type { PathMatcher } from '../util/glob.js';
import { msg } from '../messages.js';

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

/**
 * Where a walk sends what it reads (an archive): each entry, then a file's content. Each method
 * returns a promise only when the walk must wait (the sink is behind): otherwise the walk goes
 * on without a turn of the event loop, which counted at tens of thousands of entries.
 */
export interface EntrySink {
  entry(e: ManifestEntry, mtimeMs: number): Promise<void> | void;
  /**
   * Reads the open file's `size` bytes, showing each piece to `seen`; returns the bytes read:
   * `size` only when the file ended there (fewer: it ended sooner; `size + 1`: it goes on).
   */
  copyFrom(fd: number, size: number, seen: (piece: Buffer) => void): number | Promise<number>;
  /** After the last piece of a file. */
  fileEnd(e: ManifestEntry): Promise<void> | void;
}

const PIECE = 1 << 20;
// O_NONBLOCK: a file that turned into a FIFO since readdir must not block the open
const OPEN_FILE = fsConstants.O_RDONLY | fsConstants.O_NOFOLLOW | fsConstants.O_NONBLOCK;

/** Opens a file readdir called a regular file; null when it is something else by now. */
function openRegular(abs: string): { fd: number; st: Stats } | null {
  let fd: number;
  try {
    fd = openSync(abs, OPEN_FILE);
  } catch {
    return null; // gone, a symlink by now, unreadable: lstat tells what it is (and fails when gone)
  }
  const st = fstatSync(fd);
  if (st.isFile()) return { fd, st };
  closeSync(fd);
  return null;
}

let scratch: Buffer | undefined;

/**
 * Reads up to `size` bytes into one reused buffer (no copy kept), showing each piece to `seen`.
 * Same contract as EntrySink.copyFrom: asks for one byte more than is left, so a short read is
 * the file's end; returns `size + 1` when the file goes on.
 */
function hashOnly(fd: number, size: number, seen: (piece: Buffer) => void): number {
  scratch ??= Buffer.allocUnsafe(PIECE);
  let left = size;
  for (;;) {
    const ask = Math.min(left + 1, PIECE);
    const n = readSync(fd, scratch, 0, ask, null);
    if (n > left) return size + 1;
    if (n > 0) seen(scratch.subarray(0, n));
    left -= n;
    if (n < ask) return size - left;
  }
}

/**
 * The sha256 of the file being read, by pieces: in one call when the first piece is the whole
 * file (most are small). One for the whole walk (files are read one at a time), so that reading
 * a file makes no object or closure of its own.
 */
class FileHash {
  private size = 0;
  private hash: Hash | null = null;
  private digest: string | null = null;
  // (copyFrom never shows more than `size` bytes: a whole first piece is the whole file)
  readonly seen = (piece: Buffer): void => {
    if (!this.hash && this.digest === null && piece.length === this.size) this.digest = hashOnce('sha256', piece, 'hex');
    else (this.hash ??= createHash('sha256')).update(piece);
  };
  start(size: number): this {
    this.size = size;
    this.hash = null;
    this.digest = null;
    return this;
  }
  hex(): string {
    return this.digest ?? (this.hash ?? createHash('sha256')).digest('hex');
  }
}

/**
 * Reads an open file once, to its end: sha256 of every byte, each piece also to the sink. The
 * size must stay what fstat said (the sink wrote it into a header already). A promise only when
 * the sink made the read wait.
 */
function readFile(fd: number, entry: ManifestEntry, hash: FileHash, sink?: EntrySink): string | Promise<string> {
  hash.start(entry.size);
  const n = sink ? sink.copyFrom(fd, entry.size, hash.seen) : hashOnly(fd, entry.size, hash.seen);
  if (typeof n !== 'number') return n.then((m) => readEnd(m, entry, hash));
  return readEnd(n, entry, hash);
}

function readEnd(n: number, entry: ManifestEntry, hash: FileHash): string {
  if (n !== entry.size) throw new FileChangedError(entry.path);
  return hash.hex();
}

/**
 * Walks the tree below `root` in a stable order (a folder, then its content by name), skipping
 * excluded paths (the excluded folder's content is never read), and hashes every file, reading
 * it once. Symlinks are recorded, never followed. Synchronous file system calls: for many small
 * files, the thread pool's round trips cost more than the reads themselves.
 */
export async function walkTree(root: string, excluded: PathMatcher, onFile?: (size: number) => void, sink?: EntrySink): Promise<WalkResult> {
  const entries: ManifestEntry[] = [];
  const skipped: string[] = [];
  // paths below root by concatenation: path.join normalizes each one again
  const base = root.endsWith(path.sep) ? root : `${root}${path.sep}`;
  const hash = new FileHash();
  async function visit(rel: string): Promise<void> {
    const dirents = readdirSync(rel ? base + rel : root, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const d of dirents) {
      const p = rel ? `${rel}/${d.name}` : d.name;
      // the folder `rel` is not excluded (it was entered): only this name's own segment is new
      if (excluded(p, d.name) || p === MANIFEST_NAME) continue;
      const abs = base + p;
      const open = d.isFile() ? openRegular(abs) : null;
      const st = open?.st ?? lstatSync(abs);
      const mode = st.mode & 0o7777;
      if (st.isDirectory()) {
        const e: ManifestEntry = { path: p, type: 'dir', mode, size: 0 };
        entries.push(e);
        const wait = sink?.entry(e, st.mtimeMs);
        if (wait) await wait;
        await visit(p);
      } else if (st.isSymbolicLink()) {
        const e: ManifestEntry = { path: p, type: 'symlink', mode, size: 0, target: readlinkSync(abs) };
        entries.push(e);
        const wait = sink?.entry(e, st.mtimeMs);
        if (wait) await wait;
      } else if (st.isFile()) {
        const fd = open?.fd ?? openSync(abs, 'r');
        try {
          const e: ManifestEntry = { path: p, type: 'file', mode, size: st.size };
          const wait = sink?.entry(e, st.mtimeMs);
          if (wait) await wait;
          const sha = readFile(fd, e, hash, sink);
          e.sha256 = typeof sha === 'string' ? sha : await sha;
          entries.push(e);
          const padded = sink?.fileEnd(e);
          if (padded) await padded;
        } finally {
          closeSync(fd);
        }
        onFile?.(st.size);
      } else {
        skipped.push(p);
      }
    }
  }
  await visit('');
  return { entries, skipped };
}
