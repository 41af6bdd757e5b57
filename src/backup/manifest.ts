/**
 * The manifest of an archive: every path with its type, mode, size and sha256. It travels
 * inside the archive as the first entry, so verification can read each file back and compare.
 */
import { createReadStream } from 'node:fs';
import { lstat, readdir, readlink } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { PathMatcher } from '../util/glob.js';

export const MANIFEST_NAME = '.reorg-guard-manifest.json';
export const MANIFEST_FORMAT = 'reorg-guard-manifest/1';

export interface ManifestEntry {
  path: string;
  type: 'file' | 'dir' | 'symlink';
  /** Permission bits, e.g. 0o644 (as a number). */
  mode: number;
  size: number;
  sha256?: string;
  /** Link target, for symlinks. */
  target?: string;
}

export interface Manifest {
  format: typeof MANIFEST_FORMAT;
  repo: string;
  /** The work tree it was made from: two repositories whose folders share a name share an archive prefix. */
  repoPath?: string;
  createdAt: string;
  head: string | null;
  files: number;
  bytes: number;
  entries: ManifestEntry[];
}

export function sha256File(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(file)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

export interface WalkResult {
  entries: ManifestEntry[];
  /** Sockets, FIFOs and devices: never archived, named so the user knows. */
  skipped: string[];
}

/**
 * Walks the tree below `root` in a stable order, skipping excluded paths (the excluded folder's
 * content is never read), and hashes every file. Symlinks are recorded, never followed.
 */
export async function walkTree(root: string, excluded: PathMatcher, onFile?: (size: number) => void): Promise<WalkResult> {
  const entries: ManifestEntry[] = [];
  const skipped: string[] = [];
  async function visit(rel: string): Promise<void> {
    const names = (await readdir(rel ? path.join(root, rel) : root)).sort();
    for (const name of names) {
      const p = rel ? `${rel}/${name}` : name;
      if (excluded(p) || p === MANIFEST_NAME) continue;
      const abs = path.join(root, p);
      const st = await lstat(abs);
      const mode = st.mode & 0o7777;
      if (st.isDirectory()) {
        entries.push({ path: p, type: 'dir', mode, size: 0 });
        await visit(p);
      } else if (st.isSymbolicLink()) {
        entries.push({ path: p, type: 'symlink', mode, size: 0, target: await readlink(abs) });
      } else if (st.isFile()) {
        entries.push({ path: p, type: 'file', mode, size: st.size, sha256: await sha256File(abs) });
        onFile?.(st.size);
      } else {
        skipped.push(p);
      }
    }
  }
  await visit('');
  return { entries, skipped };
}
