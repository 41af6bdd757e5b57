/**
 * git started with node's own spawn, without simple-git: the door exec.ts uses for a repository
 * opened with the `spawn` door (the hooks, where git waits for us: loading simple-git costs
 * ~30 ms and each call through it ~1.7 ms more, measured on 2 cores, Node 20; a guarded commit
 * makes five calls), and for every network step, which must be stoppable as a whole.
 *
 * A network step (a call with `timeoutMs`) runs in a process group of its own: git, its
 * transport (ssh, git-remote-http, an `ext::` command) and whatever that started. After
 * timeoutMs without any output the whole group is stopped (SIGTERM, SIGKILL a second later):
 * signalling git alone leaves the transport running and holding git's pipes, and the call
 * would wait on them for ever. The group is also stopped when this process is interrupted or exits.
 */
import { spawn } from 'node:child_process';
import { gitEnvironment } from './env.js';
import type { GitOptions, GitResult } from './types.js';
import { msg } from '../messages.js';

/** How long a stopped network step gets between SIGTERM and SIGKILL. */
const KILL_AFTER_MS = 1000;
const PASSED_ON: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** Process groups of network steps running now. */
const groups = new Set<number>();

/**
 * util/proc.ts has the same: not imported here, where a guarded hook's git calls go (it would
 * bring the whole of proc.ts, 3.5 KB, into the chunk every hook loads).
 */
function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // the group is gone
  }
}

const onExit = () => {
  for (const g of groups) signalGroup(g, 'SIGKILL');
};
/**
 * Ctrl-C no longer reaches a group of its own: pass the signal on. When nothing else listens
 * for it, this process then ends by it, as it would have without us.
 */
const onSignal = (signal: NodeJS.Signals) => {
  for (const g of groups) signalGroup(g, signal);
  if (process.listenerCount(signal) === 1) {
    untrack(-1);
    process.kill(process.pid, signal);
  }
};

function track(pgid: number): void {
  if (groups.size === 0) {
    process.on('exit', onExit);
    for (const s of PASSED_ON) process.on(s, onSignal);
  }
  groups.add(pgid);
}

function untrack(pgid: number): void {
  if (pgid === -1) groups.clear();
  else groups.delete(pgid);
  if (groups.size === 0) {
    process.off('exit', onExit);
    for (const s of PASSED_ON) process.off(s, onSignal);
  }
}

/** Runs git; resolves with whatever exit code it had (exec.ts decides what is a failure). */
export async function spawnGit(cwd: string, args: readonly string[], opts: GitOptions): Promise<GitResult> {
  const r = await spawnGitBytes(cwd, args, opts);
  return opts.bytes ? { ...r, stdout: '', stdoutBytes: r.stdout } : { ...r, stdout: r.stdout.toString('utf8') };
}

/** Same, with stdout as bytes: for output that counts bytes (`cat-file --batch`) or is not text. */
export function spawnGitBytes(cwd: string, args: readonly string[], opts: GitOptions): Promise<Omit<GitResult, 'stdout'> & { stdout: Buffer }> {
  return new Promise((resolve) => {
    const network = Boolean(opts.timeoutMs);
    const child = spawn('git', args, {
      cwd,
      env: gitEnvironment(opts.env),
      stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      windowsHide: true,
      detached: network,
    });
    const pgid = network && process.platform !== 'win32' ? child.pid : undefined;
    if (pgid) track(pgid);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let silentTooLong = false;
    let timer: NodeJS.Timeout | undefined;
    let killer: NodeJS.Timeout | undefined;
    const stop = () => {
      silentTooLong = true;
      if (!pgid) return void child.kill('SIGKILL');
      signalGroup(pgid, 'SIGTERM');
      killer = setTimeout(() => signalGroup(pgid, 'SIGKILL'), KILL_AFTER_MS);
    };
    // Like simple-git's `timeout.block`: stopped after timeoutMs without any output.
    const rearm = () => {
      if (!opts.timeoutMs || silentTooLong) return;
      clearTimeout(timer);
      timer = setTimeout(stop, opts.timeoutMs);
    };
    rearm();
    child.stdout!.on('data', (chunk: Buffer) => (out.push(chunk), rearm()));
    child.stderr!.on('data', (chunk: Buffer) => (err.push(chunk), rearm()));
    const done = () => {
      clearTimeout(timer);
      clearTimeout(killer);
      if (pgid) {
        // a member that closed its pipes and ignored SIGTERM must not outlive the step
        if (silentTooLong) signalGroup(pgid, 'SIGKILL');
        untrack(pgid);
      }
    };
    // git could not start (not installed, cwd gone): an exit code like a shell's, and the reason
    child.on('error', (e) => (done(), resolve({ stdout: Buffer.alloc(0), stderr: `fatal: cannot run git: ${e.message}`, exitCode: 127 })));
    child.on('close', (code) => {
      done();
      if (silentTooLong) {
        // git's own last words after a SIGTERM are not the reason; this is
        resolve({ stdout: Buffer.concat(out), stderr: msg.networkTimeout(args[0], opts.timeoutMs!), exitCode: 124 });
        return;
      }
      resolve({ stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8'), exitCode: code ?? 128 });
    });
    if (opts.input !== undefined) {
      child.stdin!.on('error', () => {}); // git may exit before reading it all; its exit code says why
      child.stdin!.end(opts.input);
    }
  });
}

/** A git process kept running to answer line by line (`update-ref --stdin` transactions). */
export interface GitSession {
  /** Writes to git's stdin. */
  write(text: string): void;
  /** The next line git prints (without its newline), or null once its output has ended. */
  line(): Promise<string | null>;
  /** Closes git's stdin and resolves when it has exited: its exit code and stderr. */
  end(): Promise<{ exitCode: number; stderr: string }>;
}

/** Starts git with a stdin to write to and its stdout read line by line. */
export function startGitSession(cwd: string, args: readonly string[], env?: Record<string, string | undefined>): GitSession {
  const child = spawn('git', args, { cwd, env: gitEnvironment(env), stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
  let buffered = '';
  let ended = false;
  const waiting: Array<() => void> = [];
  const wake = () => waiting.splice(0).forEach((w) => w());
  const err: Buffer[] = [];
  child.stdout!.setEncoding('utf8');
  child.stdout!.on('data', (chunk: string) => ((buffered += chunk), wake()));
  child.stdout!.on('end', () => ((ended = true), wake()));
  child.stderr!.on('data', (chunk: Buffer) => err.push(chunk));
  child.stdin!.on('error', () => {}); // git exited (a failed transaction): its exit code says why
  const exited = new Promise<{ exitCode: number; stderr: string }>((resolve) => {
    child.on('error', (e) => ((ended = true), wake(), resolve({ exitCode: 127, stderr: `fatal: cannot run git: ${e.message}` })));
    child.on('close', (code) => ((ended = true), wake(), resolve({ exitCode: code ?? 128, stderr: Buffer.concat(err).toString('utf8') })));
  });
  return {
    write: (text) => void (child.stdin!.writable && child.stdin!.write(text)),
    async line() {
      for (;;) {
        const nl = buffered.indexOf('\n');
        if (nl >= 0) {
          const l = buffered.slice(0, nl);
          buffered = buffered.slice(nl + 1);
          return l;
        }
        if (ended) return null;
        await new Promise<void>((r) => waiting.push(r));
      }
    },
    end() {
      if (child.stdin!.writable) child.stdin!.end();
      return exited;
    },
  };
}
