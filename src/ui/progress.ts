/** A single progress line on a terminal (stderr), nothing at all otherwise. */
import { bytes } from '../util/time.js';

export interface Progress {
  tick(size: number): void;
  done(): void;
}

export function progress(label: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY) return { tick() {}, done() {} };
  let files = 0;
  let total = 0;
  let last = 0;
  const draw = () => stream.write(`\r${label}: ${files} files, ${bytes(total)}\x1b[K`);
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
