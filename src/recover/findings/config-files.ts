/**
 * The migration renames each config file (buf.yaml...) to `<name>.backup` and writes a new
 * one. Either half alone is a step interrupted: renamed but no new config, or rewritten
 * without keeping the old one beside it.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { changedSince } from '../../git/worktree.js';
import { msg } from '../../messages.js';
import { fix, type Check, type Finding } from './finding.js';

export const configFiles: Check = async ({ repo, config, head }) => {
  const found: Finding[] = [];
  const there = (rel: string) => existsSync(path.join(repo.top, rel));
  const withoutBackup = config.configFiles.filter((f) => there(f) && !there(`${f}.backup`));
  const rewritten = head ? new Set(await changedSince(repo, head, withoutBackup)) : new Set<string>();
  for (const file of config.configFiles) {
    const restore = fix(['rollback', 'selective', '--file', file], true, false);
    if (!there(file) && there(`${file}.backup`)) {
      found.push({ kind: 'config-renamed-no-new', severity: 'error', title: msg.recConfigRenamed(file), meaning: msg.recConfigRenamedMeaning(file), fix: restore });
    } else if (rewritten.has(file)) {
      found.push({ kind: 'config-rewritten-no-backup', severity: 'warning', title: msg.recConfigRewritten(file), meaning: msg.recConfigRewrittenMeaning(file), fix: restore });
    }
  }
  return found;
};
