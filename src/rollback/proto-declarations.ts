/**
 * The top-level declarations of a .proto file (`message`, `enum`, `service`) with its package.
 * Comments and string literals are blanked out first, and braces are counted, so nested
 * messages and `message Fake {` inside a comment do not count.
 */
export interface Declaration {
  kind: 'message' | 'enum' | 'service';
  name: string;
  package: string;
  file: string;
}

/** Replaces comments and string literals with spaces (keeping line breaks). */
function blank(source: string): string {
  let out = '';
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    const next = source[i + 1];
    if (c === '/' && next === '/') {
      while (i < source.length && source[i] !== '\n') (out += ' '), i++;
    } else if (c === '/' && next === '*') {
      const end = source.indexOf('*/', i + 2);
      const stop = end < 0 ? source.length : end + 2;
      out += source.slice(i, stop).replace(/[^\n]/g, ' ');
      i = stop;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < source.length && source[j] !== c && source[j] !== '\n') j += source[j] === '\\' ? 2 : 1;
      out += ' '.repeat(Math.min(j + 1, source.length) - i);
      i = j + 1;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

export function parseDeclarations(source: string, file: string): Declaration[] {
  const text = blank(source);
  const pkg = /(?:^|[;}\s])package\s+([\w.]+)\s*;/.exec(text)?.[1] ?? '';
  const out: Declaration[] = [];
  const token = /\b(message|enum|service)\s+([A-Za-z_]\w*)\s*\{|[{}]/g;
  let depth = 0;
  for (let m = token.exec(text); m; m = token.exec(text)) {
    if (m[1]) {
      if (depth === 0) out.push({ kind: m[1] as Declaration['kind'], name: m[2], package: pkg, file });
      depth++;
    } else if (m[0] === '{') depth++;
    else depth = Math.max(0, depth - 1);
  }
  return out;
}
