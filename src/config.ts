/**
 * Configuration: `reorg-guard.config.json` at the repository root, or a `"reorgGuard"` key in
 * package.json. Defaults fit the gcommon layout; every key is checked for its type.
 */
import { readFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UsageError } from './errors.js';
import { msg } from './messages.js';

export interface Config {
  /** Paths whose change makes a hook take a backup (a trailing / means a folder). */
  guardedPaths: string[];
  branchPrefix: string;
  remote: string;
  push: boolean;
  /** Also push snapshot refs (uncommitted work) to the remote. */
  pushSnapshots: boolean;
  backupDir: string;
  archiveExcludes: string[];
  /** Where protos lived before the reorganization; `<domain>` stands for a domain folder. */
  oldLayout: string;
  /** Root of the new layout. */
  newRoot: string;
  generatedPatterns: string[];
  configFiles: string[];
  /** Hooks block the git command when a backup fails. */
  strict: boolean;
  keepBranches: number;
  keepArchives: number;
  /** Seconds a network step (push, fetch, ls-remote) may go without a sign of life before it is stopped. */
  networkTimeout: number;
}

export const DEFAULTS: Config = {
  guardedPaths: ['proto/', 'buf.yaml', 'buf.gen.yaml'],
  branchPrefix: 'proto-reorg-backup-',
  remote: 'origin',
  push: true,
  pushSnapshots: false,
  backupDir: '~/backups',
  archiveExcludes: ['.git', 'node_modules', 'target', 'dist', '*.log', 'logs'],
  oldLayout: 'pkg/<domain>/proto/',
  newRoot: 'proto/gcommon/v1/',
  generatedPatterns: ['*.pb.go', '*_grpc.pb.go'],
  configFiles: ['buf.yaml', 'buf.gen.yaml'],
  strict: false,
  keepBranches: 5,
  keepArchives: 10,
  networkTimeout: 30,
};

/** Overrides `networkTimeout` (seconds) for one command, e.g. in CI. */
export const NETWORK_TIMEOUT_ENV = 'REORG_GUARD_NETWORK_TIMEOUT';

export const CONFIG_FILE = 'reorg-guard.config.json';

type Kind = 'string' | 'boolean' | 'string[]' | 'count';

function kindOf(value: unknown): Kind {
  if (Array.isArray(value)) return 'string[]';
  if (typeof value === 'number') return 'count';
  return typeof value as Kind;
}

function check(key: string, value: unknown, kind: Kind, file: string): void {
  const ok =
    kind === 'string[]'
      ? Array.isArray(value) && value.every((v) => typeof v === 'string' && v.length > 0)
      : kind === 'count'
        ? Number.isInteger(value) && (value as number) >= 0
        : kind === 'string'
          ? typeof value === 'string' && value.length > 0
          : typeof value === kind;
  if (!ok) throw new UsageError(msg.configType(key, describe(kind), file));
}

function describe(kind: Kind): string {
  return { string: 'a non-empty string', boolean: 'true or false', 'string[]': 'a list of non-empty strings', count: 'a whole number >= 0' }[kind];
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new UsageError(msg.configMalformed(file, (err as Error).message));
  }
}

/** Reads and validates the config of the repository whose work tree starts at `top`. */
export function loadConfig(top: string): Config & { source: string | null } {
  let raw: unknown;
  let source: string | null = null;
  const own = path.join(top, CONFIG_FILE);
  const pkg = path.join(top, 'package.json');
  if (existsSync(own)) {
    raw = readJson(own);
    source = CONFIG_FILE;
  } else if (existsSync(pkg)) {
    const json = readJson(pkg) as Record<string, unknown> | null;
    if (json && typeof json === 'object' && 'reorgGuard' in json) {
      raw = json.reorgGuard;
      source = 'package.json#reorgGuard';
    }
  }
  const config: Config = { ...DEFAULTS };
  if (raw !== undefined) {
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new UsageError(msg.configNotObject(source!));
    for (const [key, value] of Object.entries(raw)) {
      if (!(key in DEFAULTS)) throw new UsageError(msg.configUnknownKey(key, source!));
      const k = key as keyof Config;
      check(key, value, kindOf(DEFAULTS[k]), source!);
      (config as unknown as Record<string, unknown>)[key] = value;
    }
  }
  if (config.branchPrefix.startsWith('-') || /[\s~^:?*[\\]|\.\.|@\{/.test(config.branchPrefix)) {
    throw new UsageError(msg.configType('branchPrefix', 'a valid branch name prefix', source ?? CONFIG_FILE));
  }
  if (config.remote.startsWith('-')) throw new UsageError(msg.configType('remote', 'a remote name', source ?? CONFIG_FILE));
  if (config.networkTimeout < 1) throw new UsageError(msg.configType('networkTimeout', 'a whole number of seconds >= 1', source ?? CONFIG_FILE));
  const envTimeout = process.env[NETWORK_TIMEOUT_ENV];
  if (envTimeout !== undefined && envTimeout !== '') {
    if (!/^\d+$/.test(envTimeout) || Number(envTimeout) < 1) throw new UsageError(msg.configType(NETWORK_TIMEOUT_ENV, 'a whole number of seconds >= 1', 'the environment'));
    config.networkTimeout = Number(envTimeout);
  }
  return { ...config, backupDir: expandHome(config.backupDir, top), source };
}

function expandHome(dir: string, top: string): string {
  if (dir === '~' || dir.startsWith('~/')) return path.join(os.homedir(), dir.slice(1));
  return path.resolve(top, dir);
}
