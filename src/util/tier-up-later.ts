/**
 * V8 hands a function to its optimizing compiler (TurboFan, on threads beside this one) once it
 * has run a while. A rollback or an undo runs a few short loops over a few thousand paths (an
 * lstat a file whose permission bits the safety snapshot keeps, a tree diff's lines): node's own
 * lstatSync and Stats code crossed that line, and compiling it cost more than it saved before
 * the process ended (bench:rollback, 10,000 small files, node 20: about 17 functions compiled,
 * 1,250 page faults and a quarter of node's own CPU time more, measured with the build before in
 * alternating rounds). Asking for 8 times the usual run before optimizing keeps the compiler for
 * the loops that run long (an archive's, of tens of thousands of files, does not call this).
 */
import { setFlagsFromString } from 'node:v8';

const LATER = 8;

/**
 * The flag by V8's version: V8 11 (node 20) counts a function's run in bytecode executed
 * (`--interrupt-budget`, 67584 by default), V8 12 and 13 (node 22, 24) in runs of its size
 * (`--invocation-count-for-turbofan`, 3000). Other versions: nothing (an unknown flag makes V8
 * print an error).
 */
function flag(): string | null {
  const major = Number(process.versions.v8.split('.')[0]);
  if (major === 11) return `--interrupt-budget=${67584 * LATER}`;
  if (major === 12 || major === 13) return `--invocation-count-for-turbofan=${3000 * LATER}`;
  return null;
}

/** For the rest of this process, functions are optimized only after running 8 times as long as V8's default. */
export function tierUpLater(): void {
  const f = flag();
  if (f) setFlagsFromString(f);
}
