import { test } from 'uvu';
import * as assert from 'uvu/assert';

import { BACKUP_BRANCHES, cli, tmpDir, withRepo } from './helpers/repo.js';
import { inTerminal } from './helpers/terminal.js';

test('--help everywhere, exit 0', () => {
  const dir = tmpDir();
  const main = cli(dir, ['--help']);
  assert.is(main.code, 0);
  assert.match(main.stdout, /Usage: reorg-guard/);
  for (const name of ['backup', 'archive', 'list']) {
    assert.match(main.stdout, new RegExp(`\\n  ${name} `));
    const r = cli(dir, [name, '--help']);
    assert.is(r.code, 0, name);
    assert.match(r.stdout, new RegExp(`Usage: reorg-guard ${name}`));
    assert.is(cli(dir, ['help', name]).stdout, r.stdout);
  }
  assert.match(cli(dir, ['--version']).stdout, /^\d+\.\d+\.\d+\n$/);
});

test("every command's --help names each option the command takes, in its usage and under Options (with its short form), and no other", async () => {
  const dir = tmpDir();
  const { COMMANDS } = await import('../src/commands/index.js');
  for (const [name, entry] of Object.entries(COMMANDS)) {
    const { options } = await entry.load();
    const help = cli(dir, [name, '--help']).stdout;
    const usage = help.slice(0, help.indexOf('\n\n'));
    const section = help.slice(help.indexOf('\nOptions:\n') + 1).split('\n\n')[0];
    const listed = section.split('\n').flatMap((l) => /^ {2}(?:-\w, )?--([\w-]+)/.exec(l)?.[1] ?? []);
    for (const [option, { short }] of Object.entries(options)) {
      assert.match(usage, new RegExp(`--${option}\\b`), `${name}: --${option} in the usage`);
      assert.ok(listed.includes(option), `${name}: --${option} under Options`);
      if (short) assert.match(section, new RegExp(`\\n {2}-${short}, --${option}\\b`), `${name}: -${short}, --${option}`);
    }
    for (const option of listed) assert.ok(option in options || option === 'json', `${name}: --${option} under Options is not an option of ${name}`);
  }
  // every command that takes --yes takes -y (recover and emergency-stop refused it)
  for (const name of ['cleanup', 'emergency-stop', 'recover', 'restore', 'rollback', 'undo']) assert.is(cli(dir, [name, '-y', '--help']).code, 0, `${name} -y`);
});

test('bad usage: one line on stderr, exit 2', withRepo((repo) => {
  for (const args of [['frobnicate'], ['backup', '--no-such-option'], ['archive', '--dir'], []]) {
    const r = repo.cli(args);
    assert.is(r.code, 2, args.join(' '));
    if (args.length) assert.is(r.stderr.trim().split('\n').length, 1, r.stderr);
  }
  assert.is(repo.git('for-each-ref', BACKUP_BRANCHES), '');
  // a value that starts with '-' is never taken for a name, with or without '='
  for (const args of [['rollback', 'full', '--to', '-x', '--yes'], ['rollback', 'full', '--to=-x', '--yes'], ['undo', '--', '-x']]) {
    const r = repo.cli(args);
    assert.is(r.code, 2, args.join(' '));
    assert.match(r.stderr, /starting with '-' is refused|starts with '-': refused/);
  }
  assert.match(repo.cli(['archive', '--dir']).stderr, /argument missing\. Run 'reorg-guard archive --help'\./);
}));

test('a command that takes options only refuses an argument, changing nothing: a count without --keep-branches is no cleanup by the default rules', withRepo((repo) => {
  for (let i = 0; i < 3; i++) assert.is(repo.cli(['backup', '--no-push']).code, 0);
  const before = repo.git('for-each-ref');
  for (const args of [['cleanup', '1', '--yes'], ['archive', 'out'], ['emergency-stop', 'now'], ['list', 'x'], ['push', 'origin']]) {
    const r = repo.cli(args);
    assert.is(r.code, 2, args.join(' '));
    assert.is(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, new RegExp(`Unexpected argument "${args[1]}": reorg-guard ${args[0]} takes options only`));
  }
  assert.is(repo.git('for-each-ref'), before, 'no backup deleted, no snapshot taken');
}));

test('outside a repository: a sentence, exit 2, no stack unless DEBUG', () => {
  const dir = tmpDir();
  const r = cli(dir, ['backup']);
  assert.is(r.code, 2);
  assert.match(r.stderr, /is not inside a git repository/);
  assert.not.match(r.stderr, /\n\s+at /);
  const missing = cli(dir, ['-C', `${dir}/nope`, 'list']);
  assert.is(missing.code, 2);
  assert.match(missing.stderr, /does not exist/);
  const debug = cli(dir, ['backup'], { env: { DEBUG: 'reorg-guard' } });
  assert.match(debug.stderr, /\n\s+at /);
});

test('list shows branches newest first, with snapshots and archives', withRepo((repo) => {
  repo.write('wip.txt', 'x\n');
  const a = JSON.parse(repo.cli(['backup', '--json']).stdout).branch;
  const b = JSON.parse(repo.cli(['backup', '--json', '--archive']).stdout).branch;
  const r = repo.cli(['list', '--json']);
  assert.is(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.branches.map((x: { name: string }) => x.name), [b, a]);
  assert.ok(out.branches.every((x: { local: boolean; remote: boolean; snapshot: string }) => x.local && x.remote && x.snapshot));
  assert.is(out.archives.length, 1);
  const text = repo.cli(['list']).stdout;
  const lines = text.split('\n');
  const at = (name: string) => lines.findIndex((l) => l.trim().startsWith(`${name} `));
  assert.ok(at(b) >= 0 && at(b) < at(a), 'newest first');
  assert.match(text, /Archives in/);
}));

test('under CI=true a destructive command never prompts, even on a terminal: it refuses, exit 2', withRepo((repo) => {
  for (let i = 0; i < 3; i++) assert.is(repo.cli(['backup', '--no-push']).code, 0);
  const before = repo.git('for-each-ref', 'refs/heads/');
  // stdin is empty, so a prompt would wait for nothing
  const r = inTerminal(repo, ['cleanup', '--keep-branches', '1'], { env: { CI: 'true' }, timeout: 30000 });
  assert.is(r.code, 2, r.stdout);
  assert.match(r.stdout, /--yes/);
  assert.is(repo.git('for-each-ref', 'refs/heads/'), before, 'nothing deleted');
}));

test.run();
