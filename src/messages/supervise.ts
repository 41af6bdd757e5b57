/** run and emergency-stop: the supervised migration step and how it is stopped. */
import { q, capitalized } from './format.js';

export const supervise = {
  stopStashSkipped: (what: string) =>
    `${capitalized(what)} is in progress: the uncommitted work was left in place (clearing it would lose git's own state); it is in the safety snapshot all the same.`,
  runNoCommand: () => "Nothing to run: give the command after '--', e.g. reorg-guard run -- buf generate.",
  runSpawnFailed: (cmd: string, why: string) => `Could not start ${q(cmd)} (${why}): check the command name and your PATH.`,
  runStarted: (cmd: string, pid: number, backup: string) => `Backup ${backup} taken; running ${cmd} (pid ${pid}, its own process group).`,
  runEnded: (code: number) => `The command exited with ${code}.`,
  stopBadGrace: (value: string) => `--grace ${q(value)} must be a number of seconds >= 0.`,
  stopConfirm: () => 'Move the uncommitted work (untracked files included) out of the tree? It stays in the safety snapshot.',
  stopNothingRecorded: () => 'No supervised run is recorded: nothing to stop.',
  stopOutcome: (cmd: string, pid: number, outcome: string, killed: boolean, processes = 1, survivors: Array<{ pid: number; command: string }> = []) =>
    ({
      stopped: `Stopped ${cmd} (pid ${pid}${processes > 1 ? `, ${processes} processes in all` : ''})${killed ? ' with SIGKILL after the grace period' : ''}.`,
      survived: `Could not stop all of ${cmd} (pid ${pid}): ${survivors.map((s) => `pid ${s.pid} (${s.command.replace(/\s+/g, ' ').slice(0, 80)})`).join(', ')} outlived SIGKILL; its record is kept.`,
      gone: `${cmd} (pid ${pid}) had ended already; its record is cleared.`,
      'pid-reused': `${cmd} (pid ${pid}) had ended; pid ${pid} now belongs to another process, which was left alone. Record cleared.`,
    })[outcome] ?? outcome,
  stopSnapshotSkipped: (why: string) => `The processes are stopped, but no safety snapshot was taken: ${why}`,
  stopSnapshot: (ref: string) => `The state the migration left is saved in ${ref}.`,
  stopStashed: (id: string) => `Uncommitted work moved out of the tree; 'reorg-guard undo ${id}' brings it back.`,
  stopNext: () => "Next: 'reorg-guard recover' shows where things stand and how to go on.",
};
