import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { makeRepo } from './helpers/repo.js';

test('backup creates a branch at HEAD, pushes it, and leaves the work tree alone', () => {
  const repo = makeRepo();
  try {
    repo.write('notes.txt', 'draft\n');
    const head = repo.git('rev-parse', 'HEAD');
    const r = repo.cli(['backup', '--json']);
    assert.is(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.match(out.branch, /^proto-reorg-backup-\d{8}_\d{6}$/);
    assert.is(out.commit, head);
    assert.is(out.pushed, true);
    assert.is(repo.git('rev-parse', `refs/heads/${out.branch}`), head);
    assert.is(repo.git('--git-dir', repo.origin, 'rev-parse', `refs/heads/${out.branch}`), head);
    assert.is(repo.git('status', '--porcelain'), '?? notes.txt');
  } finally {
    repo.cleanup();
  }
});

test.run();
