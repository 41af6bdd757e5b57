/** Prints a verification: each check with a mark, each failure under it; the exit code says pass/fail. */
import pc from './colors.js';
import type { Output } from './output.js';
import type { Verification } from '../util/check.js';
import { msg } from '../messages.js';

export function printVerification(out: Output, what: string, v: Verification, data: unknown = v): number {
  for (const c of v.checks) {
    out.info(`${c.ok ? pc.green('✔') : pc.red('✘')} ${c.title}`);
    for (const f of c.failures) out.info(`    ${f}`);
  }
  out.info(v.passed ? pc.green(msg.verifyPassed(what, v.against)) : pc.red(msg.verifyFailed(what, v.against, v.checks.filter((c) => !c.ok).length)));
  out.data(data);
  return v.passed ? 0 : 1;
}
