/** Timestamps as the backup names use them: UTC, `YYYYMMDD_HHMMSS`. */
export function stamp(date = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return (
    `${date.getUTCFullYear()}${p(date.getUTCMonth() + 1)}${p(date.getUTCDate())}_` +
    `${p(date.getUTCHours())}${p(date.getUTCMinutes())}${p(date.getUTCSeconds())}`
  );
}

/** A backup's stamp in a name, as a regular expression source: `YYYYMMDD_HHMMSS`, then `-N` when taken. */
export const STAMP_PATTERN = '\\d{8}_\\d{6}(?:-\\d+)?';

/** Parses `YYYYMMDD_HHMMSS` (UTC) back to a Date, or null. */
export function parseStamp(text: string): Date | null {
  const m = /^(\d{4})(\d{2})(\d{2})_(\d{2})(\d{2})(\d{2})/.exec(text);
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m.map(Number);
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  return Number.isNaN(date.getTime()) ? null : date;
}

/**
 * The date of a backup named `<prefix><YYYYMMDD_HHMMSS>[-N]`, from the part after the prefix;
 * null for anything else (`20250101_120000-wip`, `.../x`): such a branch is not a dated backup.
 */
export function parseBackupStamp(rest: string): Date | null {
  return new RegExp(`^${STAMP_PATTERN}$`).test(rest) ? parseStamp(rest) : null;
}

/** "3m", "2h", "5d": how long ago, for people. */
export function age(from: Date, now = new Date()): string {
  const s = Math.max(0, Math.round((now.getTime() - from.getTime()) / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86400) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86400)}d`;
}

/** Sizes for people: 1.4 MB. */
export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}
