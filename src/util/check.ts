/** The result of a verification: named checks, each with the failures it found (rollback makes them, ui prints them). */
export interface Check {
  name: string;
  /** What the check demands, in one sentence. */
  title: string;
  ok: boolean;
  failures: string[];
}

export interface Verification {
  against: string;
  passed: boolean;
  checks: Check[];
}

export function check(name: string, title: string, failures: string[]): Check {
  return { name, title, ok: failures.length === 0, failures };
}

export function verification(against: string, checks: Check[]): Verification {
  return { against, passed: checks.every((c) => c.ok), checks };
}
