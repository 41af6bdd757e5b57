/**
 * How messages write what recurs in them: a quoted name, a one-line excerpt, a count with its
 * noun, a list cut short. Every message uses these, so that "1 file" / "2 files" and
 * "a, b, ... and 3 more" read the same everywhere.
 */

/** A name as the user typed it, quoted (spaces, odd characters and all). */
export const q = (s: string) => JSON.stringify(s);

/** The first line of a text, shortened: a reason or a commit subject inside a one-line message. */
export const oneLine = (s: string) => {
  const first = s.split('\n')[0];
  return first.length > 72 ? `${first.slice(0, 71)}…` : first;
};

/** A phrase that starts a sentence: capitalized('a rebase') is 'A rebase'. */
export const capitalized = (s: string) => `${s.charAt(0).toUpperCase()}${s.slice(1)}`;

/** The noun (or verb) for `n` things: plural(1, 'file') is 'file', plural(2, 'branch', 'branches') is 'branches'. */
export const plural = (n: number, one: string, many = `${one}s`) => (n === 1 ? one : many);

/** A count with its noun: count(1, 'file') is '1 file', count(3, 'file') is '3 files'. */
export const count = (n: number, one: string, many = `${one}s`) => `${n} ${plural(n, one, many)}`;

/** What a cut list leaves out: '... and 3 more'. */
export const more = (n: number) => `... and ${n} more`;

/** The first `max` items, then how many more: firstOf(['a', 'b', 'c', 'd'], 2) is 'a, b, ... and 2 more'. */
export const firstOf = (items: readonly string[], max: number, separator = ', ') =>
  items.length <= max ? items.join(separator) : `${items.slice(0, max).join(separator)}${separator}${more(items.length - max)}`;

/** A reason as a sentence: errors end with a full stop already, git's lines do not. */
export const sentence = (why: string) => (/[.!?]$/.test(why.trim()) ? why.trim() : `${why.trim()}.`);
