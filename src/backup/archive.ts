/**
 * A verified tar.gz of the work tree. Written under a temporary name, read back and checked
 * against its manifest, then given its final name: a crash, a full disk or a file changed
 * mid-way never leaves a partial or wrong archive under a final name.
 */
import { chmod, link, mkdir, open, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config.js';
import { headCommit, type Repo } from '../git/repo.js';
import { pathMatcher, type PathMatcher } from '../util/glob.js';
import { stamp } from '../util/time.js';
import { progress } from '../ui/progress.js';
import { FileChangedError, MANIFEST_FORMAT, MANIFEST_NAME, walkTree, type Manifest } from './manifest.js';
import { member, TarGzWriter } from './tar-writer.js';
import { verifyArchive } from './verify-archive.js';
import { OperationError } from '../errors.js';
import { crashPoint } from '../state/crash.js';
import { cannotWrite, writeFully } from '../util/fs-write.js';
import { removeOnInterrupt } from '../util/interrupt.js';
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

/**
 * The manifest's bytes as a tar entry, alone in one gzip member: the archive's first bytes.
 * Compressed on node's thread pool, beside the tree's last pieces.
 */
function manifestMember(body: Buffer): Promise<Buffer> {
  return member([{ header: { path: MANIFEST_NAME, type: 'File', mode: 0o600, size: body.length, mtimeMs: Date.now() }, body }]);
}

const TYPES = { file: 'File', dir: 'Directory', symlink: 'SymbolicLink' } as const;

/**
 * Every entry of the tree into `file` (tar.gz, without the manifest), each file read once: the
 * same bytes are hashed for the manifest and packed. Hard-linked names are each stored as a file
 * (the manifest says "file" for both, and restore refuses tar hard links).
 */
async function packTree(file: string, root: string, excluded: PathMatcher, onFile: (size: number) => void) {
  const out = new TarGzWriter(file);
  let walk;
  try {
    walk = await walkTree(root, excluded, onFile, {
      entry: (e, mtimeMs) => out.header({ path: e.path, type: TYPES[e.type], mode: e.mode, size: e.size, mtimeMs, linkpath: e.target }),
      copyFrom: (fd, size, seen) => out.copyFrom(fd, size, seen),
      fileEnd: (e) => out.pad(e.size),
    });
  } catch (err) {
    await out.abort();
    throw err instanceof FileChangedError ? new OperationError(msg.archiveUnverified(err.message)) : err;
  }
  // the compressor's last pieces: the caller makes the manifest meanwhile, then waits for them
  const finished = out.end().catch(async (err: unknown) => {
    await out.abort();
    throw err;
  });
  finished.catch(() => {}); // awaited by the caller
  return { ...walk, finished };
}

/**
 * The archive: the manifest's gzip member, then the packed tree's bytes as they are (gzip
 * members may follow one another), synced to disk.
 */
async function assemble(file: string, manifest: Buffer, body: string): Promise<void> {
  const [out, input] = [await open(file, 'wx', 0o600), await open(body, 'r')];
  try {
    await writeFully(out, manifest, manifest.length);
    const buf = Buffer.allocUnsafe(1 << 20);
    for (let n; (n = (await input.read(buf, 0, buf.length, null)).bytesRead) > 0; ) await writeFully(out, buf, n);
    await out.sync();
  } finally {
    await Promise.all([out.close(), input.close()]);
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

/** `opts.head`: HEAD's commit when the caller has it already (null: no commit yet), else asked of git. */
export async function createArchive(repo: Repo, config: Config, opts: { dir?: string; date?: Date; head?: string | null } = {}): Promise<ArchiveResult> {
  const dir = path.resolve(opts.dir ?? config.backupDir);
  await mkdir(dir, { recursive: true, mode: 0o700 }).catch((err: unknown) => {
    // (node's recursive mkdir says ENOENT on a read-only file system: the first folder it cannot make)
    const why = cannotWrite(err) ?? ((err as NodeJS.ErrnoException).code === 'ENOENT' ? 'a folder on the way cannot be created' : undefined);
    throw why ? new OperationError(msg.archiveCannotWrite(dir, why)) : err;
  });
  const excludes = pathMatcher(config.archiveExcludes);
  // The archive folder inside the work tree (a backupDir git ignores): its archives (and the one
  // being written) never go into the next, which would hold all the ones before.
  const own = path.relative(repo.top, dir).split(path.sep).join('/');
  const inTree = own !== '' && own !== '..' && !own.startsWith('../') && !path.isAbsolute(own);
  const excluded: typeof excludes = inTree ? (p, last) => p === own || excludes(p, last) : excludes;

  const base = `${archivePrefix(repo)}${stamp(opts.date)}`;
  const tmp = path.join(dir, `.${base}.partial-${process.pid}`);
  const body = `${tmp}.body`;
  const release = removeOnInterrupt([tmp, body]);
  try {
    const head = opts.head !== undefined ? Promise.resolve(opts.head) : headCommit(repo);
    head.catch(() => {}); // awaited below
    const write = progress('archiving');
    const { entries, skipped, finished } = await packTree(body, repo.top, excluded, (size) => write.tick(size));
    const files = entries.filter((e) => e.type === 'file');
    const manifest: Manifest = {
      format: MANIFEST_FORMAT,
      repo: path.basename(repo.top),
      repoPath: repo.top,
      createdAt: (opts.date ?? new Date()).toISOString(),
      head: await head,
      files: files.length,
      bytes: files.reduce((n, e) => n + e.size, 0),
      entries,
    };
    const bytes = Buffer.from(JSON.stringify(manifest));
    const [member] = await Promise.all([manifestMember(bytes), finished]);
    write.done();
    await assemble(tmp, member, body);
    await unlink(body);
    await chmod(tmp, 0o600);
    crashPoint('archive:written');
    const read = progress('verifying');
    const check = await verifyArchive(tmp, (size) => read.tick(size), { ownArchive: true, expect: { manifest, bytes } });
    read.done();
    if (!check.ok) throw new OperationError(msg.archiveUnverified(check.problems[0]));
    const final = await publish(tmp, dir, base);
    return { path: final, files: manifest.files, bytes: manifest.bytes, skipped };
  } catch (err) {
    await Promise.all([unlink(tmp).catch(() => {}), unlink(body).catch(() => {})]);
    const why = cannotWrite(err);
    throw why ? new OperationError(msg.archiveCannotWrite(dir, why)) : err;
  } finally {
    release();
  }
}
