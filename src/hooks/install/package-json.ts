/**
 * Edits to package.json that keep its formatting (indent, final newline) and never overwrite:
 * an entry that exists with another value is kept and reported.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../../errors.js';
import { msg } from '../../messages.js';
import type { InstallRecord } from './record.js';
import type { StepReport } from './report.js';

/** The npm scripts init adds, each a reorg-guard command. */
export const NPM_SCRIPTS: Record<string, string> = {
  backup: 'reorg-guard backup',
  'backup:archive': 'reorg-guard backup --archive',
  'rollback:quick': 'reorg-guard rollback quick',
  'rollback:full': 'reorg-guard rollback full',
  'rollback:selective': 'reorg-guard rollback selective',
  'rollback:verify': 'reorg-guard verify rollback',
  'migration:verify': 'reorg-guard verify migration',
  'backups:verify': 'reorg-guard verify backups',
  'backups:cleanup': 'reorg-guard cleanup',
  recover: 'reorg-guard recover',
  'emergency-stop': 'reorg-guard emergency-stop',
};

export interface PackageJson {
  file: string;
  data: Record<string, unknown>;
  indent: string;
  original: string;
  /** Something was changed: only then is the file written (re-serialising reformats it). */
  dirty: boolean;
}

export function readPackageJson(top: string): PackageJson | null {
  const file = path.join(top, 'package.json');
  if (!existsSync(file)) return null;
  const original = readFileSync(file, 'utf8');
  let data: unknown;
  try {
    data = JSON.parse(original);
  } catch (err) {
    throw new UsageError(msg.configMalformed(file, (err as Error).message));
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) throw new UsageError(msg.packageJsonNotObject(file));
  const indent = /^[\t ]+(?=")/m.exec(original)?.[0] ?? '  ';
  return { file, data: data as Record<string, unknown>, indent, original, dirty: false };
}

/**
 * Writes package.json back when something changed, in its own indent, line endings (CRLF stays
 * CRLF) and final newline or none; returns the text written, or null.
 */
export function savePackageJson(pkg: PackageJson): string | null {
  if (!pkg.dirty) return null;
  const eol = pkg.original.includes('\r\n') ? '\r\n' : '\n';
  const text = JSON.stringify(pkg.data, null, pkg.indent).replace(/\n/g, eol) + (pkg.original.endsWith('\n') ? eol : '');
  writeFileSync(pkg.file, text);
  return text;
}

/** init: remembers package.json as it found it (the first time it changes it) and as it wrote it. */
export function saveForInit(pkg: PackageJson, record: InstallRecord): void {
  if (pkg.dirty && record.packageJsonBefore === undefined) record.packageJsonBefore = pkg.original;
  record.packageJsonWritten = savePackageJson(pkg) ?? record.packageJsonWritten;
}

/**
 * uninstall: when the file is still as init wrote it and, without init's entries, holds what it
 * held before init, the text init found is put back byte for byte (inline arrays, key spacing
 * and all); otherwise it is written in its present indent and line endings.
 */
export function saveForUninstall(pkg: PackageJson, record: InstallRecord): void {
  const before = record.packageJsonBefore;
  if (pkg.dirty && before !== undefined && pkg.original === record.packageJsonWritten && sameJson(before, pkg.data)) {
    writeFileSync(pkg.file, before);
    return;
  }
  savePackageJson(pkg);
}

function sameJson(text: string, data: unknown): boolean {
  try {
    return JSON.stringify(JSON.parse(text)) === JSON.stringify(data);
  } catch {
    return false;
  }
}

function section(pkg: PackageJson, name: string, record: InstallRecord): Record<string, unknown> {
  const current = pkg.data[name];
  if (current && typeof current === 'object' && !Array.isArray(current)) return current as Record<string, unknown>;
  if (current !== undefined) throw new UsageError(msg.packageJsonSection(pkg.file, name));
  const created: Record<string, unknown> = {};
  pkg.data[name] = created;
  pkg.dirty = true;
  if (!record.packageSections.includes(name)) record.packageSections.push(name);
  return created;
}

/** Adds `section.key = value` unless the key exists; records what it added. True when it added it. */
export function addEntry(pkg: PackageJson, name: string, key: string, value: string, record: InstallRecord, report: StepReport): boolean {
  const sec = section(pkg, name, record);
  if (sec[key] === value) return false;
  if (key in sec) {
    report.kept.push(msg.initKeptEntry(name, key, String(sec[key])));
    return false;
  }
  sec[key] = value;
  pkg.dirty = true;
  record.packageEntries.push({ section: name, key, value });
  report.done.push(msg.initAddedEntry(name, key, value));
  return true;
}

/** Removes what init added (when still as init wrote it) and the sections it created, if empty. */
export function removeEntries(pkg: PackageJson, record: InstallRecord, report: StepReport): void {
  for (const { section: name, key, value } of record.packageEntries) {
    const sec = pkg.data[name] as Record<string, unknown> | undefined;
    if (!sec || typeof sec !== 'object') continue;
    if (sec[key] === value) {
      delete sec[key];
      pkg.dirty = true;
      report.done.push(msg.uninstallRemovedEntry(name, key));
    } else if (key in sec) report.kept.push(msg.uninstallKeptEntry(name, key));
  }
  for (const name of record.packageSections) {
    const sec = pkg.data[name];
    if (sec && typeof sec === 'object' && Object.keys(sec).length === 0) {
      delete pkg.data[name];
      pkg.dirty = true;
    }
  }
}
