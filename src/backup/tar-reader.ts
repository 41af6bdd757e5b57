/**
 * A lean reader of plain tar bytes, for the archives this tool writes (tar-writer.ts): ustar
 * headers, with a pax extended header ('x') before an entry whose path, link target or size does
 * not fit. No per-entry stream: bodies are handed over as slices of the pieces it is given, so
 * reading 10,000 small files costs 10,000 header parses, not 10,000 streams.
 *
 * It is strict, since it reads archives that are meant to be exactly ours: a bad header
 * checksum, a number that is not one, a header type it does not know (GNU long names, global
 * pax headers, ...), a body on an entry that has none, bytes after the end-of-archive blocks, or
 * an end before them are damage (TarDamage), never guessed around. Restore reads archives that
 * may come from elsewhere and keeps node-tar (the same parser as its extraction).
 */
import { msg } from '../messages.js';

const BLOCK = 512;
/** A pax header larger than this is damage, not something to hold in memory. */
const MAX_PAX = 1 << 20;

/** What an entry's header says (pax values applied). `type` is node-tar's name for it. */
export interface TarEntryHeader {
  path: string;
  type: string;
  mode: number;
  size: number;
  linkpath?: string;
}

/** Where an entry's body goes: its bytes in order, as slices of the input, valid only during the call (copy to keep them). */
export interface TarBody {
  data(piece: Buffer): void;
  end(): void;
}

/** The archive is not a well-formed tar of ours; the message says where and why. */
export class TarDamage extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TarDamage';
  }
}

const TYPES: Record<string, string> = {
  '0': 'File',
  '\0': 'File',
  '1': 'Link',
  '2': 'SymbolicLink',
  '3': 'CharacterDevice',
  '4': 'BlockDevice',
  '5': 'Directory',
  '6': 'FIFO',
  '7': 'ContiguousFile',
};
/** TYPES by the header's type byte (no string made per header). */
const TYPE_BY_BYTE: Array<string | undefined> = [];
for (const [flag, type] of Object.entries(TYPES)) TYPE_BY_BYTE[flag.charCodeAt(0)] = type;
const MAGIC_USTAR = Buffer.from('ustar\u000000', 'latin1');
const MAGIC_GNU = Buffer.from('ustar  \u0000', 'latin1');

/** Types whose size counts content blocks; for the others a size is damage. */
const HAS_BODY = new Set(['File', 'ContiguousFile']);

/** A NUL-terminated text field (the rest after the first NUL is ignored, as tar does). */
function text(b: Buffer, off: number, len: number): string {
  const end = b.indexOf(0, off);
  return b.toString('utf8', off, end < 0 || end > off + len ? off + len : end);
}

/** An octal number field (spaces or NULs around it), or base-256 when its first bit is set. */
function number(b: Buffer, off: number, len: number, field: string, at: number): number {
  if (b[off] & 0x80) {
    if (b[off] !== 0x80) throw new TarDamage(msg.tarBadField(field, at));
    let n = 0;
    for (let i = off + 1; i < off + len; i++) n = n * 256 + b[i];
    if (!Number.isSafeInteger(n)) throw new TarDamage(msg.tarBadField(field, at));
    return n;
  }
  let i = off;
  const end = off + len;
  while (i < end && b[i] === 0x20) i++;
  let n = 0;
  let digits = 0;
  for (; i < end && b[i] >= 0x30 && b[i] <= 0x37; i++, digits++) n = n * 8 + (b[i] - 0x30);
  for (; i < end; i++) if (b[i] !== 0x20 && b[i] !== 0) throw new TarDamage(msg.tarBadField(field, at));
  if (!digits) throw new TarDamage(msg.tarBadField(field, at));
  return n;
}

function checksumOk(b: Buffer, off: number, at: number): boolean {
  const want = number(b, off + 148, 8, 'checksum', at);
  let sum = 8 * 0x20;
  for (let i = off; i < off + 148; i++) sum += b[i];
  for (let i = off + 156; i < off + BLOCK; i++) sum += b[i];
  return sum === want;
}

function isZero(b: Buffer, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (b[i] !== 0) return false;
  return true;
}

/** The records of a pax extended header: `<len> <key>=<value>\n`. */
function paxRecords(body: Buffer, at: number): Map<string, string> {
  const out = new Map<string, string>();
  for (let off = 0; off < body.length; ) {
    const space = body.indexOf(0x20, off);
    const len = space > off ? Number(body.toString('latin1', off, space)) : NaN;
    if (!Number.isSafeInteger(len) || len <= 0 || off + len > body.length || body[off + len - 1] !== 0x0a) {
      throw new TarDamage(msg.tarBadPax(at));
    }
    const record = body.toString('utf8', space + 1, off + len - 1);
    const eq = record.indexOf('=');
    if (eq <= 0) throw new TarDamage(msg.tarBadPax(at));
    out.set(record.slice(0, eq), record.slice(eq + 1));
    off += len;
  }
  return out;
}

type State = 'header' | 'body' | 'pax' | 'end';

export class TarReader {
  private state: State = 'header';
  /** A header (or the pax body) that straddles two pieces. */
  private carry: Buffer[] = [];
  private carried = 0;
  /** Bytes of the current body still to come, then the padding to skip. */
  private left = 0;
  private pad = 0;
  private body: TarBody | null = null;
  private pax: Map<string, string> | null = null;
  private paxSize = 0;
  private entryName = '';
  /** Bytes consumed so far: where things are, in messages. */
  private at = 0;

  /** `entry` says where each entry's body goes (null: skipped). */
  constructor(private readonly entry: (h: TarEntryHeader) => TarBody | null) {}

  /** The next piece of the tar stream. Throws TarDamage. */
  write(chunk: Buffer): void {
    let off = 0;
    while (off < chunk.length) {
      if (this.state === 'end') {
        if (!isZero(chunk, off, chunk.length)) throw new TarDamage(msg.tarAfterEnd(this.at));
        this.at += chunk.length - off;
        return;
      }
      if (this.left > 0) {
        const n = Math.min(this.left, chunk.length - off);
        this.body?.data(chunk.subarray(off, off + n));
        this.left -= n;
        off += n;
        this.at += n;
        if (this.left === 0) this.bodyEnd();
        continue;
      }
      if (this.pad > 0) {
        const n = Math.min(this.pad, chunk.length - off);
        this.pad -= n;
        off += n;
        this.at += n;
        continue;
      }
      // a whole block (or the pax body) in this chunk: read it in place, else gather it
      const need = this.state === 'pax' ? this.paxSize : BLOCK;
      if (this.carried === 0 && chunk.length - off >= need) {
        this.block(chunk, off);
        off += need;
        this.at += need;
        continue;
      }
      const n = Math.min(need - this.carried, chunk.length - off);
      // a copy: the caller may reuse the piece it gave
      this.carry.push(Buffer.from(chunk.subarray(off, off + n)));
      this.carried += n;
      off += n;
      this.at += n;
      if (this.carried === need) {
        const whole = Buffer.concat(this.carry, need);
        this.carry = [];
        this.carried = 0;
        this.at -= need;
        this.block(whole, 0);
        this.at += need;
      }
    }
  }

  /** The stream ended: anything but the end-of-archive blocks before is damage (or no byte at all). */
  end(): void {
    // no byte at all: nothing a tar reader can say (the caller says the archive is empty)
    if (this.state === 'end' || this.at === 0) return;
    const inside = this.left > 0 || this.pad > 0 || this.carried > 0 ? this.entryName || 'a header' : null;
    throw new TarDamage(msg.tarCutShort(inside));
  }

  private bodyEnd(): void {
    const body = this.body;
    this.body = null;
    body?.end();
  }

  /** A header block at `off` of `b` (or the pax body gathered there). */
  private block(b: Buffer, off: number): void {
    if (this.state === 'pax') {
      this.pax = paxRecords(b.subarray(off, off + this.paxSize), this.at);
      this.state = 'header';
      this.pad = (BLOCK - (this.paxSize % BLOCK)) % BLOCK;
      return;
    }
    if (isZero(b, off, off + BLOCK)) {
      if (this.pax) throw new TarDamage(msg.tarPaxAlone(this.at));
      this.state = 'end';
      return;
    }
    if (!checksumOk(b, off, this.at)) throw new TarDamage(msg.tarChecksum(this.at));
    const posix = MAGIC_USTAR.compare(b, off + 257, off + 265) === 0;
    if (!posix && MAGIC_GNU.compare(b, off + 257, off + 265) !== 0) throw new TarDamage(msg.tarNotUstar(this.at));
    const flagByte = b[off + 156];
    let size = number(b, off + 124, 12, 'size', this.at);
    if (flagByte === 0x78) {
      if (this.pax) throw new TarDamage(msg.tarPaxTwice(this.at));
      if (size === 0 || size > MAX_PAX) throw new TarDamage(msg.tarPaxSize(size, this.at));
      this.state = 'pax';
      this.paxSize = size;
      return;
    }
    const type = TYPE_BY_BYTE[flagByte];
    if (!type) throw new TarDamage(msg.tarEntryType(String.fromCharCode(flagByte), this.at));
    // (an empty text field starts with its NUL: no string made for it)
    const prefix = posix && b[off + 345] !== 0 ? text(b, off + 345, 155) : '';
    let name = text(b, off, 100);
    if (prefix) name = `${prefix}/${name}`;
    let linkpath: string | undefined = b[off + 157] !== 0 ? text(b, off + 157, 100) || undefined : undefined;
    const pax = this.pax;
    this.pax = null;
    if (pax) {
      if (pax.has('path')) name = pax.get('path')!;
      if (pax.has('linkpath')) linkpath = pax.get('linkpath') || undefined;
      const s = pax.get('size');
      if (s !== undefined) {
        if (!/^\d+$/.test(s) || !Number.isSafeInteger(Number(s))) throw new TarDamage(msg.tarPaxSizeValue(this.at));
        size = Number(s);
      }
    }
    if (!name) throw new TarDamage(msg.tarNoName(this.at));
    if (size > 0 && !HAS_BODY.has(type)) throw new TarDamage(msg.tarBodyOnNonFile(name, type, size));
    const mode = number(b, off + 100, 8, 'mode', this.at);
    this.entryName = name;
    this.body = this.entry({ path: name, type, mode, size, linkpath });
    this.left = size;
    this.pad = (BLOCK - (size % BLOCK)) % BLOCK;
    if (size === 0) this.bodyEnd();
  }
}
