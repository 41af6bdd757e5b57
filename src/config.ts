/**
 * Configuration: `reorg-guard.config.json` at the repository root, or a `"reorgGuard"` key in
 * package.json. Defaults fit the gcommon layout; every key is checked for its type.
 */
import { readFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UsageError } from './errors.js';
import { msg } from './messages.js';
import { escapeRegExp } from './util/glob.js';
import { pathParts, refFormatProblem, repoPathProblem } from './util/validate.js';

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

export type Kind = 'string' | 'boolean' | 'string[]' | 'count';

/** The kind of value a key takes, from its default (reorg-guard.schema.json must agree: test/schema.test.ts). */
export function kindOf(value: unknown): Kind {
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
  if (!ok) throw new UsageError(msg.configType(key, msg.configKind(kind), file));
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
      // "$schema" is for editors (reorg-guard.schema.json): accepted, never fetched nor checked.
      if (key === '$schema') continue;
      if (!(key in DEFAULTS)) throw new UsageError(msg.configUnknownKey(key, source!));
      const k = key as keyof Config;
      check(key, value, kindOf(DEFAULTS[k]), source!);
      (config as unknown as Record<string, unknown>)[key] = value;
    }
  }
  const file = source ?? CONFIG_FILE;
  if (config.branchPrefix.startsWith('-')) throw new UsageError(msg.configType('branchPrefix', 'a valid branch name prefix', file));
  checkPaths(config, file);
  if (config.remote.startsWith('-')) throw new UsageError(msg.configType('remote', 'a remote name', file));
  if (config.networkTimeout < 1) throw new UsageError(msg.configType('networkTimeout', 'a whole number of seconds >= 1', file));
  const envTimeout = process.env[NETWORK_TIMEOUT_ENV];
  if (envTimeout !== undefined && envTimeout !== '') {
    if (!/^\d+$/.test(envTimeout) || Number(envTimeout) < 1) throw new UsageError(msg.configType(NETWORK_TIMEOUT_ENV, 'a whole number of seconds >= 1', 'the environment'));
    config.networkTimeout = Number(envTimeout);
  }
  return { ...config, backupDir: expandHome(config.backupDir, top), source };
}

/** A backup branch name as the prefix makes it: what git must accept. */
const SAMPLE_BRANCH = (prefix: string) => `refs/heads/${prefix}20260101_000000-2`;

/**
 * The checks that keep a config from destroying anything, all without git (the hooks load the
 * config on every run): branch names git accepts, layouts and config files inside the
 * repository, and an old and a new layout that do not overlap (a quick rollback deletes the
 * new one). backupDir inside the work tree needs git: see workspace.ts.
 */
function checkPaths(config: Config, file: string): void {
  const refuse = (key: string, value: string, why: string) => new UsageError(msg.configRefused(key, value, file, why));
  if (config.branchPrefix.startsWith('refs/')) throw refuse('branchPrefix', config.branchPrefix, msg.configPrefixRefs());
  const refProblem = refFormatProblem(SAMPLE_BRANCH(config.branchPrefix));
  if (refProblem) throw refuse('branchPrefix', config.branchPrefix, msg.configPrefixRefFormat(refProblem));
  for (const key of ['oldLayout', 'newRoot'] as const) {
    const problem = repoPathProblem(config[key]);
    if (problem) throw refuse(key, config[key], problem);
  }
  for (const f of config.configFiles) {
    const problem = repoPathProblem(f);
    if (problem) throw refuse('configFiles', f, problem);
  }
  if (layoutsOverlap(config.oldLayout, config.newRoot)) throw refuse('newRoot', config.newRoot, msg.configLayoutsOverlap(config.oldLayout));
}

/**
 * True when one layout's folder holds the other's (or they are the same): compared part by
 * part, `<domain>` in the old layout standing for any one folder.
 */
export function layoutsOverlap(oldLayout: string, newRoot: string): boolean {
  const a = pathParts(oldLayout);
  const b = pathParts(newRoot);
  const same = (x: string, y: string) => x === y || new RegExp(`^${x.split('<domain>').map(escapeRegExp).join('[^/]+')}$`).test(y);
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (!same(a[i], b[i])) return false;
  return true;
}

/**
 * The user's home folder. HOME set but empty (or not a full path) is the home the system
 * records for the user, as when HOME is unset: joined to '', `~/backups` became `/backups`.
 */
function homeDir(): string {
  const home = os.homedir();
  if (path.isAbsolute(home)) return home;
  try {
    return os.userInfo().homedir;
  } catch {
    return home;
  }
}

function expandHome(dir: string, top: string): string {
  if (dir === '~' || dir.startsWith('~/')) return path.join(homeDir(), dir.slice(1));
  return path.resolve(top, dir);
}
