/**
 * A backup's record: what took it (`backup`, `post-commit`, `post-checkout`, `pre-rebase`, `run`,
 * `recover`, ...), when, its reason or commit subject, the branch it was taken on, and whether it
 * was pinned as the baseline. Kept as trailers of a record commit under refs/reorg-guard/records/,
 * pushed in the same push as the branch, so a clone that fetched them reads the same.
 */
export interface BackupRecord {
  trigger: string;
  reason: string;
  /** The branch it was taken on (refs/heads/x), 'detached', or null when not known. */
  branch: string | null;
  /** When it was taken (ISO 8601). */
  time: string;
  pinned: boolean;
}

const TRAILER = 'reorg-guard-';

export function formatRecord(r: BackupRecord): string {
  const fields: Array<[string, string]> = [
    ['trigger', r.trigger],
    ['reason', JSON.stringify(r.reason)], // JSON-quoted: a reason may hold a newline
    ['time', r.time],
    ...(r.branch ? [['branch', r.branch] as [string, string]] : []),
    ...(r.pinned ? [['baseline', 'pinned'] as [string, string]] : []),
  ];
  return `reorg-guard backup record\n\n${fields.map(([k, v]) => `${TRAILER}${k}: ${v}`).join('\n')}\n`;
}

/** The record a record commit's message holds, or null when it holds none. */
export function parseRecord(message: string): BackupRecord | null {
  const fields = new Map<string, string>();
  for (const line of message.split('\n')) {
    const m = /^reorg-guard-([a-z]+): (.*)$/.exec(line);
    if (m) fields.set(m[1], m[2]);
  }
  const trigger = fields.get('trigger');
  if (!trigger) return null;
  let reason = '';
  try {
    reason = String(JSON.parse(fields.get('reason') ?? '""'));
  } catch {
    reason = fields.get('reason') ?? '';
  }
  return { trigger, reason, branch: fields.get('branch') ?? null, time: fields.get('time') ?? '', pinned: fields.get('baseline') === 'pinned' };
}

/**
 * What a snapshot made before records existed tells: its reason (`reorg-guard snapshot: <reason>`)
 * and its branch trailer. The trigger is read from the reason's own words where it names one.
 */
export function recordFromSnapshot(message: string): BackupRecord | null {
  const subject = /^reorg-guard snapshot: (.*)$/m.exec(message)?.[1];
  if (subject === undefined) return null;
  const branch = /^reorg-guard-branch: (.*)$/m.exec(message)?.[1] ?? null;
  const hook = /^(pre-commit|post-commit|post-checkout|pre-rebase|lint-staged)\b/.exec(subject)?.[1];
  return { trigger: hook ?? 'backup', reason: subject, branch, time: '', pinned: false };
}
