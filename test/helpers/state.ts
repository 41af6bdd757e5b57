/**
 * The whole state a user would check after a rollback or an undo: HEAD (branch or detached),
 * every branch position, the index entries, and every file of the work tree (ignored ones
 * included) with its mode and bytes.
 */
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import path from 'node:path';
import { generateLayout, type Layout } from '../../scripts/lib/gcommon-layout.js';
import { simulateReorganization, type Reorganization } from '../../scripts/lib/simulate-reorg.js';
import { git, makeRepo, type TestRepo } from './repo.js';

export interface RepoState {
  head: string;
  branches: string;
  index: string;
  files: Record<string, string>;
}

function walk(top: string, rel: string, out: Record<string, string>): void {
  for (const name of readdirSync(path.join(top, rel)).sort()) {
    const p = rel ? `${rel}/${name}` : name;
    if (p === '.git') continue;
    const abs = path.join(top, p);
    const st = lstatSync(abs);
    if (st.isDirectory()) walk(top, p, out);
    else if (st.isSymbolicLink()) out[p] = `link ${readlinkSync(abs)}`;
    else out[p] = `${(st.mode & 0o111 ? 'x ' : '') + createHash('sha256').update(readFileSync(abs)).digest('hex')}`;
  }
}

export function captureState(dir: string): RepoState {
  let head: string;
  try {
    head = git(dir, 'symbolic-ref', '-q', 'HEAD');
  } catch {
    head = `detached ${git(dir, 'rev-parse', 'HEAD')}`;
  }
  const files: Record<string, string> = {};
  walk(dir, '', files);
  return {
    head,
    branches: git(dir, 'for-each-ref', '--format=%(refname) %(objectname)', 'refs/heads/'),
    index: git(dir, 'ls-files', '-s'),
    files,
  };
}

export interface GcommonRepo extends TestRepo {
  layout: Layout;
  /** Runs the simulated reorganization in the work tree (nothing committed). */
  reorganize(): Reorganization;
}

/** A test repository shaped like gcommon before its reorganization, committed and pushed. */
export function makeGcommonRepo(scale = 0.02): GcommonRepo {
  const layout = generateLayout({ scale });
  const repo = makeRepo({ files: Object.fromEntries(layout.files) });
  return Object.assign(repo, { layout, reorganize: () => simulateReorganization(repo.dir, layout) });
}
