/**
 * reorg-guard.schema.json (shipped for editors) and the config loader cannot drift apart: the
 * same keys, defaults and kinds, and every value the schema refuses the loader refuses too.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULTS, kindOf, loadConfig, type Kind } from '../src/config.js';
import { UsageError } from '../src/errors.js';
import { ROOT, tmpDir } from './helpers/repo.js';

const schema = JSON.parse(readFileSync(path.join(ROOT, 'reorg-guard.schema.json'), 'utf8'));
const props: Record<string, Record<string, unknown>> = schema.properties;
const keys = Object.keys(DEFAULTS) as Array<keyof typeof DEFAULTS>;

const TYPE: Record<Kind, Record<string, unknown>> = {
  string: { type: 'string', minLength: 1 },
  boolean: { type: 'boolean' },
  'string[]': { type: 'array', items: { type: 'string', minLength: 1 } },
  count: { type: 'integer', minimum: 0 },
};

/** Values of the wrong kind: the schema refuses each, so must the loader. */
const WRONG: Record<Kind, unknown[]> = {
  string: ['', 1, true, null, ['x']],
  boolean: ['true', 0, null],
  'string[]': ['proto/', [''], [1], null],
  count: [-1, 1.5, '5', null],
};

function load(config: unknown): unknown {
  const dir = tmpDir();
  writeFileSync(path.join(dir, 'reorg-guard.config.json'), JSON.stringify(config));
  try {
    return loadConfig(dir);
  } catch (err) {
    return err;
  }
}

test('the schema has exactly the loader keys, and "$schema", and nothing else', () => {
  assert.equal(Object.keys(props).filter((k) => k !== '$schema').sort(), [...keys].sort());
  assert.is(schema.additionalProperties, false);
  assert.is(props.$schema.type, 'string');
  assert.is(schema.type, 'object');
});

test('each key: the same default and kind as the loader, and a description', () => {
  for (const key of keys) {
    const { default: def, description, ...type } = props[key];
    assert.equal(def, DEFAULTS[key], `${key}: default`);
    const kind = kindOf(DEFAULTS[key]);
    if (kind === 'count' && typeof type.minimum === 'number' && type.minimum > 0) {
      // A stricter minimum than the kind's (networkTimeout >= 1): the loader must hold it too.
      assert.equal({ ...type, minimum: 0 }, TYPE[kind], `${key}: type`);
      assert.instance(load({ [key]: type.minimum - 1 }), UsageError, `${key}: below the schema's minimum accepted`);
      assert.not.instance(load({ [key]: type.minimum }), Error, `${key}: the schema's minimum refused`);
    } else assert.equal(type, TYPE[kind], `${key}: type`);
    assert.type(description, 'string', `${key}: description`);
  }
});

test('what the schema refuses, the loader refuses (exit 2); the defaults it accepts', () => {
  for (const key of keys) {
    for (const value of WRONG[kindOf(DEFAULTS[key])]) {
      const r = load({ [key]: value });
      assert.instance(r, UsageError, `${key}: ${JSON.stringify(value)} accepted`);
      assert.match((r as Error).message, `"${key}"`);
    }
  }
  assert.not.instance(load({ $schema: './node_modules/reorg-guard/reorg-guard.schema.json', ...DEFAULTS }), Error);
  assert.instance(load({ unknownKey: 1 }), UsageError);
});

test.run();
