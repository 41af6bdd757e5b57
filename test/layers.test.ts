/**
 * Layers point down: commands -> features (backup, rollback, hooks, recover, supervise) ->
 * state -> git, ui -> util, config, errors, messages. Reads the imports of every file under
 * src/ (types included) and lists each one that runs upward.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const SRC = path.resolve('src');

/** Layer of each top-level folder or file of src/, top first; the same layer may import itself. */
const LAYERS: Array<[layer: string, parts: string[]]> = [
  ['entry', ['cli.ts', 'main.ts']],
  ['commands', ['commands']],
  ['features', ['backup', 'rollback', 'hooks', 'recover', 'supervise']],
  ['state', ['state', 'workspace.ts']],
  ['git, ui', ['git', 'ui']],
  ['util, config, errors, messages', ['util', 'config.ts', 'errors.ts', 'messages.ts', 'messages', 'paths.ts']],
];

function layerOf(rel: string): number {
  const top = rel.split('/')[0];
  const i = LAYERS.findIndex(([, parts]) => parts.includes(top));
  if (i < 0) throw new Error(`src/${rel} is in no layer: add ${top} to LAYERS in test/layers.test.ts`);
  return i;
}

interface Edge {
  from: string;
  to: string;
}

/** The imports that run upward, as `from -> to (layer -> layer)` lines. */
function upward(edges: Edge[]): string[] {
  return edges
    .filter((e) => layerOf(e.to) < layerOf(e.from))
    .map((e) => `src/${e.from} -> src/${e.to} (${LAYERS[layerOf(e.from)][0]} -> ${LAYERS[layerOf(e.to)][0]})`);
}

function sources(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts')).map((f) => f.split(path.sep).join('/'));
}

/** Every relative import (static, dynamic, `import type`, `export ... from`) of every file under src/. */
function importsOfSrc(): Edge[] {
  const edges: Edge[] = [];
  for (const from of sources(SRC)) {
    const text = readFileSync(path.join(SRC, from), 'utf8');
    for (const m of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)'(\.{1,2}\/[^']+)'/gm)) {
      const to = path.posix.normalize(path.posix.join(path.posix.dirname(from), m[1])).replace(/\.js$/, '.ts');
      edges.push({ from, to });
    }
  }
  return edges;
}

test('no import under src/ runs up the layers', () => {
  const edges = importsOfSrc();
  assert.ok(edges.length > 300, `read the imports (${edges.length})`);
  const bad = upward(edges);
  assert.ok(bad.length === 0, `imports that run upward:\n  ${bad.join('\n  ')}`);
});

test('the check names an upward import with both layers, and lets downward and same-layer ones pass', () => {
  const bad = upward([
    { from: 'state/lock.ts', to: 'recover/proc.ts' },
    { from: 'ui/verification.ts', to: 'rollback/check.ts' },
    { from: 'commands/hook.ts', to: 'hooks/run.ts' },
    { from: 'hooks/pre-push.ts', to: 'backup/list.ts' },
    { from: 'git/exec.ts', to: 'messages.ts' },
  ]);
  assert.equal(bad, [
    'src/state/lock.ts -> src/recover/proc.ts (state -> features)',
    'src/ui/verification.ts -> src/rollback/check.ts (git, ui -> features)',
  ]);
  assert.throws(() => upward([{ from: 'newfolder/x.ts', to: 'git/exec.ts' }]), /src\/newfolder\/x\.ts is in no layer/);
});

test.run();
