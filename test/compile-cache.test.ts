/**
 * Node's compile cache (src/util/compile-cache.ts): on a node that has it (>= 22.8), every run
 * of the CLI, and the worker of verify migration, keep V8's compiled code in node's default
 * place (node-compile-cache under the temp folder) or in NODE_COMPILE_CACHE; on node 20 there
 * is none. Whatever state that folder is in, the run is the same. .ci/run runs this file on
 * Node 22 and 24 too.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import module from 'node:module';
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { cli, tmpDir, withRepo } from './helpers/repo.js';
import { makeGcommonRepo } from './helpers/state.js';

const nodeHasIt = typeof (module as { enableCompileCache?: unknown }).enableCompileCache === 'function';

/** Every file under `dir` (the cache keeps one folder per node version). */
const filesUnder = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir, { recursive: true, encoding: 'utf8' }) : []);

test(`a run keeps its compiled code in node's default place (node ${process.version}: ${nodeHasIt ? 'has' : 'lacks'} the compile cache)`, () => {
  const tmp = tmpDir('rg-tmp-');
  const r = cli(tmpDir(), ['--help'], { env: { TMPDIR: tmp } });
  assert.is(r.code, 0, r.stderr);
  assert.is(r.stderr, '');
  const cache = path.join(tmp, 'node-compile-cache');
  if (nodeHasIt) assert.ok(filesUnder(cache).length > 1, `${cache} holds the compiled code`);
  else assert.not.ok(existsSync(cache), 'node 20: nothing written');
  // the next run reads it, and says the same
  assert.equal(cli(tmpDir(), ['--help'], { env: { TMPDIR: tmp } }), r);
});

test('NODE_DISABLE_COMPILE_CACHE=1 turns it off', () => {
  const tmp = tmpDir('rg-tmp-');
  const r = cli(tmpDir(), ['--version'], { env: { TMPDIR: tmp, NODE_DISABLE_COMPILE_CACHE: '1' } });
  assert.is(r.code, 0, r.stderr);
  assert.not.ok(existsSync(path.join(tmp, 'node-compile-cache')));
});

test('a cache that cannot be written, or holds garbage, changes nothing: verify migration with its workers', withRepo(() => makeGcommonRepo(0.2), (repo) => {
  assert.is(repo.cli(['backup', '--reason', 'before the move']).code, 0);
  repo.reorganize();
  repo.git('add', '-A');
  repo.git('commit', '-q', '-m', 'move');
  // no schema cache of reorg-guard's own: every file parsed, by worker threads (> 200 files)
  const verify = (env: Record<string, string>) => {
    rmSync(path.join(repo.dir, '.git/reorg-guard/schema-cache'), { recursive: true, force: true });
    return repo.cli(['verify', 'migration', '--json'], { env });
  };
  const clean = verify({ NODE_DISABLE_COMPILE_CACHE: '1' });
  assert.is(clean.code, 1, clean.stderr);
  assert.ok(JSON.parse(clean.stdout).findings.length > 0);

  const notADir = path.join(tmpDir(), 'a-file');
  writeFileSync(notADir, 'not a folder');
  const garbage = tmpDir('rg-cache-');
  const fill = (dir: string) => {
    for (const d of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, d.name);
      if (d.isDirectory()) fill(p);
      else writeFileSync(p, Buffer.alloc(64, 7));
    }
  };
  verify({ NODE_COMPILE_CACHE: garbage }); // node writes its entries...
  if (nodeHasIt) assert.ok(filesUnder(garbage).length > 1, 'the main thread and the workers wrote their code');
  fill(garbage); // ...which become garbage
  for (const dir of [notADir, garbage, garbage]) {
    const r = verify({ NODE_COMPILE_CACHE: dir });
    assert.is(r.code, clean.code, `${dir}: ${r.stderr}`);
    assert.is(r.stderr, clean.stderr);
    assert.is(r.stdout, clean.stdout);
  }
}));

test.run();
