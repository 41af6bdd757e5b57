/** Findings as people read them, and as scripts read them (--json). */
import pc from '../ui/colors.js';
import type { Output } from '../ui/output.js';
import { msg } from '../messages.js';
import { fixCommand, type Finding, type Severity } from './findings/finding.js';

const MARK: Record<Severity, (s: string) => string> = { error: pc.red, warning: pc.yellow, info: pc.cyan };

export function printFindings(out: Output, findings: Finding[]): void {
  if (findings.every((f) => f.severity === 'info')) out.ok(msg.recNothingWrong());
  for (const f of findings) {
    out.info(`${MARK[f.severity](f.severity.toUpperCase().padEnd(7))} ${pc.bold(f.title)}`);
    if (f.meaning) out.info(`        ${f.meaning}`);
    if (f.fix) out.info(`        ${msg.recFixLine(fixCommand(f.fix), f.fix.destructive)}`);
  }
}

export function findingsData(findings: Finding[]) {
  return findings.map((f) => ({ ...f, fix: f.fix ? { ...f.fix, command: fixCommand(f.fix) } : null }));
}
