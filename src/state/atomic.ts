/** Durable file writes: append with fsync, replace by temp name + rename. */
import { open, rename, rm, writeFile } from 'node:fs/promises';
import { tempSuffix } from '../util/temp-name.js';

/** A temp name beside `file`: created with O_EXCL ('wx'), so a clash fails instead of mixing two writes. */
const tempName = (file: string) => `${file}.tmp-${tempSuffix()}`;

/** Appends `text` and fsyncs before returning. O_APPEND keeps concurrent appends whole. */
export async function appendDurable(file: string, text: string): Promise<void> {
  const fh = await open(file, 'a', 0o600);
  try {
    // (writeFile writes it all: a single write may write a part of it on a disk that fills up)
    await fh.writeFile(text);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Writes `file` so that a reader sees the old content or the new, never a part. */
export async function writeAtomic(file: string, data: string | Buffer, mode = 0o600): Promise<void> {
  const tmp = tempName(file);
  try {
    const fh = await open(tmp, 'wx', mode);
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

/**
 * Like writeAtomic, without waiting for the disk: for caches, where a file lost in a crash is
 * only work to do again (a reader still sees the old content or the new, never a part).
 */
export async function writeWhole(file: string, data: string | Buffer, mode = 0o600): Promise<void> {
  const tmp = tempName(file);
  try {
    await writeFile(tmp, data, { mode, flag: 'wx' });
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}
