/** The command list. Commands load lazily so that a hook only pays for what it runs. */
import type { Command } from './command.js';

export const COMMANDS: Record<string, { summary: string; load: () => Promise<Command> }> = {
  backup: { summary: 'back up: a branch at HEAD, a snapshot of uncommitted work, pushed', load: async () => (await import('./backup.js')).default },
  archive: { summary: 'write a verified tar.gz of the work tree', load: async () => (await import('./archive.js')).default },
  push: { summary: 'push backup branches recorded as unpushed', load: async () => (await import('./push.js')).default },
  list: { summary: 'list backups: branches, snapshots, archives', load: async () => (await import('./list.js')).default },
  run: { summary: 'run a migration step supervised: backup first, recorded, stoppable', load: async () => (await import('./run.js')).default },
  'emergency-stop': { summary: 'stop the supervised runs, snapshot the state they left', load: async () => (await import('./emergency-stop.js')).default },
  recover: { summary: 'diagnose a migration gone wrong and offer the fixes', load: async () => (await import('./recover.js')).default },
  cleanup: { summary: 'delete old backups by retention rules (branches, remote, snapshots, archives)', load: async () => (await import('./cleanup.js')).default },
  restore: { summary: 'verify an archive, then extract it safely into a folder', load: async () => (await import('./restore.js')).default },
  rollback: { summary: 'roll back a reorganization: quick, full, or one domain/file (always undoable)', load: async () => (await import('./rollback.js')).default },
  verify: { summary: 'check the repository: verify rollback | migration | backups', load: async () => (await import('./verify.js')).default },
  undo: { summary: 'take back any journaled operation: HEAD, branch, index and work tree', load: async () => (await import('./undo.js')).default },
  log: { summary: 'list journaled operations, newest first', load: async () => (await import('./log.js')).default },
  // issue 4: hooks
  hook: { summary: 'what a git hook does (started by the installed hooks)', load: async () => (await import('./hook.js')).default },
  init: { summary: 'install the hooks and npm scripts (husky, or plain git hooks)', load: async () => (await import('./init.js')).default },
  uninstall: { summary: "remove what 'init' added, and nothing else", load: async () => (await import('./uninstall.js')).default },
};
