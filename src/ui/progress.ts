/** A single progress line on a terminal (stderr), nothing at all otherwise. */
import { bytes } from '../util/time.js';

export interface Progress {
  /** A file of `size` bytes done (`unit: 'bytes'`: `size` bytes done). */
  tick(size: number): void;
  done(): void;
}

export interface ProgressOptions {
  /** What the line counts: files and their bytes (default), or bytes only. */
  unit?: 'files' | 'bytes';
  stream?: NodeJS.WriteStream;
}

export function progress(label: string, opts: ProgressOptions = {}): Progress {
  const stream = opts.stream ?? process.stderr;
  if (!stream.isTTY) return { tick() {}, done() {} };
  const byFile = opts.unit !== 'bytes';
  let files = 0;
  let total = 0;
  let last = 0;
  const draw = () => stream.write(`\r${label}: ${byFile ? `${files} files, ` : ''}${bytes(total)}\x1b[K`);
  return {
    tick(size) {
      files++;
      total += size;
      const now = Date.now();
      if (now - last > 100) {
        last = now;
        draw();
      }
    },
    done() {
      if (files > 0) {
        draw();
        stream.write('\n');
      }
    },
  };
}
