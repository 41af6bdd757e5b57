/** The manifest of an archive, read from its first entry alone (the rest is never read). */
import { createReadStream } from 'node:fs';
import { Parser, type ReadEntry } from 'tar';
import { MANIFEST_FORMAT, MANIFEST_NAME, type Manifest } from './manifest.js';

/** The manifest, or null when the archive has none or it cannot be read. */
export function readManifest(file: string): Promise<Manifest | null> {
  return new Promise((resolve) => {
    const input = createReadStream(file);
    let settled = false;
    const done = (m: Manifest | null) => {
      if (settled) return;
      settled = true;
      input.destroy();
      resolve(m);
    };
    const parser = new Parser({
      onReadEntry(entry: ReadEntry) {
        if (entry.path !== MANIFEST_NAME) return done(null);
        const chunks: Buffer[] = [];
        entry.on('data', (c: Buffer) => chunks.push(c));
        entry.on('end', () => {
          try {
            const m = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Manifest;
            done(m.format === MANIFEST_FORMAT ? m : null);
          } catch {
            done(null);
          }
        });
      },
    });
    parser.on('error', () => done(null));
    parser.on('end', () => done(null));
    input.on('error', () => done(null));
    input.pipe(parser);
  });
}
