/**
 * The walk under an archive and under restore's check: every entry below a folder in a stable
 * order (a folder, then its content by name), excluded paths skipped (an excluded folder is
 * never entered), symlinks recorded and never followed, each regular file opened once.
 *
 * It runs in synchronous steps: a step goes from entry to entry until the visitor asks it to
 * wait (an archive's compressor is behind, about once a MiB), so ten thousand small files cost
 * no turn of the event loop and no async frame each. Synchronous file system calls: for many
 * small files, the thread pool's round trips cost more than the calls themselves.
 */
import { closeSync, constants as fsConstants, fstatSync, lstatSync, openSync, readdirSync, readlinkSync, type Dirent, type Stats } from 'node:fs';
import path from 'node:path';
import type { PathMatcher } from '../util/glob.js';

/**
 * A visitor's (and the tar writer's) answer: nothing when it is done at once, a promise when
 * the walk must wait (once a MiB): it goes on without a turn of the event loop per entry.
 */
export type Later = Promise<void> | undefined;

/** What a walk shows each entry to. Paths are relative to the root, with `/`. */
export interface TreeVisitor {
  dir(path: string, mode: number, mtimeMs: number): Later;
  symlink(path: string, mode: number, mtimeMs: number, target: string): Later;
  /**
   * A regular file, open as `fd` (closed by the walk once the visitor is done, also when it
   * throws): `size` is what fstat said, which the visitor reads to the end.
   */
  file(path: string, fd: number, size: number, mode: number, mtimeMs: number): Later;
}

/** Sockets, FIFOs and devices: never archived, named so the user knows. */
export type Skipped = string[];

// O_NONBLOCK: a file that turned into a FIFO since readdir must not block the open
const OPEN_FILE = fsConstants.O_RDONLY | fsConstants.O_NOFOLLOW | fsConstants.O_NONBLOCK;
const { S_IFMT, S_IFDIR, S_IFLNK, S_IFREG } = fsConstants;

const byName = (a: Dirent, b: Dirent) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** A folder being walked: its entries by name, and the next one. */
interface Frame {
  rel: string;
  dirents: Dirent[];
  next: number;
}

/** Opens a file readdir called a regular file; null when it is something else by now (lstat tells what). */
function openRegular(abs: string): { fd: number; st: Stats } | null {
  let fd: number;
  try {
    fd = openSync(abs, OPEN_FILE);
  } catch {
    return null; // gone, a symlink by now, unreadable: lstat tells what it is (and fails when gone)
  }
  const st = fstatSync(fd);
  if (st.isFile()) return { fd, st };
  closeSync(fd);
  return null;
}

/**
 * Walks the tree below `root`, showing each entry to `visitor`; `skip(rel, name)` leaves a path
 * out. Returns the entries that cannot be archived (sockets, FIFOs, devices).
 */
export async function walkFiles(root: string, skip: PathMatcher, visitor: TreeVisitor): Promise<Skipped> {
  // paths below root by concatenation: path.join normalizes each one again
  const base = root.endsWith(path.sep) ? root : `${root}${path.sep}`;
  const skipped: Skipped = [];
  const frame = (rel: string): Frame => ({ rel, dirents: readdirSync(rel ? base + rel : root, { withFileTypes: true }).sort(byName), next: 0 });
  const stack: Frame[] = [frame('')];

  /** The visitor's answer for an open file: the file is closed once it is done with it. */
  function file(p: string, fd: number, st: Stats): Later {
    let wait: Later;
    try {
      wait = visitor.file(p, fd, st.size, st.mode & 0o7777, st.mtimeMs);
    } catch (err) {
      closeSync(fd);
      throw err;
    }
    if (!wait) return void closeSync(fd);
    return wait.finally(() => closeSync(fd));
  }

  /** Entries until the visitor asks to wait (its promise), or the end (undefined). */
  function step(): Later {
    for (;;) {
      // (never a read past the end of the stack: optimized code would be thrown away for it)
      if (stack.length === 0) return;
      const top = stack[stack.length - 1];
      if (top.next === top.dirents.length) {
        stack.pop();
        continue;
      }
      const d = top.dirents[top.next++];
      const p = top.rel ? `${top.rel}/${d.name}` : d.name;
      // the folder is not excluded (it was entered): only this name's own segment is new
      if (skip(p, d.name)) continue;
      const abs = base + p;
      const open = d.isFile() ? openRegular(abs) : null;
      if (open) {
        const wait = file(p, open.fd, open.st);
        if (wait) return wait;
        continue;
      }
      const st = lstatSync(abs);
      // the type from the mode's bits (Stats' methods, met here seldom, cost the optimized loop its code)
      const type = st.mode & S_IFMT;
      let wait: Later;
      if (type === S_IFDIR) {
        wait = visitor.dir(p, st.mode & 0o7777, st.mtimeMs);
        stack.push(frame(p));
      } else if (type === S_IFLNK) {
        wait = visitor.symlink(p, st.mode & 0o7777, st.mtimeMs, readlinkSync(abs));
      } else if (type === S_IFREG) {
        // readdir said otherwise, or the open failed: a plain open says why, or reads it
        wait = file(p, openSync(abs, 'r'), st);
      } else {
        skipped.push(p);
      }
      if (wait) return wait;
    }
  }

  for (let wait = step(); wait; wait = step()) await wait;
  return skipped;
}
