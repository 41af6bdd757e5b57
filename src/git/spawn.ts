/**
 * git started with node's own spawn, without simple-git: the runner exec.ts uses in a hook,
 * where git waits for us. Loading simple-git costs ~30 ms and each call through it ~1.7 ms
 * more (measured on 2 cores, Node 20); a guarded commit makes five calls.
 */
import { spawn } from 'node:child_process';
import { gitEnvironment } from './env.js';
import type { GitOptions, GitResult } from './exec.js';

/** Runs git; resolves with whatever exit code it had (exec.ts decides what is a failure). */
export function spawnGit(cwd: string, args: readonly string[], opts: GitOptions): Promise<GitResult> {
  return new Promise((resolve) => {
    const child = spawn('git', args, {
      cwd,
      env: gitEnvironment(opts.env),
      stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      windowsHide: true,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let silentTooLong = false;
    let timer: NodeJS.Timeout | undefined;
    // Like simple-git's `timeout.block`: stopped after timeoutMs without any output.
    const rearm = () => {
      if (!opts.timeoutMs) return;
      clearTimeout(timer);
      timer = setTimeout(() => {
        silentTooLong = true;
        child.kill('SIGINT');
      }, opts.timeoutMs);
    };
    rearm();
    child.stdout!.on('data', (chunk: Buffer) => (out.push(chunk), rearm()));
    child.stderr!.on('data', (chunk: Buffer) => (err.push(chunk), rearm()));
    // git could not start (not installed, cwd gone): an exit code like a shell's, and the reason
    child.on('error', (e) => (clearTimeout(timer), resolve({ stdout: '', stderr: `fatal: cannot run git: ${e.message}`, exitCode: 127 })));
    child.on('close', (code) => {
      clearTimeout(timer);
      let stderr = Buffer.concat(err).toString('utf8');
      if (silentTooLong) stderr += `\ngit ${args[0]} was stopped after ${opts.timeoutMs} ms without output`;
      const bytes = Buffer.concat(out);
      resolve({ stdout: opts.bytes ? '' : bytes.toString('utf8'), stderr, exitCode: code ?? 128, ...(opts.bytes ? { stdoutBytes: bytes } : {}) });
    });
    if (opts.input !== undefined) {
      child.stdin!.on('error', () => {}); // git may exit before reading it all; its exit code says why
      child.stdin!.end(opts.input);
    }
  });
}
