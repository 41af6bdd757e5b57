/** Durations for retention rules: `90s`, `30m`, `12h`, `7d`, `2w`. */
import { UsageError } from '../errors.js';
import { msg } from '../messages.js';

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** Milliseconds in a duration such as `7d`; bad input is a UsageError (exit 2). */
export function parseDuration(text: string): number {
  const m = /^(\d+)([smhdw])$/.exec(text.trim());
  if (!m) throw new UsageError(msg.badDuration(text));
  return Number(m[1]) * UNIT_MS[m[2]];
}
