/**
 * Temporary files that must not outlive Ctrl-C. node ends on SIGINT, SIGTERM and SIGHUP without
 * running any `finally`: a half-written archive or a half-extracted folder would stay on the disk.
 */
import { rmSync } from 'node:fs';

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * Until the returned function is called, a signal that would end this process first removes
 * `paths` (files or folders), then ends it by the same signal, as it would have ended anyway
 * (another listener, e.g. git's network steps, still gets its turn first).
 */
export function removeOnInterrupt(paths: string[]): () => void {
  const onSignal = (signal: NodeJS.Signals) => {
    for (const p of paths) {
      try {
        rmSync(p, { recursive: true, force: true });
      } catch {
        // nothing more can be done on the way out
      }
    }
    release();
    process.kill(process.pid, signal);
  };
  const release = () => {
    for (const s of SIGNALS) process.off(s, onSignal);
  };
  for (const s of SIGNALS) process.on(s, onSignal);
  return release;
}
