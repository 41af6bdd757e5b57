/**
 * A tar.gz written as a stream of 1 MiB pieces: tar headers (node-tar's Header and Pax, so the
 * bytes are what node-tar's Pack writes with `portable`) are copied and file contents read
 * straight into a piece, which is then handed to node's gzip, which compresses on a worker thread while the caller reads the next
 * files. Memory stays flat: at most a few MiB wait for the compressor.
 *
 * `member()` gives the same entries as one gzip member in memory (the manifest): gzip members
 * may be concatenated (RFC 1952, 2.2), and GNU tar, node-tar and node's gunzip read the result
 * as one stream.
 */
import { createWriteStream, readSync } from 'node:fs';
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import { createGzip, gzipSync, type Gzip, type ZlibOptions } from 'node:zlib';
import { Header, Pax } from 'tar';

/** The same level as `gzip` and GNU tar's `-z` by default. */
export const GZIP_LEVEL = 6;
const PIECE = 1 << 20;
const BLOCK = 512;
const ZEROS = Buffer.alloc(BLOCK * 2);

export type TarType = 'File' | 'Directory' | 'SymbolicLink';

export interface TarHeader {
  path: string;
  type: TarType;
  /** Permission bits as on disk; stored as node-tar's `portable` mode stores them. */
  mode: number;
  size: number;
  mtime?: Date;
  linkpath?: string;
}

/** node-tar's portable mode fix: owner can read and write, no group/other write; folders listable. */
function portableMode(mode: number, dir: boolean): number {
  let m = ((mode & 0o7777) | 0o600) & ~0o22;
  if (dir) {
    if (m & 0o400) m |= 0o100;
    if (m & 0o40) m |= 0o10;
    if (m & 0o4) m |= 0o1;
  }
  return m;
}

/** The header block(s) of an entry: a pax header first when a field does not fit ustar. */
export function headerBlocks(h: TarHeader): Buffer[] {
  const dir = h.type === 'Directory';
  const name = dir && !h.path.endsWith('/') ? `${h.path}/` : h.path;
  const mtime = dir ? undefined : h.mtime;
  const header = new Header({ path: name, mode: portableMode(h.mode, dir), size: dir ? 0 : h.size, mtime, type: h.type, linkpath: h.linkpath });
  const out: Buffer[] = [];
  if (header.encode()) out.push(new Pax({ path: name, linkpath: h.linkpath, mtime, size: header.size }).encode());
  out.push(header.block!);
  return out;
}

/** Zero bytes that fill a file's content up to a whole block. */
export const padding = (size: number): Buffer | null => (size % BLOCK ? ZEROS.subarray(0, BLOCK - (size % BLOCK)) : null);

/** Entries (header + content) as one gzip member, in memory: for something small, e.g. the manifest. */
export function member(entries: Array<{ header: TarHeader; body: Buffer }>): Buffer {
  const parts: Buffer[] = [];
  for (const { header, body } of entries) {
    parts.push(...headerBlocks(header), body);
    const pad = padding(body.length);
    if (pad) parts.push(pad);
  }
  return gzipSync(Buffer.concat(parts), { level: GZIP_LEVEL });
}

export class TarGzWriter {
  private readonly gzip: Gzip;
  private readonly done: Promise<void>;
  /** The piece being filled: headers are copied in, file content is read straight into it. */
  private buf = Buffer.allocUnsafe(PIECE);
  private len = 0;

  /** Writes to `file`, which must not exist yet. */
  constructor(file: string) {
    // Several pieces may wait for the compressor: reading goes on while it works.
    // (zlib hands its options to its Transform stream, whose buffer limit this is)
    this.gzip = createGzip({ level: GZIP_LEVEL, chunkSize: 256 * 1024, writableHighWaterMark: 4 * PIECE } as ZlibOptions);
    this.done = pipeline(this.gzip, createWriteStream(file, { flags: 'wx', mode: 0o600, highWaterMark: PIECE }));
    this.done.catch(() => {}); // seen by end()
  }

  /** Adds bytes; waits only when the compressor is several pieces behind. */
  async write(b: Buffer): Promise<void> {
    for (let off = 0; off < b.length; ) {
      const n = Math.min(b.length - off, PIECE - this.len);
      b.copy(this.buf, this.len, off, off + n);
      this.len += n;
      off += n;
      if (this.len === PIECE) await this.flush();
    }
  }

  /**
   * Reads up to `size` bytes of an open file straight into the archive (no copy), each piece also
   * shown to `seen` (a hash). Returns the bytes read: fewer when the file ended sooner.
   */
  async copyFrom(fd: number, size: number, seen: (piece: Buffer) => void): Promise<number> {
    let left = size;
    while (left > 0) {
      const n = readSync(fd, this.buf, this.len, Math.min(left, PIECE - this.len), null);
      if (n === 0) break;
      seen(this.buf.subarray(this.len, this.len + n));
      this.len += n;
      left -= n;
      if (this.len === PIECE) await this.flush();
    }
    return size - left;
  }

  async header(h: TarHeader): Promise<void> {
    for (const b of headerBlocks(h)) await this.write(b);
  }

  /** After a file's content: fills its last block. */
  async pad(size: number): Promise<void> {
    const pad = padding(size);
    if (pad) await this.write(pad);
  }

  private async flush(): Promise<void> {
    if (this.len === 0) return;
    const piece = this.buf.subarray(0, this.len);
    this.buf = Buffer.allocUnsafe(PIECE);
    this.len = 0;
    if (!this.gzip.write(piece)) await Promise.race([once(this.gzip, 'drain'), this.done]);
  }

  /** The end-of-archive blocks, then the file is complete. */
  async end(): Promise<void> {
    await this.write(ZEROS);
    await this.flush();
    this.gzip.end();
    await this.done;
  }

  /** Stops, for a failure: the file is left for the caller to remove. */
  async abort(): Promise<void> {
    this.gzip.destroy();
    await this.done.catch(() => {});
  }
}
