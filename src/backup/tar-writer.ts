/**
 * A tar.gz written as a stream of 1 MiB pieces: tar headers are encoded and file contents read
 * straight into a piece, which is then handed to node's gzip, which compresses on a worker thread
 * while the caller reads the next files. Memory stays flat: at most a few pieces wait for the
 * compressor, and pieces are reused once it is done with them.
 *
 * Headers are ustar as node-tar's `portable` mode writes them (no owner, group or times but the
 * file's mtime; a pax extended header first for a path or link target that is longer than ustar
 * holds or not ASCII, and for sizes from 8 GiB), encoded here in place: node-tar's Header class
 * built an object and a buffer per entry, which showed in profiles of trees of small files.
 *
 * `gzipMember()` gives an entry as one gzip member in memory (the manifest): gzip members may
 * be concatenated (RFC 1952, 2.2), and GNU tar, node-tar and node's gunzip read the result as
 * one stream.
 */
import { createWriteStream, readSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { createHash } from 'node:crypto';
import { createGzip, gzip, type Gzip, type ZlibOptions } from 'node:zlib';
import type { Later } from './walk-tree.js';

const gzipAsync = promisify(gzip);

/** The same level as `gzip` and GNU tar's `-z` by default. */
export const GZIP_LEVEL = 6;
/**
 * The size of a piece: small enough that the few pieces alive stay in the processor's caches
 * and cost few page faults (fresh memory costs one a 4 KiB page, about 20 µs each in this kind
 * of VM), large enough that handing pieces over is rare.
 */
export const PIECE = 256 * 1024;
/** tar's block: headers and contents take whole blocks. */
export const BLOCK = 512;
const ZEROS = Buffer.alloc(BLOCK * 2);
/** The largest number a 12-byte octal field holds (8 GiB - 1 as a size). */
const MAX_OCTAL_12 = 0o77777777777;
/** Pieces handed to the compressor at most (memory stays flat), one being filled besides. */
const MAX_PENDING = 3;
/** A file up to this size is read in one call, whole into the current piece. */
const SMALL_FILE = PIECE / 2;

export type TarType = 'File' | 'Directory' | 'SymbolicLink';
const TYPE_FLAG: Record<TarType, number> = { File: 0x30, Directory: 0x35, SymbolicLink: 0x32 };

export interface TarHeader {
  path: string;
  type: TarType;
  /** Permission bits as on disk; stored as node-tar's `portable` mode stores them. */
  mode: number;
  size: number;
  /** Modification time in milliseconds (fs.Stats' mtimeMs). */
  mtimeMs?: number;
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

/** ASCII only, and at most `max` bytes: fits a ustar text field as it is. */
const fits = (s: string, max: number) => s.length <= max && Buffer.byteLength(s) === s.length;

/** `[prefix, name]` for ustar (a path up to 100 bytes, or split at a slash: 155 + 100), or null. */
function splitPath(p: string): [string, string] | null {
  if (!fits(p, 255)) return null;
  if (p.length <= 100) return ['', p];
  // the longest prefix that fits, ending at a slash, leaving a name that fits
  for (let i = Math.min(155, p.length - 2); i > 0; i--) {
    if (p.charCodeAt(i) !== 0x2f) continue;
    if (p.length - i - 1 > 100) return null;
    return [p.slice(0, i), p.slice(i + 1)];
  }
  return null;
}

/** An octal number as node-tar writes it: zero-padded, then a space and a NUL (or just a NUL when it fills the field). */
function octal(buf: Buffer, off: number, size: number, n: number): void {
  const digits = Math.floor(n).toString(8);
  const s = digits.length === size - 1 ? `${digits}\0` : `${'0'.repeat(size - digits.length - 2)}${digits} \0`;
  buf.write(s, off, size, 'latin1');
}

/** A number too large for octal: base-256, as GNU tar and node-tar read it. */
function base256(buf: Buffer, off: number, size: number, n: number): void {
  buf[off] = 0x80;
  for (let i = off + size - 1; i > off; i--, n = Math.floor(n / 256)) buf[i] = n % 256;
}

/** One pax record, `<len> <key>=<value>\n`, where len counts the whole record, itself included. */
function paxRecord(key: string, value: string): string {
  const rest = ` ${key}=${value}\n`;
  const bytes = Buffer.byteLength(rest);
  let len = bytes + String(bytes).length;
  if (String(len).length !== String(bytes).length) len = bytes + String(len).length;
  return `${len}${rest}`;
}

/** The fields of a ustar header block, written at `off` of a zeroed block. */
function ustar(buf: Buffer, off: number, f: { name: string; prefix: string; mode: number; size: number; mtime?: number; flag: number; linkpath: string }): void {
  buf.write(f.name, off, 100, 'utf8');
  octal(buf, off + 100, 8, f.mode);
  if (f.size > MAX_OCTAL_12) base256(buf, off + 124, 12, f.size);
  else octal(buf, off + 124, 12, f.size);
  if (f.mtime !== undefined) octal(buf, off + 136, 12, Math.min(Math.max(f.mtime, 0), MAX_OCTAL_12));
  buf[off + 156] = f.flag;
  if (f.linkpath) buf.write(f.linkpath, off + 157, 100, 'utf8');
  buf.write('ustar\u000000', off + 257, 8, 'latin1');
  if (f.prefix) buf.write(f.prefix, off + 345, 155, 'utf8');
  let sum = 8 * 0x20;
  for (let i = off; i < off + 148; i++) sum += buf[i];
  for (let i = off + 156; i < off + BLOCK; i++) sum += buf[i];
  octal(buf, off + 148, 8, sum);
}

/** An entry's header, planned: its pax body when it needs one, and the bytes it takes. */
interface Planned {
  h: TarHeader;
  name: string;
  prefix: string;
  mode: number;
  size: number;
  mtime?: number;
  pax: Buffer | null;
  length: number;
}

function plan(h: TarHeader): Planned {
  const dir = h.type === 'Directory';
  const p = dir && !h.path.endsWith('/') ? `${h.path}/` : h.path;
  const size = dir ? 0 : h.size;
  const mtime = dir || h.mtimeMs === undefined ? undefined : Math.floor(h.mtimeMs / 1000);
  const split = splitPath(p);
  const linkOk = !h.linkpath || fits(h.linkpath, 100);
  let pax: Buffer | null = null;
  if (!split || !linkOk || size > MAX_OCTAL_12) {
    let body = '';
    if (!split) body += paxRecord('path', p);
    if (!linkOk) body += paxRecord('linkpath', h.linkpath!);
    if (size > MAX_OCTAL_12) body += paxRecord('size', String(size));
    pax = Buffer.from(body, 'utf8');
  }
  const [prefix, name] = split ?? ['', p];
  const length = BLOCK + (pax ? BLOCK + Math.ceil(pax.length / BLOCK) * BLOCK : 0);
  return { h, name, prefix, mode: portableMode(h.mode, dir), size, mtime, pax, length };
}

/**
 * Zeroes bytes of a buffer: the typed array's own fill (Buffer's fill checks its arguments in
 * JavaScript first, which showed in profiles at two calls a file).
 */
const zero = (buf: Buffer, from: number, to: number) => void Uint8Array.prototype.fill.call(buf, 0, from, to);

/** Writes a planned header at `off` of `buf` (room for `length` bytes, any content). */
function encode(pl: Planned, buf: Buffer, off: number): void {
  zero(buf, off, off + pl.length);
  if (pl.pax) {
    // the pax header's own header: named after the entry, as node-tar names it
    const base = pl.h.path.replace(/\/+$/, '').split('/').pop() ?? '';
    ustar(buf, off, { name: `PaxHeader/${base}`, prefix: '', mode: 0o644, size: pl.pax.length, mtime: pl.mtime, flag: 0x78, linkpath: '' });
    pl.pax.copy(buf, off + BLOCK);
    off += pl.length - BLOCK;
  }
  ustar(buf, off, { name: pl.name, prefix: pl.prefix, mode: pl.mode, size: pl.size, mtime: pl.mtime, flag: TYPE_FLAG[pl.h.type], linkpath: pl.h.linkpath ?? '' });
}

/** A header block with only the fields every header has the same: zeros, `ustar\0` and version `00`. */
const TEMPLATE = Buffer.alloc(BLOCK);
TEMPLATE.write('ustar\u000000', 257, 8, 'latin1');
/** Its bytes' sum, the checksum field counted as spaces (as tar counts it). */
const TEMPLATE_SUM = TEMPLATE.reduce((n, b) => n + b, 8 * 0x20);
/** The smallest number that takes more digits than a field of 8 or 12 bytes holds with ' \0' after them. */
const WIDE = { 8: 8 ** 6, 12: 8 ** 10 } as const;

/**
 * `n` in octal as node-tar writes it (octal() above) into a field of a block that is zero there;
 * returns the sum of the bytes written, for the checksum.
 */
function octalAt(buf: Buffer, off: number, len: 8 | 12, n: number): number {
  const digits = n < WIDE[len] ? len - 2 : len - 1;
  let sum = 0;
  for (let i = off + digits - 1; i >= off; i--) {
    const d = 0x30 + (n % 8);
    buf[i] = d;
    sum += d;
    n = Math.floor(n / 8);
  }
  if (digits === len - 2) {
    buf[off + digits] = 0x20;
    sum += 0x20;
  }
  return sum;
}

/** An ASCII text of at most 100 bytes into a zeroed field; its byte sum, or -1 when it does not fit so (nothing else to go by: the caller plans it). */
function asciiAt(buf: Buffer, off: number, text: string, slash: boolean): number {
  const n = text.length + (slash ? 1 : 0);
  if (n > 100) return -1;
  let sum = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0x7f) return -1;
    buf[off + i] = c;
    sum += c;
  }
  if (slash) {
    buf[off + text.length] = 0x2f;
    sum += 0x2f;
  }
  return sum;
}

/**
 * The header of an entry that plain ustar holds (ASCII path and link target of up to 100 bytes,
 * a size in octal), written at `off` over the template: the same bytes as plan() and encode()
 * give it, without their objects and strings (they showed in profiles of small-file trees).
 * False, and the block is to be written again, when the entry needs more.
 */
function plainHeader(buf: Buffer, off: number, path: string, type: TarType, mode: number, size: number, mtimeMs: number | undefined, linkpath: string | undefined): boolean {
  const dir = type === 'Directory';
  if (dir) size = 0;
  if (size > MAX_OCTAL_12) return false;
  // the typed array's own set: Buffer's copy checks its arguments in JavaScript first
  buf.set(TEMPLATE, off);
  const name = asciiAt(buf, off, path, dir && !path.endsWith('/'));
  if (name < 0) return false;
  let sum = TEMPLATE_SUM + name;
  if (linkpath) {
    const link = asciiAt(buf, off + 157, linkpath, false);
    if (link < 0) return false;
    sum += link;
  }
  sum += octalAt(buf, off + 100, 8, portableMode(mode, dir));
  sum += octalAt(buf, off + 124, 12, size);
  if (!dir && mtimeMs !== undefined) sum += octalAt(buf, off + 136, 12, Math.min(Math.max(Math.floor(mtimeMs / 1000), 0), MAX_OCTAL_12));
  const flag = TYPE_FLAG[type];
  buf[off + 156] = flag;
  octalAt(buf, off + 148, 8, sum + flag);
  return true;
}

/** The header block(s) of an entry: a pax header first when a field does not fit ustar. */
export function headerBlocks(h: TarHeader): Buffer {
  const pl = plan(h);
  const buf = Buffer.alloc(pl.length);
  encode(pl, buf, 0);
  return buf;
}

/**
 * A file's tar entry around its content, in place (the manifest: its bytes are written once):
 * `buf` holds the `h.size` bytes of content after one block of room, and room for the padding
 * after them. Returns the entry's bytes, a view of `buf`. Only for a header plain ustar holds.
 */
export function entryInPlace(buf: Buffer, h: TarHeader): Buffer {
  if (!plainHeader(buf, 0, h.path, h.type, h.mode, h.size, h.mtimeMs, h.linkpath)) throw new Error(`not a plain ustar header: ${h.path}`);
  const end = BLOCK + h.size;
  const rest = h.size % BLOCK ? BLOCK - (h.size % BLOCK) : 0;
  zero(buf, end, end + rest);
  return buf.subarray(0, end + rest);
}

/** Bytes as one gzip member, compressed on node's thread pool (the caller's thread goes on meanwhile). */
export const gzipMember = (bytes: Buffer): Promise<Buffer> => gzipAsync(bytes, { level: GZIP_LEVEL });

export class TarGzWriter {
  private readonly gzip: Gzip;
  private readonly done: Promise<void>;
  /** The piece being filled: headers are encoded and file content is read straight into it. */
  private buf: Buffer;
  private len = 0;
  /** Pieces the compressor is done with, to fill again (fresh memory costs a page fault a page). */
  private readonly free: Buffer[] = [];
  /** Pieces handed to the compressor and not done yet; `wake` when one is. */
  private pending = 0;
  private wake: (() => void) | null = null;
  /** A piece went to the compressor since the caller last waited (later()). */
  private owed = false;
  /** The tar bytes handed to the compressor; the sha256 of its output and that output's length: what the file holds. */
  private tarBytes = 0;
  private readonly digest = createHash('sha256');
  private gzBytes = 0;

  /** Writes to `file`, which must not exist yet. */
  constructor(file: string) {
    // Several pieces may wait for the compressor (MAX_PENDING): reading goes on while it works.
    // (zlib hands its options to its Transform stream, whose buffer limit this is)
    this.gzip = createGzip({ level: GZIP_LEVEL, chunkSize: 256 * 1024, writableHighWaterMark: (MAX_PENDING + 1) * PIECE } as ZlibOptions);
    this.done = pipeline(this.gzip, createWriteStream(file, { flags: 'wx', mode: 0o600, highWaterMark: PIECE }));
    // the compressed bytes as they go to the file (a listener beside the pipe: both see every chunk)
    this.gzip.on('data', (chunk: Buffer) => {
      this.digest.update(chunk);
      this.gzBytes += chunk.length;
    });
    this.done.catch(() => {}); // seen by end()
    this.buf = Buffer.allocUnsafe(PIECE);
  }

  /** Adds bytes. */
  async write(b: Buffer): Promise<void> {
    for (let off = 0; off < b.length; ) {
      if (this.len === PIECE) {
        this.handOff();
        await this.later();
      }
      const n = Math.min(b.length - off, PIECE - this.len);
      b.copy(this.buf, this.len, off, off + n);
      this.len += n;
      off += n;
    }
  }

  /**
   * An entry's header. A small file's header goes into a piece with room for its content too,
   * so that the file is then read in one call. Most headers are plain ustar (an ASCII path of up
   * to 100 bytes), written byte by byte over a template (plainHeader); the others are planned.
   */
  header(h: TarHeader): Later {
    const extra = h.type === 'File' && h.size <= SMALL_FILE ? h.size + 1 + BLOCK : 0;
    if (PIECE - this.len < BLOCK + extra) this.handOff();
    if (plainHeader(this.buf, this.len, h.path, h.type, h.mode, h.size, h.mtimeMs, h.linkpath)) {
      this.len += BLOCK;
      return this.later();
    }
    const pl = plan(h);
    if (PIECE - this.len < pl.length + extra) this.handOff();
    if (pl.length > PIECE - this.len) return this.write(headerBlocks(h));
    encode(pl, this.buf, this.len);
    this.len += pl.length;
    return this.later();
  }

  /**
   * A small regular file whose header plain ustar holds (most of a source tree), whole: header,
   * content read from `fd` straight into the piece in one call, padding. Returns the content as
   * read (a view, valid until the next call): when its length is not `size`, the file changed
   * since its stat (it ended sooner, or goes on: one byte more than the size is asked for) and
   * the archive must fail. Null, with nothing written, for any other file: header(), copyFrom()
   * and pad() take it. The caller waits with later() after it.
   */
  smallFile(fd: number, path: string, mode: number, size: number, mtimeMs: number): Buffer | null {
    if (size > SMALL_FILE) return null;
    if (PIECE - this.len < BLOCK + size + 1 + BLOCK) this.handOff();
    if (!plainHeader(this.buf, this.len, path, 'File', mode, size, mtimeMs, undefined)) return null;
    const start = this.len + BLOCK;
    const n = readSync(fd, this.buf, start, size + 1, null);
    if (n === size) {
      this.len = start + size;
      this.pad(size);
    }
    return this.buf.subarray(start, start + n);
  }

  /**
   * Reads an open file's content straight into the archive (no copy), each piece also shown to
   * `seen` (a hash). Asks for one byte more than is left, so that a short read says the file
   * ended where its header said (no extra call to see the end). Returns the bytes read: `size`
   * when the file ended there, fewer when it ended sooner, `size + 1` when it goes on (the extra
   * byte is not packed).
   */
  async copyFrom(fd: number, size: number, seen: (piece: Buffer) => void): Promise<number> {
    let left = size;
    for (;;) {
      if (this.len === PIECE) {
        this.handOff();
        await this.later();
      }
      const ask = Math.min(left + 1, PIECE - this.len);
      const n = readSync(fd, this.buf, this.len, ask, null);
      if (n > left) return size + 1;
      if (n > 0) {
        seen(this.buf.subarray(this.len, this.len + n));
        this.len += n;
        left -= n;
      }
      if (n < ask) return size - left;
    }
  }

  /** After a file's content: fills its last block. */
  pad(size: number): void {
    const rest = size % BLOCK ? BLOCK - (size % BLOCK) : 0;
    if (rest === 0) return;
    if (PIECE - this.len < rest) this.handOff();
    zero(this.buf, this.len, this.len + rest);
    this.len += rest;
  }

  /**
   * Hands the piece to the compressor (it is never touched again until the compressor is done
   * with it) and goes on with a free one. The caller then waits with later().
   */
  private handOff(): void {
    if (this.len === 0) return;
    const piece = this.buf.subarray(0, this.len);
    const whole = this.buf;
    this.tarBytes += this.len;
    this.buf = this.free.pop() ?? Buffer.allocUnsafe(PIECE);
    this.len = 0;
    this.pending++;
    this.owed = true;
    // zlib has consumed the piece when the write's callback runs: it can be filled again
    this.gzip.write(piece, (err) => {
      this.pending--;
      if (!err) this.free.push(whole);
      const wake = this.wake;
      this.wake = null;
      wake?.();
    });
  }

  /**
   * Nothing when no piece went to the compressor since the last call; else a turn of the event
   * loop (zlib hands the next piece to its thread only in a callback here) or, while
   * MAX_PENDING pieces wait for the compressor, a wait for one of them (memory stays flat).
   */
  later(): Later {
    if (!this.owed) return;
    this.owed = false;
    if (this.pending < MAX_PENDING) return new Promise<void>((resolve) => setImmediate(resolve));
    return Promise.race([new Promise<void>((resolve) => (this.wake = resolve)), this.done]);
  }

  /** The end-of-archive blocks, then the file is complete. */
  async end(): Promise<void> {
    await this.write(ZEROS);
    this.handOff();
    this.gzip.end();
    await this.done;
  }

  /**
   * The pieces, once end() is done, for whoever reads next (the archive's own check, its
   * assembly): memory already touched costs no page fault.
   */
  spare(): Buffer[] {
    return [this.buf, ...this.free.splice(0)];
  }

  /**
   * What was written, once end() is done: the sha256 of the file's bytes and their number, and
   * the number of tar bytes they inflate to.
   */
  written(): { sha256: string; bytes: number; tarBytes: number } {
    return { sha256: this.digest.digest('hex'), bytes: this.gzBytes, tarBytes: this.tarBytes };
  }

  /** Stops, for a failure: the file is left for the caller to remove. */
  async abort(): Promise<void> {
    this.gzip.destroy();
    await this.done.catch(() => {});
  }
}
