/**
 * Archives for tests: damaging real ones (truncate, flip a byte, drop or add an entry) and
 * crafting hostile ones (`../x`, absolute paths, symlinks out, hard links, devices) with a
 * manifest that matches them, so that only restore's safety rules stand in the way.
 */
import { createHash } from 'node:crypto';
import { createWriteStream, readFileSync, writeFileSync, truncateSync, statSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Header, Pack, ReadEntry, create, extract, list } from 'tar';

export interface CraftEntry {
  path: string;
  type: 'File' | 'Directory' | 'SymbolicLink' | 'Link' | 'CharacterDevice' | 'FIFO';
  body?: string;
  linkpath?: string;
  mode?: number;
}

const MANIFEST = '.reorg-guard-manifest.json';
const KIND: Record<string, string> = { File: 'file', Directory: 'dir', SymbolicLink: 'symlink' };

function entryOf(e: CraftEntry): ReadEntry {
  const body = Buffer.from(e.body ?? '');
  const header = new Header({
    path: e.path,
    type: e.type,
    mode: e.mode ?? (e.type === 'Directory' ? 0o755 : 0o644),
    size: e.type === 'File' ? body.length : 0,
    linkpath: e.linkpath,
    mtime: new Date(),
    ...(e.type === 'CharacterDevice' ? { devmaj: 1, devmin: 3 } : {}),
  });
  const entry = new ReadEntry(header);
  if (e.type === 'File') entry.write(body);
  entry.end();
  return entry;
}

/** A manifest that describes the entries exactly (as far as the manifest format can). */
export function manifestFor(entries: CraftEntry[], repo = 'work'): string {
  return JSON.stringify({
    format: 'reorg-guard-manifest/1',
    repo,
    createdAt: new Date().toISOString(),
    head: null,
    files: entries.filter((e) => e.type === 'File').length,
    bytes: entries.reduce((n, e) => n + Buffer.byteLength(e.body ?? ''), 0),
    entries: entries.map((e) => ({
      path: e.path,
      type: KIND[e.type] ?? e.type,
      mode: e.mode ?? (e.type === 'Directory' ? 0o755 : 0o644),
      size: e.type === 'File' ? Buffer.byteLength(e.body ?? '') : 0,
      ...(e.type === 'File' ? { sha256: createHash('sha256').update(e.body ?? '').digest('hex') } : {}),
      ...(e.type === 'SymbolicLink' ? { target: e.linkpath } : {}),
    })),
  });
}

/** Writes a tar.gz with a matching manifest first (or none, with `manifest: false`). */
export async function craftArchive(file: string, entries: CraftEntry[], opts: { manifest?: boolean } = {}): Promise<void> {
  // preservePaths here only lets the test write hostile paths (`/x`) as they are.
  const pack = new Pack({ gzip: true, portable: true, preservePaths: true });
  const done = pipeline(pack, createWriteStream(file));
  if (opts.manifest !== false) pack.add(entryOf({ path: MANIFEST, type: 'File', body: manifestFor(entries), mode: 0o600 }));
  for (const e of entries) pack.add(entryOf(e));
  pack.end();
  await done;
}

export function truncateArchive(file: string, keepFraction = 0.5): void {
  truncateSync(file, Math.floor(statSync(file).size * keepFraction));
}

export function flipByte(file: string, at?: number): void {
  const buf = readFileSync(file);
  const i = at ?? Math.floor(buf.length / 2);
  buf[i] ^= 0xff;
  writeFileSync(file, buf);
}

/** Rewrites a real archive: `drop` removes entries, `add` adds files (not in the manifest). */
export async function repack(file: string, opts: { drop?: string[]; add?: Record<string, string> }): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rg-repack-'));
  try {
    await extract({ file, cwd: dir });
    const names: string[] = [];
    await list({ file, onReadEntry: (e) => names.push(e.path.replace(/\/$/, '')) });
    for (const [rel, body] of Object.entries(opts.add ?? {})) {
      writeFileSync(path.join(dir, rel), body);
      names.push(rel);
    }
    const keep = names.filter((n) => !(opts.drop ?? []).includes(n));
    await create({ file, cwd: dir, gzip: true, portable: true, noDirRecurse: true }, keep);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
