/**
 * Every sentence a user reads, in one place: one file a feature under messages/, joined here
 * into `msg` (call sites write `msg.backupMade(...)` whichever file holds it). Errors say what
 * is wrong and what to do, in one line. A new message goes into its feature's file; counts
 * and cut lists are written with messages/format.ts (count, plural, firstOf), never by hand.
 */
import { usage } from './messages/usage.js';
import { config } from './messages/config.js';
import { lifecycle } from './messages/lifecycle.js';
import { backup } from './messages/backup.js';
import { cleanup } from './messages/cleanup.js';
import { verifyBackups } from './messages/verify-backups.js';
import { restore } from './messages/restore.js';
import { rollback } from './messages/rollback.js';
import { undo } from './messages/undo.js';
import { verify } from './messages/verify.js';
import { supervise } from './messages/supervise.js';
import { recover } from './messages/recover.js';
import { hooks } from './messages/hooks.js';

export const msg = {
  ...usage,
  ...config,
  ...lifecycle,
  ...backup,
  ...cleanup,
  ...verifyBackups,
  ...restore,
  ...rollback,
  ...undo,
  ...verify,
  ...supervise,
  ...recover,
  ...hooks,
};
