/** Writing files when the disk may be full: every byte written, or an error that says why not. */
import type { FileHandle } from 'node:fs/promises';

/**
 * Writes `len` bytes of `buf`. A single write(2) may write fewer bytes than asked (a disk that
 * fills up, a file size limit) without an error: the rest is written again until the system
 * refuses with the reason (ENOSPC, EFBIG, ...).
 */
export async function writeFully(out: FileHandle, buf: Buffer, len: number): Promise<void> {
  for (let off = 0; off < len; ) {
    const { bytesWritten } = await out.write(buf, off, len - off);
    if (bytesWritten <= 0) throw Object.assign(new Error('no space left on device, write'), { code: 'ENOSPC' });
    off += bytesWritten;
  }
}

const REASONS: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is used up',
  EFBIG: 'no room for a file this large (a file size limit)',
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
};

/** Why the system refused a write, in words, or undefined when `err` is not such a refusal. */
export function cannotWrite(err: unknown): string | undefined {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return code ? REASONS[code] : undefined;
}
