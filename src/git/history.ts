/**
 * Questions about history that the hooks and undo ask: what changed where, what nothing holds
 * any more, which commits one state has that others lack.
 */
import { git, gitOut } from './exec.js';
import type { Repo } from './repo.js';

/**
 * True when `git diff <args>` finds a difference inside the pathspecs, e.g.
 * `diffTouches(repo, ['--cached'], specs)` for what is about to be committed.
 */
export async function diffTouches(repo: Repo, args: string[], pathspecs: string[]): Promise<boolean> {
  if (pathspecs.length === 0) return false;
  const { exitCode } = await git(repo, ['diff', '--quiet', ...args, '--', ...pathspecs], { okExitCodes: [1] });
  return exitCode === 1;
}

/** True when no branch and no tag holds `commit`: a switch away from it would orphan it. */
export async function isOrphaned(repo: Repo, commit: string): Promise<boolean> {
  const { stdout } = await git(repo, ['rev-list', '-1', commit, '--not', '--branches', '--tags', '--']);
  return stdout.trim() !== '';
}

/** A commit with its subject. */
export interface CommitLine {
  commit: string;
  subject: string;
}

/**
 * The commits reachable from `tips` and from none of `not` (with `unheld`, from no branch or tag
 * either), newest first (one git log).
 */
export async function commitsOnlyIn(repo: Repo, tips: string[], not: string[], opts: { unheld?: boolean } = {}): Promise<CommitLine[]> {
  if (tips.length === 0) return [];
  const held = opts.unheld ? ['--branches', '--tags'] : [];
  const { stdout } = await git(repo, ['log', '--format=%H%x00%s', ...tips, '--not', ...not, ...held, '--']);
  return stdout.split('\n').filter(Boolean).map((line) => {
    const [commit, subject = ''] = line.split('\0');
    return { commit, subject };
  });
}

/** A commit as post-commit sees it, and the state before it. */
export interface CommitBefore {
  /** The state before the commit (null: the first commit, there was none). */
  before: string | null;
  /** The reflog's action for the commit: `commit`, `commit (amend)`, `commit (merge)`, `cherry-pick`, ... */
  action: string;
  subject: string;
  parents: string[];
}

/**
 * HEAD (just committed) and the state before it, from one `git log -g`: the reflog's previous
 * HEAD is the parent after a commit, the replaced commit after an amend, the branch a merge was
 * concluded on. Without a reflog entry (reflogs off), the first parent.
 */
export async function commitBefore(repo: Repo): Promise<CommitBefore> {
  const fmt = '--format=%H%x00%P%x00%gs%x00%s';
  const parse = (line: string) => {
    const [commit, parents, action, subject] = line.split('\0');
    return { commit, parents: parents ? parents.split(' ') : [], action: action.replace(/:.*$/s, ''), subject };
  };
  const lines = (await gitOut(repo, ['log', '-g', '-2', fmt, 'HEAD'])).split('\n').filter(Boolean);
  if (lines.length === 2) {
    const [now, prev] = lines.map(parse);
    return { before: prev.commit, action: now.action, subject: now.subject, parents: now.parents };
  }
  const now = parse(await gitOut(repo, ['log', '-1', '--no-walk', fmt, 'HEAD']));
  return { before: now.parents[0] ?? null, action: now.action, subject: now.subject, parents: now.parents };
}

/** `head` and its first parents, newest first, at most `depth` of them (one rev-list). */
export async function firstParents(repo: Repo, head: string, depth: number): Promise<string[]> {
  const out = await gitOut(repo, ['rev-list', '--first-parent', `--max-count=${depth}`, head, '--']);
  return out.split('\n').filter(Boolean);
}
