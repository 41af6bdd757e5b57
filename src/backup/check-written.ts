/**
 * The archive's own check after writing: the file is read back whole from the disk and must be
 * exactly the bytes that were written: its first bytes the manifest's gzip member, byte for
 * byte, and the rest the packed tree's gzip members, whose sha256 and length the writer took as
 * they went to the file. It is inflated as it is read: zlib checks every member's CRC-32 and
 * length against the tar bytes that went in, the manifest entry must come out byte for byte,
 * and the tree as many tar bytes as were packed. Each file's sha256 in the manifest was taken
 * from the very bytes that were packed (each file is read once, straight into the piece that is
 * hashed and handed to the compressor).
 *
 * Why not take the tar apart again here, as `verify backups` does: reading back what was just
 * written checks the disk and the assembly, and a byte comparison checks them whole (a header or
 * a padding byte included); parsing it again checked the writer's code on every run, and on trees
 * of many small files that cost as much as `tar -tzf` in all (a header parse, a hash and a
 * comparison a file, most of it compiling the reader's hot code). The writer's output is checked
 * by the tests with GNU tar, node-tar and the reader; `verify backups` reads any archive entry by
 * entry against its manifest.
 */
import { createHash } from 'node:crypto';
import { gunzipFile, inflateProblem } from './gunzip-file.js';
import { msg } from '../messages.js';

export interface Written {
  /** The manifest's gzip member (the archive's first bytes), and the tar entry it inflates to. */
  manifest: { gz: Buffer; tar: Buffer };
  /** The packed tree's gzip members after it: their sha256 and length, and the tar bytes they inflate to. */
  tree: { sha256: string; bytes: number; tarBytes: number };
}

/** Compares a stream's pieces with `want` from the start: the bytes past its end are handed on. */
class Prefix {
  same = true;
  seen = 0;
  constructor(private readonly want: Buffer) {}
  /** The piece's bytes past `want` (the whole piece once past it). */
  rest(piece: Buffer): Buffer | null {
    const at = this.seen;
    this.seen += piece.length;
    if (at >= this.want.length) return piece;
    const n = Math.min(piece.length, this.want.length - at);
    if (this.same) this.same = this.want.compare(piece, 0, n, at, at + n) === 0;
    return n < piece.length ? piece.subarray(n) : null;
  }
}

/**
 * Null when `file` is exactly `written` and inflates as it should; else what is wrong, in a
 * sentence. `onBytes`: progress (inflated bytes); `buffers`: to read and inflate into (gunzipFile).
 */
export async function checkWritten(file: string, written: Written, onBytes?: (n: number) => void, buffers?: [Buffer, Buffer]): Promise<string | null> {
  const gz = new Prefix(written.manifest.gz);
  const tar = new Prefix(written.manifest.tar);
  const hash = createHash('sha256');
  try {
    await gunzipFile(
      file,
      (piece) => {
        tar.rest(piece);
        onBytes?.(piece.length);
      },
      {
        buffers,
        read: (piece) => {
          const rest = gz.rest(piece);
          if (rest) hash.update(rest);
        },
      },
    );
  } catch (err) {
    const problem = inflateProblem(err);
    if (problem === null) throw err;
    return problem;
  }
  const { manifest, tree } = written;
  if (!gz.same || !tar.same || tar.seen < manifest.tar.length) return msg.archiveManifestDiffers();
  if (gz.seen - manifest.gz.length !== tree.bytes || hash.digest('hex') !== tree.sha256 || tar.seen - manifest.tar.length !== tree.tarBytes) {
    return msg.archiveReadBackDiffers();
  }
  return null;
}
