/**
 * Which lint-staged `init --lint-staged` writes: the one the repository has (declared in
 * package.json, or installed), else the newest major that runs on this Node: 17 needs
 * Node >= 22.22.1, 16 runs on Node >= 20.17. An installed one that cannot run on this Node
 * is named in a warning (its pre-commit would fail on every commit).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { msg } from '../../messages.js';
import type { PackageJson } from './package-json.js';

export const LINT_STAGED_16 = '^16.4.0';
export const LINT_STAGED_17 = '^17.0.0';
/** lint-staged 17's engines.node. */
const NODE_FOR_17 = '22.22.1';

const parts = (v: string) => v.replace(/^v/, '').split('.').map((n) => parseInt(n, 10) || 0);
/** a >= b for dotted versions. */
export function versionAtLeast(a: string, b: string): boolean {
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < 3; i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) > (y[i] ?? 0);
  return true;
}

function installed(top: string): { version: string; minNode: string | null } | null {
  const file = path.join(top, 'node_modules', 'lint-staged', 'package.json');
  if (!existsSync(file)) return null;
  try {
    const data = JSON.parse(readFileSync(file, 'utf8'));
    return { version: String(data.version), minNode: /^\s*>=\s*v?([\d.]+)\s*$/.exec(data.engines?.node ?? '')?.[1] ?? null };
  } catch {
    return null;
  }
}

/** What to add to devDependencies (null: the repository has lint-staged), and a warning, if any. */
export function lintStagedChoice(pkg: PackageJson, top: string, node = process.versions.node): { add: string | null; warning: string | null } {
  const deps = (name: string) => (pkg.data[name] && typeof pkg.data[name] === 'object' ? (pkg.data[name] as Record<string, unknown>) : {});
  const declared = deps('devDependencies')['lint-staged'] ?? deps('dependencies')['lint-staged'];
  const have = installed(top);
  const warning = have?.minNode && !versionAtLeast(node, have.minNode) ? msg.initLintStagedNode(have.version, have.minNode, node) : null;
  if (declared !== undefined) return { add: null, warning };
  if (have) return { add: `^${have.version}`, warning };
  return { add: versionAtLeast(node, NODE_FOR_17) ? LINT_STAGED_17 : LINT_STAGED_16, warning };
}
