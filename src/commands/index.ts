/** The command list. Commands load lazily so that a hook only pays for what it runs. */
import type { Command } from './command.js';

export const COMMANDS: Record<string, { summary: string; load: () => Promise<Command> }> = {
  backup: { summary: 'back up: a branch at HEAD, a snapshot of uncommitted work, pushed', load: async () => (await import('./backup.js')).default },
  archive: { summary: 'write a verified tar.gz of the work tree', load: async () => (await import('./archive.js')).default },
  push: { summary: 'push backup branches recorded as unpushed', load: async () => (await import('./push.js')).default },
  list: { summary: 'list backups: branches, snapshots, archives', load: async () => (await import('./list.js')).default },
  rollback: { summary: 'roll back a reorganization: quick, full, or one domain/file (always undoable)', load: async () => (await import('./rollback.js')).default },
  verify: { summary: 'check the repository: verify rollback | migration', load: async () => (await import('./verify.js')).default },
  undo: { summary: 'take back any journaled operation: HEAD, branch, index and work tree', load: async () => (await import('./undo.js')).default },
  log: { summary: 'list journaled operations, newest first', load: async () => (await import('./log.js')).default },
};
