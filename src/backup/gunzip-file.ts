/**
 * A gzip file inflated piece by piece into one reused buffer, on this thread.
 *
 * Why not node's gunzip stream: it hands every inflated piece over in a fresh buffer, and fresh
 * memory costs a page fault per 4 KiB page in this kind of VM: reading back a 2.6 MB archive of
 * 10,000 small files (28 MB of tar) took 8,000 page faults and a round trip to zlib's thread per
 * piece, which made the read-back cost 2.5x `tar -tzf` (profiles, `/usr/bin/time` page faults).
 * Here the compressed bytes are read into one buffer and inflated into another, both reused:
 * zlib's own synchronous call, the one `zlib.gunzipSync` makes, through the stream object's
 * handle. That handle is node's internal (`_handle.writeSync`, `_writeState`, unchanged from
 * node 10 to 24): where it is missing, the stream is used as before.
 *
 * Concatenated gzip members are one stream, as with node's gunzip (the same C++ code), and bytes
 * after the last member that are not gzip are ignored likewise; a truncated stream is an error.
 */
import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import { constants, createGunzip, type Gunzip } from 'node:zlib';
import { msg } from '../messages.js';

const PIECE = 1 << 20;
/** The event loop gets a turn once this many bytes were inflated (signals, a progress line). */
const TURN = 64 * PIECE;

interface Handle {
  writeSync(flush: number, input: Buffer, inOff: number, inLen: number, out: Buffer, outOff: number, outLen: number): void;
}

/** The stream's synchronous handle, or null where node no longer has it. */
function handleOf(g: Gunzip): { handle: Handle; state: Uint32Array } | null {
  const inner = g as unknown as { _handle?: Partial<Handle>; _writeState?: unknown };
  if (typeof inner._handle?.writeSync !== 'function' || !(inner._writeState instanceof Uint32Array)) return null;
  return { handle: inner._handle as Handle, state: inner._writeState };
}

/**
 * Inflates `file`, handing each piece to `data` (a view of a reused buffer: copy what must be
 * kept). Rejects with zlib's error (or the file's) when the stream is damaged or cut short.
 * `raw`: the file is not gzip, its bytes are handed over as they are. `stream`: node's stream
 * even where the handle is there (the tests compare both ways). `buffers`: the two buffers to
 * read into and inflate into (memory the caller has touched already costs no page fault).
 * `read`: each piece of the file as it is read, before it is inflated (a view, as `data`'s).
 */
export async function gunzipFile(
  file: string,
  data: (piece: Buffer) => void,
  opts: { raw?: boolean; stream?: boolean; buffers?: [Buffer, Buffer]; read?: (piece: Buffer) => void } = {},
): Promise<void> {
  const raw = opts.raw ?? false;
  const g = createGunzip();
  const sync = raw || opts.stream ? null : handleOf(g);
  if (!raw && !sync) return viaStream(file, g, data, opts.read);
  g.on('error', () => {}); // read below from g.errored, where zlib's handle leaves it
  const fd = openSync(file, 'r');
  try {
    const [input, out] = opts.buffers ?? [Buffer.allocUnsafe(PIECE), Buffer.allocUnsafe(PIECE)];
    let sinceTurn = 0;
    for (;;) {
      const n = readSync(fd, input, 0, input.length, null);
      if (n > 0) opts.read?.(input.subarray(0, n));
      if (!sync) {
        if (n === 0) return;
        data(input.subarray(0, n));
        continue;
      }
      const flush = n === 0 ? constants.Z_FINISH : constants.Z_NO_FLUSH;
      let inOff = 0;
      let inLeft = n;
      // as zlib.gunzipSync does: again while the output filled up (more is waiting)
      for (;;) {
        sync.handle.writeSync(flush, input, inOff, inLeft, out, 0, out.length);
        if (g.errored) throw g.errored;
        const [outLeft, inAfter] = sync.state;
        inOff += inLeft - inAfter;
        inLeft = inAfter;
        const have = out.length - outLeft;
        if (have > 0) data(out.subarray(0, have));
        sinceTurn += have;
        if (outLeft !== 0) break;
      }
      if (n === 0) return;
      if (sinceTurn >= TURN) {
        sinceTurn = 0;
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
  } finally {
    closeSync(fd);
    g.destroy();
  }
}

/**
 * What a gunzipFile failure says about the file, as a sentence: it cannot be read, or it is
 * damaged (zlib's error: a bad CRC, cut short, not gzip). Null for any other error (a bug, or
 * the receiver's own: the caller rethrows it).
 */
export function inflateProblem(err: unknown): string | null {
  const e = err as NodeJS.ErrnoException;
  if (e?.syscall) return msg.archiveUnreadable(e.message);
  if (typeof e?.code === 'string' && e.code.startsWith('Z_')) return msg.archiveDamaged(e.message);
  return null;
}

/** The stream way (node without the handle): fresh buffers, a round trip per piece. */
function viaStream(file: string, g: Gunzip, data: (piece: Buffer) => void, read?: (piece: Buffer) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const input = createReadStream(file, { highWaterMark: PIECE });
    input.on('error', reject);
    if (read) input.on('data', (piece) => read(piece as Buffer));
    g.on('error', reject);
    g.on('data', (piece: Buffer) => {
      try {
        data(piece);
      } catch (err) {
        input.destroy();
        g.destroy();
        reject(err);
      }
    });
    g.on('end', resolve);
    input.pipe(g);
  });
}
