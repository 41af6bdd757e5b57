/**
 * Prints `verify migration`: each check with a mark; lost and changed declarations grouped by
 * declaration with file and line; moved declarations as information. `github` prints one
 * GitHub Actions annotation per error (`::error file=...,line=...::...`), as
 * `buf breaking --error-format github-actions` does.
 */
import pc from './colors.js';
import type { Output } from './output.js';
import type { Verification } from '../util/check.js';
import { msg } from '../messages.js';
import { append } from '../util/group.js';

/** What this printer reads of a finding (rollback/proto-compare.ts makes them): ui looks down, never up. */
export interface Finding {
  kind: string;
  severity: 'error' | 'info';
  /** null for a finding about a file */
  declaration: string | null;
  before: string | null;
  after: string | null;
  file: string;
  line: number;
  message: string;
}

/** What this printer reads of `verify migration`'s report (rollback/verify-migration.ts); printed whole with --format json. */
export interface MigrationReport extends Verification {
  findings: Finding[];
}

export type ReportFormat = 'text' | 'json' | 'github';

/** The findings of the "parses" check: a file that does not parse, an import that names no file. */
export const PARSE_KINDS: ReadonlySet<string> = new Set(['unparsable', 'import-missing']);
/** Whether an error finding is the wire check's: not a lost declaration, a parse finding or a collision. */
export const isWireKind = (kind: string) => !kind.startsWith('declaration') && !PARSE_KINDS.has(kind) && kind !== 'collision';

const MOVED_SHOWN = 10;

/** GitHub's workflow-command escaping: the message, and (stricter) a property value. */
const escapeData = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (s: string) => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

export function githubAnnotation(f: Finding): string {
  const level = f.severity === 'error' ? 'error' : 'notice';
  return `::${level} file=${escapeProperty(f.file)},line=${Math.max(1, f.line)},title=${escapeProperty('reorg-guard verify migration')}::${escapeData(f.message)}`;
}

/** Findings of one check, grouped by declaration: a header line, then each finding under it. */
function grouped(findings: Finding[]): string[] {
  const groups = new Map<string, Finding[]>();
  for (const f of findings) append(groups, f.declaration ?? f.file, f);
  const lines: string[] = [];
  for (const [decl, list] of groups) {
    lines.push(`${pc.bold(decl)}  ${pc.dim(list[0].file)}`);
    for (const f of list) lines.push(`  ${f.message} ${pc.dim(`(line ${f.line})`)}`);
  }
  return lines;
}

export function printMigration(out: Output, v: MigrationReport & { backup?: unknown }, format: ReportFormat): number {
  const errors = v.findings.filter((f) => f.severity === 'error');
  if (format === 'json') {
    process.stdout.write(`${JSON.stringify(v, null, 2)}\n`);
    return v.passed ? 0 : 1;
  }
  if (format === 'github') {
    for (const f of errors) process.stdout.write(`${githubAnnotation(f)}\n`);
  } else {
    const wire = errors.filter((f) => isWireKind(f.kind));
    for (const c of v.checks) {
      out.info(`${c.ok ? pc.green('✔') : pc.red('✘')} ${c.title}`);
      const lines = c.name === 'wire-kept' ? grouped(wire) : c.failures;
      for (const l of lines) out.info(`    ${l}`);
    }
    const moved = v.findings.filter((f) => f.kind === 'declaration-moved');
    if (moved.length) {
      out.info(`${pc.cyan('i')} ${msg.verifyMoved(moved.length)}`);
      const pairs = new Map<string, { from: string; to: string; n: number; pkgFrom: string; pkgTo: string }>();
      for (const f of moved) {
        const [from, pkgFrom] = split(f.before ?? '');
        const [to, pkgTo] = split(f.after ?? '');
        const k = `${from}\0${to}`;
        const p = pairs.get(k) ?? { from, to, n: 0, pkgFrom, pkgTo };
        p.n++;
        pairs.set(k, p);
      }
      const list = [...pairs.values()];
      for (const p of list.slice(0, MOVED_SHOWN)) out.info(`    ${msg.verifyMovedPair(p.from, p.to, p.n, p.pkgFrom, p.pkgTo)}`);
      if (list.length > MOVED_SHOWN) out.info(`    ${msg.verifyMovedMore(list.length - MOVED_SHOWN)}`);
    }
  }
  out.info(v.passed ? pc.green(msg.verifyPassed('migration', v.against)) : pc.red(msg.verifyFailed('migration', v.against, v.checks.filter((c) => !c.ok).length)));
  return v.passed ? 0 : 1;
}

/** "file (package)" back into its parts. */
function split(s: string): [string, string] {
  const m = /^([\s\S]*) \(([^()]*)\)$/.exec(s);
  return m ? [m[1], m[2] === 'no package' ? '' : m[2]] : [s, ''];
}
