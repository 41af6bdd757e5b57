/**
 * A repository shaped like the real gcommon tree before its reorganization: the generated
 * layout at full scale (protos, .pb.go, Python SDK), padded with small Go files to `files`
 * files, about `mb` megabytes in all (the real one: 9,134 files, 58 MB). Mostly small files,
 * as the real one: the shape that costs a tool per file, not per byte. Deterministic.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { generateLayout, writeLayout, type Layout } from './gcommon-layout.js';
import { simulateReorganization } from './simulate-reorg.js';
import { measure, measureSh, settleIndex, type Sample } from './measure.js';

export interface RealTreeOptions {
  /** Files in all (the layout alone has about 5,500). */
  files?: number;
  /** Megabytes in all, spread over the padding files. */
  mb?: number;
}

/** The real tree's figures. */
export const REAL = { files: 9134, mb: 58 };

/** Writes the tree into `dir`; returns the layout (its protos for the reorganization). */
export function writeRealTree(dir: string, opts: RealTreeOptions = {}): Layout {
  const files = opts.files ?? REAL.files;
  const mb = opts.mb ?? REAL.mb;
  const layout = generateLayout({ scale: 1, python: true });
  let bytes = 0;
  for (const v of layout.files.values()) bytes += Buffer.byteLength(v);
  const padding = Math.max(0, files - layout.files.size);
  const each = padding ? Math.max(64, Math.floor((mb * 1024 * 1024 - bytes) / padding)) : 0;
  // Text that compresses like Go source (not random bytes, not one repeated byte).
  const line = (i: number, k: number) => `\tfield${k} := lookup("${(i * 7919 + k * 104729).toString(36)}", ${k}) // ${i}:${k}\n`;
  for (let i = 0; i < padding; i++) {
    let body = `package part${Math.floor(i / 500)}\n\n// filler ${i}\nfunc F${i}() {\n`;
    for (let k = 0; body.length < each - 2; k++) body += line(i, k);
    layout.files.set(`internal/gen/part${Math.floor(i / 500)}/file_${i}.go`, body.slice(0, Math.max(0, each - 2)) + '}\n');
  }
  mkdirSync(dir, { recursive: true });
  writeLayout(dir, layout);
  return layout;
}

/** The tree as one commit on `main` of a new repository in `dir`. */
export function commitRealTree(dir: string, env: NodeJS.ProcessEnv, opts: RealTreeOptions = {}): Layout {
  const layout = writeRealTree(dir, opts);
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, env, stdio: 'ignore' });
  git('init', '-q', '--initial-branch=main');
  git('add', '-A');
  git('commit', '-q', '-m', 'gcommon before the reorganization');
  return layout;
}

/** Dirty work in progress: every `every`th padding file changed, and 50 new files in `wip/<tag>/`. */
export function dirtyRealTree(dir: string, layout: Layout, tag: string, every = 20): void {
  let n = 0;
  for (const rel of layout.files.keys()) {
    if (!rel.startsWith('internal/gen/') || n++ % every) continue;
    writeFileSync(path.join(dir, rel), `package changed\n\n// work in progress ${tag} ${n}\n`);
  }
  mkdirSync(path.join(dir, 'wip', tag), { recursive: true });
  for (let i = 0; i < 50; i++) writeFileSync(path.join(dir, 'wip', tag, `new_${i}.go`), `package wip\n\nconst W${i} = ${i}\n`);
}

export interface RollbackScene {
  /** The commit the backup was taken at. */
  backup: string;
  /** The commit of the move (the reorganization), HEAD now. */
  moved: string;
}

/**
 * The scene of a rollback: the tree with work in progress, a backup of it (branch + snapshot),
 * then the reorganization committed (protos copied to the new layout, new generated code, config
 * rewritten) and more work in progress on top. `rg` runs reorg-guard in `dir`.
 */
export function rollbackScene(dir: string, env: NodeJS.ProcessEnv, layout: Layout, rg: (...args: string[]) => void): RollbackScene {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, env, encoding: 'utf8' }).trim();
  dirtyRealTree(dir, layout, 'before');
  rg('backup', '--no-push', '--reason', 'before the move');
  const backup = git('rev-parse', 'HEAD');
  simulateReorganization(dir, layout);
  git('add', '-A');
  git('-c', 'core.hooksPath=/dev/null', 'commit', '-q', '-m', 'move protos to proto/gcommon/v1');
  dirtyRealTree(dir, layout, 'after', 25);
  return { backup, moved: git('rev-parse', 'HEAD') };
}

export interface RollbackRound {
  /** `git stash -u` + `git reset --hard <backup>`: git's own way back, keeping the work in a stash. */
  baseline: Sample;
  /** `git reset --hard <move>` + `git stash pop`: git's own way forth again, what undo does here. */
  forth: Sample;
  rollbackFull: Sample;
  undo: Sample;
}

/**
 * One round on the scene, each step timed from a settled index: git's way back, then forth
 * again (reset to the move, stash pop); `rollback full`, then `undo`, which puts the same state
 * back. `first` says which goes first, so that rounds can alternate.
 */
export function rollbackRound(dir: string, env: NodeJS.ProcessEnv, scene: RollbackScene, cli: string, first: 'git' | 'reorg-guard'): RollbackRound {
  const baseline = () => {
    settleIndex(dir, env);
    const back = measureSh(dir, env, `git stash push -q -u && git reset -q --hard ${scene.backup}`);
    settleIndex(dir, env);
    const forth = measureSh(dir, env, `git reset -q --hard ${scene.moved} && git stash pop -q`);
    return { back, forth };
  };
  const ours = () => {
    settleIndex(dir, env);
    const full = measure(dir, env, process.execPath, [cli, 'rollback', 'full', '--yes']);
    settleIndex(dir, env);
    const undo = measure(dir, env, process.execPath, [cli, 'undo', '--yes']);
    return { full, undo };
  };
  if (first === 'git') {
    const b = baseline();
    const o = ours();
    return { baseline: b.back, forth: b.forth, rollbackFull: o.full, undo: o.undo };
  }
  const o = ours();
  const b = baseline();
  return { baseline: b.back, forth: b.forth, rollbackFull: o.full, undo: o.undo };
}
