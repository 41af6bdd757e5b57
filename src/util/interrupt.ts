/**
 * Temporary files that must not outlive Ctrl-C. node ends on SIGINT, SIGTERM and SIGHUP without
 * running any `finally`: a half-written archive, a half-extracted folder or a temporary index
 * would stay on the disk.
 */
import { rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** The paths to remove, of every caller that has not released them yet (one listener for all of them). */
const pending = new Set<readonly string[]>();

const onSignal = (signal: NodeJS.Signals) => {
  for (const paths of pending) {
    for (const p of paths) {
      try {
        rmSync(p, { recursive: true, force: true });
      } catch {
        // nothing more can be done on the way out
      }
    }
  }
  pending.clear();
  for (const s of SIGNALS) process.off(s, onSignal);
  // ends the process by the same signal (another listener, e.g. git's network steps, still gets its turn)
  process.kill(process.pid, signal);
};

/**
 * Until the returned function is called, a signal that would end this process first removes
 * `paths` (files or folders), then ends it by the same signal, as it would have ended anyway.
 */
function removeOnInterrupt(paths: readonly string[]): () => void {
  const entry = [...paths];
  if (pending.size === 0) for (const s of SIGNALS) process.on(s, onSignal);
  pending.add(entry);
  return () => {
    if (!pending.delete(entry) || pending.size > 0) return;
    for (const s of SIGNALS) process.off(s, onSignal);
  };
}

/**
 * Runs `use`, then removes `paths`, however it ends: returned, thrown, or ended by a signal
 * (removeOnInterrupt). For temporary files that never outlive the step that made them. When
 * `use` throws, its error is the one that stands, not a failure to remove what it left.
 */
export async function withTempPaths<T>(paths: readonly string[], use: () => Promise<T>): Promise<T> {
  const release = removeOnInterrupt(paths);
  const removeAll = () => Promise.all(paths.map((p) => rm(p, { recursive: true, force: true })));
  try {
    const result = await use();
    await removeAll();
    return result;
  } catch (err) {
    await removeAll().catch(() => {});
    throw err;
  } finally {
    release();
  }
}
