/**
 * A verified tar.gz of the work tree. Written under a temporary name, read back and checked
 * against its manifest, then given its final name: a crash, a full disk or a file changed
 * mid-way never leaves a partial or wrong archive under a final name.
 */
import { createWriteStream } from 'node:fs';
import { chmod, link, mkdir, open, unlink } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Header, Pack, ReadEntry } from 'tar';
import type { Config } from '../config.js';
import { headCommit, type Repo } from '../git/repo.js';
import { pathMatcher } from '../util/glob.js';
import { stamp } from '../util/time.js';
import { progress } from '../ui/progress.js';
import { MANIFEST_FORMAT, MANIFEST_NAME, walkTree, type Manifest } from './manifest.js';
import { verifyArchive } from './verify-archive.js';
import { OperationError } from '../errors.js';
import { crashPoint } from '../state/crash.js';
import { msg } from '../messages.js';

export interface ArchiveResult {
  path: string;
  files: number;
  bytes: number;
  /** Entries that cannot be archived (sockets, FIFOs, devices). */
  skipped: string[];
}

/** `<repo>-backup-`: the prefix of this repository's archives in the backup dir. */
export function archivePrefix(repo: Repo): string {
  return `${path.basename(repo.top)}-backup-`;
}

function manifestEntry(manifest: Manifest): ReadEntry {
  const body = Buffer.from(JSON.stringify(manifest));
  const header = new Header({ path: MANIFEST_NAME, mode: 0o600, size: body.length, type: 'File', mtime: new Date() });
  const entry = new ReadEntry(header);
  entry.write(body);
  entry.end();
  return entry;
}

/**
 * node-tar writes a second name of a hard-linked file as a tar hard link; the manifest says
 * "file" for both, and restore refuses hard links. Forgetting every inode stores both as files.
 */
class NoHardLinks extends Map<`${number}:${number}`, string> {
  override set(): this {
    return this;
  }
}

async function writeArchive(file: string, root: string, manifest: Manifest, onFile: (size: number) => void): Promise<void> {
  // Small reads and few parallel jobs keep memory flat however large the files are.
  const pack = new Pack({ cwd: root, gzip: true, portable: true, noDirRecurse: true, follow: false, strict: true, maxReadSize: 1 << 20, jobs: 2, linkCache: new NoHardLinks() });
  const out = createWriteStream(file, { flags: 'wx', mode: 0o600 });
  const done = pipeline(pack, out);
  pack.add(manifestEntry(manifest));
  for (const e of manifest.entries) {
    pack.add(e.path);
    if (e.type === 'file') onFile(e.size);
  }
  pack.end();
  await done;
  const fh = await open(file, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Gives the finished temp file its final name without ever replacing an existing archive. */
async function publish(tmp: string, dir: string, base: string): Promise<string> {
  for (let n = 1; ; n++) {
    const final = path.join(dir, `${base}${n === 1 ? '' : `-${n}`}.tar.gz`);
    try {
      await link(tmp, final);
      await unlink(tmp);
      return final;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
}

export async function createArchive(repo: Repo, config: Config, opts: { dir?: string; date?: Date } = {}): Promise<ArchiveResult> {
  const dir = path.resolve(opts.dir ?? config.backupDir);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const excluded = pathMatcher(config.archiveExcludes);

  const scan = progress('scanning');
  const { entries, skipped } = await walkTree(repo.top, excluded, (size) => scan.tick(size));
  scan.done();
  const files = entries.filter((e) => e.type === 'file');
  const manifest: Manifest = {
    format: MANIFEST_FORMAT,
    repo: path.basename(repo.top),
    repoPath: repo.top,
    createdAt: (opts.date ?? new Date()).toISOString(),
    head: await headCommit(repo),
    files: files.length,
    bytes: files.reduce((n, e) => n + e.size, 0),
    entries,
  };

  const base = `${archivePrefix(repo)}${stamp(opts.date)}`;
  const tmp = path.join(dir, `.${base}.partial-${process.pid}`);
  try {
    const write = progress('archiving');
    await writeArchive(tmp, repo.top, manifest, (size) => write.tick(size));
    write.done();
    await chmod(tmp, 0o600);
    crashPoint('archive:written');
    const read = progress('verifying');
    const check = await verifyArchive(tmp, (size) => read.tick(size), { ownArchive: true });
    read.done();
    if (!check.ok) throw new OperationError(msg.archiveUnverified(check.problems[0]));
    const final = await publish(tmp, dir, base);
    return { path: final, files: manifest.files, bytes: manifest.bytes, skipped };
  } catch (err) {
    await unlink(tmp).catch(() => {});
    throw err;
  }
}
