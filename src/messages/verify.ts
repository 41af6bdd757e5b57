/** verify rollback and verify migration: the checks, what was lost, what the wire sees. */
import { q, count, more } from './format.js';

export const verify = {
  verifyWhich: (name: string, checks: string[]) => `${name ? `Unknown check ${q(name)}` : 'What should be verified?'}: use 'verify ${checks.join("', 'verify ")}'.`,
  verifyPassed: (what: string, backup: string) => `verify ${what}: passed (against ${backup}).`,
  verifyFailed: (what: string, backup: string, n: number) => `verify ${what}: ${count(n, 'check')} failed (against ${backup}).`,
  verifyNewLayoutTitle: (root: string) => `the new layout root ${root} holds no .proto`,
  verifyConfigTitle: (files: string[]) => `${files.join(', ')} equal the backup`,
  verifyOldProtosTitle: (oldLayout: string) => `the old-layout protos (${oldLayout}) are all there`,
  verifyOldCount: (now: number, before: number) => `${now} old-layout protos, the backup has ${before}`,
  verifySiblingsTitle: () => 'every generated x.pb.go / x_grpc.pb.go has its x.proto beside it',
  verifyGuardedTitle: (paths: string[]) => `the guarded paths (${paths.join(', ')}) equal the backup`,
  verifyDeclarationsTitle: () => 'every message, enum and service of the backup (nested ones too) is still declared',
  verifyAgainstBackup: (file: string, how: 'changed' | 'missing' | 'extra') =>
    `${file} ${{ changed: 'differs from the backup', missing: 'is missing (the backup has it)', extra: 'is not in the backup' }[how]}`,
  verifyMissing: (file: string) => `${file} is missing`,
  verifyNoProtoBeside: (file: string, proto: string) => `${file} has no ${proto} beside it`,
  verifyStillThere: (file: string) => `${file} is still there`,
  verifyLostDeclaration: (kind: string, name: string, pkg: string, file: string) => `${kind} ${name} (package ${pkg || 'none'}, ${file}) is declared nowhere now`,
  verifyLostShapeFound: (kind: string, twin: string, file: string) => `; a ${kind} with the same ${kind === 'message' ? 'fields' : kind === 'enum' ? 'values' : 'rpcs'} is ${twin} in ${file}: renamed? (its full name is on the wire in Any, JSON and gRPC paths)`,
  verifyCollisionsTitle: () => 'no file was written from two source files',
  verifyCollision: (file: string, sources: string[]) => `${file} was written from ${sources.join(' and ')}`,
  verifyLostWithOldLayout: (kind: string, name: string, pkg: string, file: string) =>
    `${kind} ${name} (package ${pkg || 'none'}, ${file}) is only in the old layout while its domain was moved: lost when the old layout is removed`,
  verifyParsesTitle: () => 'every .proto of the backup and of the tree now parses',
  verifyUnparsable: (side: string, file: string, line: number, reason: string) => `${file}:${line}: does not parse (${side}): ${reason}`,
  verifyImportMissing: (file: string, line: number, imp: string, now: string[]) =>
    `${file}:${line}: imports ${q(imp)}, which is not there now${now.length ? ` (${now.join(' or ')} is)` : ''}: protoc and buf do not compile it`,
  verifyWireTitle: () => 'every field number, enum value and rpc of the backup is still there, unchanged',
  verifyMoved: (n: number) => `${count(n, 'top-level declaration')} moved with what they nest (file or package changed): information, not an error.`,
  verifyMovedOne: (decl: string, from: string, to: string, pkgFrom: string, pkgTo: string) =>
    `${decl} moved: ${from} -> ${to}${pkgFrom !== pkgTo ? ` (package ${pkgFrom || 'none'} -> ${pkgTo || 'none'})` : ''}`,
  verifyMovedPair: (from: string, to: string, n: number, pkgFrom: string, pkgTo: string) =>
    `${from} -> ${to} (${count(n, 'declaration')}${pkgFrom !== pkgTo ? `, package ${pkgFrom || 'none'} -> ${pkgTo || 'none'}` : ''})`,
  verifyMovedMore: (n: number) => `${more(n)} ('--json' lists every one).`,
  verifyFormat: (format: string) => `Unknown --format ${q(format)}: use 'text', 'json' or 'github'.`,
  verifyFormatOnlyMigration: () => "--format github belongs to 'verify migration'.",
  wireFieldRenumbered: (field: string, from: number, to: number) => `${field}: field ${from} is now ${to}`,
  wireFieldRemoved: (field: string, n: number, numberReserved: boolean) =>
    `${field}: field ${n} was removed${numberReserved ? ', its number is reserved but not its name' : ' without reserving its number and name'}`,
  wireFieldRenamed: (decl: string, n: number, from: string, to: string) => `${decl}: field ${n} ${from} is now named ${to}`,
  wireFieldCardinality: (field: string, n: number, from: string, to: string) => `${field}: field ${n} was ${from}, is now ${to}`,
  wireFieldType: (field: string, n: number, from: string, to: string) => `${field}: field ${n} was of type ${from}, is now ${to}`,
  wireFieldOneof: (field: string, n: number, from: string | null, to: string | null) =>
    `${field}: field ${n} was ${from ? `in oneof ${from}` : 'in no oneof'}, is now ${to ? `in oneof ${to}` : 'in none'}`,
  wireEnumRenamed: (decl: string, n: number, from: string, now: string[]) => `${decl}: value ${n} ${from} is now named ${now.join(', ')}`,
  wireEnumRenumbered: (decl: string, name: string, from: number, to: number) => `${decl}.${name}: value ${from} is now ${to}`,
  wireEnumRemoved: (decl: string, name: string, n: number) => `${decl}.${name}: value ${n} was removed without reserving its number and name`,
  wireRpcRemoved: (decl: string, rpc: string) => `${decl}.${rpc}: rpc removed`,
  wireRpcType: (decl: string, rpc: string, side: string, from: string, to: string) => `${decl}.${rpc}: ${side} type was ${from}, is now ${to}`,
  wireRpcStreaming: (decl: string, rpc: string, from: string, to: string) => `${decl}.${rpc}: was ${from}, is now ${to}`,
  wireRpcIdempotency: (decl: string, rpc: string, from: string | null, to: string | null) =>
    `${decl}.${rpc}: idempotency_level was ${from ?? 'unset'}, is now ${to ?? 'unset'}${from === 'NO_SIDE_EFFECTS' ? ' (a Connect client sending it as an HTTP GET is refused)' : ''}`,
  wireAt: (file: string, line: number) => `${file}:${line}`,
  wireFieldDefault: (field: string, n: number, from: string | null, to: string | null) =>
    `${field}: field ${n} reads ${from ?? 'the type\'s zero value'} when unset, now ${to ?? 'the type\'s zero value'}`,
  wireFieldJsonName: (field: string, n: number, from: string, to: string) => `${field}: field ${n} is "${from}" in JSON, now "${to}"`,
  wireExtension: (fullName: string, extendee: string) => `(${fullName}) on ${extendee}`,
  wireExtensionRemoved: (extension: string, n: number) => `${extension}: extension ${n} was removed`,
  wireExtensionScope: (extension: string, n: number, from: string, to: string) =>
    `${extension}: extension ${n} was declared as ${from}, is now ${to} (its name in JSON and text format)`,
  wireFieldEncoding: (field: string, n: number, from: string, to: string) => `${field}: field ${n} was sent ${from}, is now ${to}`,
  wireFieldRequiredAdded: (field: string, n: number) => `${field}: field ${n} is required now and was not there: what the backup's code writes does not parse`,
  wireReservedRemoved: (decl: string, what: string, takenBy: string | null) =>
    `${decl}: reserved ${what} is no longer reserved${takenBy ? `, and ${takenBy} takes it` : ''}`,
};
