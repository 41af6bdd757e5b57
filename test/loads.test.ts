/**
 * What a command makes node load (scripts/build.ts splits the bundle so that each command loads
 * only its own code): a guarded hook, the one a commit waits for, loads none of the dependencies
 * and none of node's heavier modules it does not use; rollback and archive leave protobufjs
 * alone. Seen from inside the CLI's process: node's list of its own modules loaded, and
 * require's cache (protobufjs and simple-git are loaded through require).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { BACKUP_BRANCHES, tmpDir, withRepo, type TestRepo } from './helpers/repo.js';

/** Runs the CLI with a preload that prints, as it exits, node's modules and the packages loaded. */
function loaded(repo: TestRepo, args: string[]): { code: number; node: string[]; packages: string[] } {
  const preload = path.join(tmpDir(), 'loaded.cjs');
  writeFileSync(
    preload,
    `process.on('exit', () => require('fs').writeSync(2, '\\n@@loaded ' + JSON.stringify({
      node: process.moduleLoadList.filter((m) => m.startsWith('NativeModule ') && !m.includes('internal/')).map((m) => m.slice(13)),
      packages: [...new Set(Object.keys(require.cache).filter((k) => k.includes('node_modules')).map((k) => k.split('node_modules/').pop().split('/')[0]))],
    }) + '\\n'));\n`,
  );
  const r = repo.cli(args, { env: { NODE_OPTIONS: `--require ${preload}` } });
  const line = r.stderr.split('\n').find((l) => l.startsWith('@@loaded '));
  assert.ok(line, r.stderr);
  return { code: r.code, ...(JSON.parse(line!.slice(9)) as { node: string[]; packages: string[] }) };
}

const none = (have: string[], of: string[], what: string) => assert.equal(have.filter((m) => of.includes(m)), [], what);

test('a guarded post-commit hook makes its backup without node:crypto, zlib, protobufjs, simple-git or tar', withRepo({ files: { 'proto/a.proto': 'syntax = "proto3";\n' } }, (repo) => {
  repo.write('proto/a.proto', 'syntax = "proto3";\nmessage A {}\n');
  repo.git('commit', '-qam', 'guarded change');
  const r = loaded(repo, ['hook', 'post-commit']);
  assert.is(r.code, 0);
  assert.ok(repo.git('for-each-ref', BACKUP_BRANCHES), 'the hook made its backup');
  // (not worker_threads: node 24's own node:util loads it)
  none(r.node, ['crypto', 'zlib'], 'node modules a hook does not use');
  none(r.packages, ['protobufjs', 'simple-git', 'tar'], 'packages a hook does not use');
}));

test('rollback full and archive never load protobufjs', withRepo({ files: { 'proto/a.proto': 'syntax = "proto3";\n' } }, (repo) => {
  assert.is(repo.cli(['backup', '--reason', 'before']).code, 0);
  repo.write('proto/b.proto', 'syntax = "proto3";\n');
  repo.git('add', '-A');
  repo.git('commit', '-qm', 'move');
  for (const args of [['archive'], ['rollback', 'full', '--yes']]) {
    const r = loaded(repo, args);
    assert.is(r.code, 0, args.join(' '));
    none(r.packages, ['protobufjs'], args.join(' '));
  }
  assert.is(repo.git('ls-files', 'proto'), 'proto/a.proto', 'rolled back');
}));

test.run();
