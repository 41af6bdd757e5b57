/**
 * The archive's own check after writing: the file is read back whole from the disk and
 * inflated (zlib checks every gzip member's CRC-32 and length as it goes), and it must give
 * exactly the bytes that were written: first the manifest entry, compared byte for byte, then
 * the packed tree, whose sha256 and length the writer took as it handed the bytes to the
 * compressor. Those are the very bytes each file's sha256 in the manifest was taken from (each
 * file is read once, straight into the piece that is hashed and packed), so the archive on disk
 * holds every file as the manifest says, and every header, byte for byte.
 *
 * Why not parse the tar again here, as `verify backups` does: reading back what was just written
 * is a check of the disk and of the assembly, and a byte comparison checks those whole (a header
 * or a padding byte included); parsing it again checked the writer's code on every run, and on
 * trees of many small files that cost as much as `tar -tzf` in all (a header parse, a hash and a
 * comparison a file, most of it compiling the reader's hot code). The writer's output is checked
 * by the tests with GNU tar, node-tar and the reader; `verify backups` reads any archive entry by
 * entry against its manifest.
 */
import { createHash } from 'node:crypto';
import { gunzipFile, inflateProblem } from './gunzip-file.js';
import { msg } from '../messages.js';

export interface Written {
  /** The manifest's tar entry (header, JSON, padding): the first bytes the archive inflates to. */
  manifest: Buffer;
  /** The packed tree after it: the sha256 of its bytes, and their number. */
  tree: { sha256: string; bytes: number };
}

/**
 * Null when `file` inflates to exactly `written`; else what is wrong, in a sentence. `onBytes`:
 * progress; `buffers`: to read and inflate into (gunzipFile).
 */
export async function checkWritten(file: string, written: Written, onBytes?: (n: number) => void, buffers?: [Buffer, Buffer]): Promise<string | null> {
  const head = written.manifest;
  const hash = createHash('sha256');
  let got = 0;
  let sameHead = true;
  try {
    await gunzipFile(file, (piece) => {
      let off = 0;
      if (got < head.length) {
        off = Math.min(piece.length, head.length - got);
        if (sameHead) sameHead = head.compare(piece, 0, off, got, got + off) === 0;
      }
      if (off < piece.length) hash.update(off ? piece.subarray(off) : piece);
      got += piece.length;
      onBytes?.(piece.length);
    }, { buffers });
  } catch (err) {
    const problem = inflateProblem(err);
    if (problem === null) throw err;
    return problem;
  }
  if (!sameHead || got < head.length) return msg.archiveManifestDiffers();
  if (got - head.length !== written.tree.bytes || hash.digest('hex') !== written.tree.sha256) return msg.archiveReadBackDiffers();
  return null;
}
