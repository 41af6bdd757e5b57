/**
 * The recovery assistant: a numbered menu of fixes (on a terminal, or fed by stdin with
 * --interactive), or `--auto`, which applies the fixes that are safe without asking.
 */
import type { Output } from '../ui/output.js';
import type { Workspace } from '../workspace.js';
import { lineReader } from '../ui/prompt.js';
import { msg } from '../messages.js';
import { diagnose, somethingWrong } from './diagnose.js';
import { applyFix } from './apply.js';
import { printFindings } from './report.js';
import { fixCommand, type Finding } from './findings/finding.js';

export interface Applied {
  command: string;
  exitCode: number;
}

const MAX_FIXES = 10;

/**
 * Applies, one at a time and re-diagnosing after each, every fix that `--auto` may apply:
 * non-destructive ones and finishing an interrupted operation; destructive ones only with `yes`.
 */
export async function autoFix(ws: Workspace, out: Output, yes: boolean): Promise<{ applied: Applied[]; findings: Finding[] }> {
  const applied: Applied[] = [];
  const tried = new Set<string>();
  for (let n = 0; n < MAX_FIXES; n++) {
    const next = (await diagnose(ws)).find((f) => f.fix && !tried.has(fixCommand(f.fix)) && (f.fix.auto || yes));
    if (!next?.fix) break;
    const command = fixCommand(next.fix);
    tried.add(command);
    out.info(msg.recApplying(command));
    const exitCode = await applyFix(next.fix, { cwd: ws.repo.top, yes: true, terminal: false, stdoutToStderr: out.json });
    applied.push({ command, exitCode });
    if (exitCode !== 0) out.warn(msg.recFixFailed(command, exitCode));
  }
  const findings = await diagnose(ws);
  if (!yes) for (const f of findings) if (f.fix && f.discards?.length) out.warn(msg.recAutoHeld(fixCommand(f.fix)));
  return { applied, findings };
}

/**
 * The menu: shows the findings and their fixes, runs the chosen one, diagnoses again.
 * `terminal`: a person at a terminal (the fix asks its own confirmation there); otherwise
 * answers come from stdin and a destructive fix is confirmed here by typing `yes`.
 */
export async function menu(ws: Workspace, out: Output, terminal: boolean, yes: boolean): Promise<number> {
  const reader = lineReader();
  try {
    for (;;) {
      const findings = await diagnose(ws);
      printFindings(out, findings);
      const fixes = findings.filter((f) => f.fix);
      if (fixes.length === 0) return somethingWrong(findings) ? 1 : 0;
      out.info('');
      fixes.forEach((f, i) => out.info(`  ${i + 1}) ${fixCommand(f.fix!)}  ${msg.recMenuFor(f.title)}`));
      out.info(`  q) ${msg.recMenuQuit()}`);
      const answer = await reader.ask(msg.recMenuAsk(fixes.length));
      if (answer === null || answer === 'q' || answer === '') return somethingWrong(findings) ? 1 : 0;
      const chosen = fixes[Number(answer) - 1];
      if (!/^\d+$/.test(answer) || !chosen) {
        out.info(msg.recMenuBadChoice(answer));
        continue;
      }
      const f = chosen.fix!;
      let agreed = yes;
      if (f.destructive && !terminal && !yes) {
        agreed = (await reader.ask(msg.recMenuConfirm(fixCommand(f)))) === 'yes';
        if (!agreed) {
          out.info(msg.recMenuNotRun());
          continue;
        }
      }
      if (terminal) reader.release();
      const code = await applyFix(f, { cwd: ws.repo.top, yes: agreed, terminal });
      if (code !== 0) out.warn(msg.recFixFailed(fixCommand(f), code));
      out.info('');
    }
  } finally {
    reader.release();
  }
}
