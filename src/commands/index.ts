/** The command list. Commands load lazily so that a hook only pays for what it runs. */
import type { Command } from './command.js';

export const COMMANDS: Record<string, { summary: string; load: () => Promise<Command> }> = {
  backup: { summary: 'back up: a branch at HEAD, a snapshot of uncommitted work, pushed', load: async () => (await import('./backup.js')).default },
  archive: { summary: 'write a verified tar.gz of the work tree', load: async () => (await import('./archive.js')).default },
  push: { summary: 'push backup branches recorded as unpushed', load: async () => (await import('./push.js')).default },
  list: { summary: 'list backups: branches, snapshots, archives', load: async () => (await import('./list.js')).default },
  // issue 4: hooks
  hook: { summary: 'what a git hook does (started by the installed hooks)', load: async () => (await import('./hook.js')).default },
  init: { summary: 'install the hooks and npm scripts (husky, or plain git hooks)', load: async () => (await import('./init.js')).default },
  uninstall: { summary: "remove what 'init' added, and nothing else", load: async () => (await import('./uninstall.js')).default },
};
