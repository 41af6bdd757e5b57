/**
 * Node's module compile cache (node >= 22.1; the call >= 22.8): V8's compiled code of each
 * module kept on disk, so that the next start of the same code compiles less. It lives in
 * NODE_COMPILE_CACHE when set, else in node-compile-cache under the system's temp folder;
 * NODE_DISABLE_COMPILE_CACHE=1 turns it off. An optimization only: node checks each entry
 * against the module's text, never throws here, and a run without it (node 20, a read-only
 * temp folder) is the same run, a little slower.
 */
import module from 'node:module';

export function enableCompileCache(): void {
  try {
    (module as { enableCompileCache?: () => unknown }).enableCompileCache?.();
  } catch {
    // nothing to gain then
  }
}
