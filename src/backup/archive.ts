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
import { inside } from '../util/inside.js';
import { progress } from '../ui/progress.js';
import { createHash, hash as hashOnce } from 'node:crypto';
import { FileChangedError, MANIFEST_FORMAT, MANIFEST_NAME, ManifestText, withoutManifest } from './manifest.js';
import { BLOCK, entryInPlace, gzipMember, PIECE, TarGzWriter } from './tar-writer.js';
import { walkFiles } from './walk-tree.js';
import { checkWritten } from './check-written.js';
import { OperationError } from '../errors.js';
import { crashPoint } from '../state/crash.js';
import { cannotWrite, writeFully } from '../util/fs-write.js';
import { withTempPaths } from '../util/interrupt.js';
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
 * Every entry of the tree into `file` (tar.gz, without the manifest), each file read once: the
 * same bytes are hashed for the manifest and packed; the manifest's text is written as the walk
 * goes. Hard-linked names are each stored as a file (the manifest says "file" for both, and
 * restore refuses tar hard links).
 */
async function packTree(file: string, root: string, excluded: PathMatcher, text: ManifestText, onFile: (size: number) => void) {
  const out = new TarGzWriter(file);
  /** A file that is not small, or whose header needs pax: by pieces, hashed as they come. */
  async function largeFile(p: string, fd: number, size: number, mode: number, mtimeMs: number): Promise<void> {
    await out.header({ path: p, type: 'File', mode, size, mtimeMs });
    const hash = createHash('sha256');
    if ((await out.copyFrom(fd, size, (piece) => hash.update(piece))) !== size) throw new FileChangedError(p);
    out.pad(size);
    text.file(p, mode, size, hash.digest('hex'));
    onFile(size);
    await out.later();
  }
  let skipped;
  try {
    skipped = await walkFiles(root, withoutManifest(excluded), {
      dir(p, mode, mtimeMs) {
        text.dir(p, mode);
        return out.header({ path: p, type: 'Directory', mode, size: 0, mtimeMs });
      },
      symlink(p, mode, mtimeMs, target) {
        text.symlink(p, mode, target);
        return out.header({ path: p, type: 'SymbolicLink', mode, size: 0, mtimeMs, linkpath: target });
      },
      file(p, fd, size, mode, mtimeMs) {
        const content = out.smallFile(fd, p, mode, size, mtimeMs);
        if (!content) return largeFile(p, fd, size, mode, mtimeMs);
        if (content.length !== size) throw new FileChangedError(p);
        text.file(p, mode, size, hashOnce('sha256', content, 'hex'));
        onFile(size);
        return out.later();
      },
    });
  } catch (err) {
    await out.abort();
    throw err instanceof FileChangedError ? new OperationError(msg.archiveUnverified(err.message)) : err;
  }
  // the compressor's last pieces: the caller makes the manifest meanwhile, then waits for them
  const finished = out.end().then(
    () => ({ ...out.written(), spare: out.spare() }),
    async (err: unknown) => {
      await out.abort();
      throw err;
    },
  );
  finished.catch(() => {}); // awaited by the caller
  return { skipped, finished };
}

/**
 * The archive: the manifest's gzip member, then the packed tree's bytes as they are (gzip
 * members may follow one another), synced to disk. `buf`: for the copy.
 */
async function assemble(file: string, manifest: Buffer, body: string, buf: Buffer): Promise<void> {
  const [out, input] = [await open(file, 'wx', 0o600), await open(body, 'r')];
  try {
    await writeFully(out, manifest, manifest.length);
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
  const own = inside(repo.top, dir);
  const excluded: typeof excludes = own ? (p, last) => p === own || excludes(p, last) : excludes;

  const base = `${archivePrefix(repo)}${stamp(opts.date)}`;
  const tmp = path.join(dir, `.${base}.partial-${process.pid}`);
  const body = `${tmp}.body`;
  try {
    return await withTempPaths([tmp, body], async () => {
      const head = opts.head !== undefined ? Promise.resolve(opts.head) : headCommit(repo);
      head.catch(() => {}); // awaited below
      const write = progress('archiving');
      // the manifest's text is written as the walk goes, where its tar entry takes it (after the header's room)
      const createdAt = (opts.date ?? new Date()).toISOString();
      const text = new ManifestText({ format: MANIFEST_FORMAT, repo: path.basename(repo.top), repoPath: repo.top, createdAt }, BLOCK);
      const { skipped, finished } = await packTree(body, repo.top, excluded, text, (size) => write.tick(size));
      const json = text.finish(await head, BLOCK);
      const manifest = entryInPlace(json.buf, { path: MANIFEST_NAME, type: 'File', mode: 0o600, size: json.size, mtimeMs: Date.now() });
      // the manifest's gzip member is compressed on the thread pool, beside the tree's last pieces
      const [gz, { spare, ...tree }] = await Promise.all([gzipMember(manifest), finished]);
      write.done();
      // the writer's pieces serve again (memory touched already: no page fault)
      const [copy = Buffer.allocUnsafe(PIECE), ...inflate] = spare;
      await assemble(tmp, gz, body, copy);
      await unlink(body);
      await chmod(tmp, 0o600);
      crashPoint('archive:written');
      const read = progress('verifying', { unit: 'bytes' });
      const problem = await checkWritten(tmp, { manifest: { gz, tar: manifest }, tree }, (n) => read.tick(n), inflate.length >= 2 ? [inflate[0], inflate[1]] : undefined);
      read.done();
      if (problem) throw new OperationError(msg.archiveUnverified(problem));
      const final = await publish(tmp, dir, base);
      return { path: final, files: text.files, bytes: text.bytes, skipped };
    });
  } catch (err) {
    const why = cannotWrite(err);
    throw why ? new OperationError(msg.archiveCannotWrite(dir, why)) : err;
  }
}
