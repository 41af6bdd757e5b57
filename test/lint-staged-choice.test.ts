/** init --lint-staged writes the lint-staged that runs on the Node at hand, or keeps the repository's. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { lintStagedChoice, versionAtLeast } from '../src/hooks/install/lint-staged.js';
import { ROOT, tmpDir } from './helpers/repo.js';

const pkg = (data: Record<string, unknown>) => ({ file: 'package.json', data, indent: '  ', original: '', dirty: false });
const installedVersion = (): string => JSON.parse(readFileSync(path.join(ROOT, 'node_modules/lint-staged/package.json'), 'utf8')).version;

test('nothing in the repository: 16 below Node 22.22.1, 17 from there', () => {
  const top = tmpDir();
  assert.equal(lintStagedChoice(pkg({}), top, '20.20.2'), { add: '^16.4.0', warning: null });
  assert.equal(lintStagedChoice(pkg({}), top, '22.21.0'), { add: '^16.4.0', warning: null });
  assert.equal(lintStagedChoice(pkg({}), top, '22.22.1'), { add: '^17.0.0', warning: null });
  assert.equal(lintStagedChoice(pkg({}), top, '24.1.0'), { add: '^17.0.0', warning: null });
});

test('the repository has one: declared is kept, installed is declared as it is; one its Node cannot run is named', () => {
  const top = tmpDir();
  mkdirSync(path.join(top, 'node_modules'));
  symlinkSync(path.join(ROOT, 'node_modules/lint-staged'), path.join(top, 'node_modules/lint-staged')); // the real 16.x
  assert.equal(lintStagedChoice(pkg({ devDependencies: { 'lint-staged': '^16.0.0' } }), top, '24.1.0'), { add: null, warning: null });
  assert.equal(lintStagedChoice(pkg({ dependencies: { 'lint-staged': '^16.0.0' } }), top, '24.1.0'), { add: null, warning: null });
  const v = installedVersion();
  assert.equal(lintStagedChoice(pkg({}), top, '24.1.0'), { add: `^${v}`, warning: null });
  const old = lintStagedChoice(pkg({}), top, '20.10.0');
  assert.match(old.warning ?? '', `lint-staged ${v} needs Node >= 20.17, and this is Node 20.10.0`);
});

test('versions compare part by part', () => {
  assert.ok(versionAtLeast('22.22.1', '22.22.1'));
  assert.ok(versionAtLeast('v22.23.0', '22.22.1'));
  assert.ok(versionAtLeast('24.0.0', '22.22.1'));
  assert.not.ok(versionAtLeast('22.9.0', '22.22.1'));
  assert.not.ok(versionAtLeast('20.20.2', '22.22.1'));
});

test.run();
