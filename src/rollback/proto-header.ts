/**
 * A reorganization moves .proto files and rewrites their headers (package, imports, go_package)
 * while their declarations stay as they were: half the files of a tree in the middle of a
 * migration declare, byte for byte, what a file of the old layout declares. Such a file need
 * not be parsed again: its record is the other file's, with its own header (package, imports,
 * read by protobufjs from the header alone) and its lines moved by the difference in the
 * header's length (proto-schema.ts: twinRecord).
 *
 * This module only finds where a file's body starts (its first top-level message, enum, service
 * or extend) and what of the header bears on how the body reads: `syntax`, `edition` and any
 * option but the inert ones below (an editions file's `features` decide field presence). The
 * parse itself is always protobufjs's. Anything this scanner does not know (another statement
 * before the first declaration, an unterminated comment or string, no declaration at all, the
 * word `import` in the body) means no split: the file is parsed whole, as before.
 */
import { hash } from 'node:crypto';

export interface Split {
  /** Where the body starts: the first top-level declaration's keyword. */
  bodyAt: number;
  /** Its line (1-based). */
  bodyLine: number;
  /** The statements of the header the body's reading depends on, as written, one a line. */
  semantic: string;
}

/** File options that name where generated code goes, nothing the parser reads the body by. */
const INERT_OPTIONS = new Set([
  'go_package', 'java_package', 'java_outer_classname', 'java_multiple_files', 'java_generate_equals_and_hash', 'java_string_check_utf8',
  'csharp_namespace', 'objc_class_prefix', 'php_namespace', 'php_class_prefix', 'php_metadata_namespace', 'ruby_package', 'swift_prefix',
  'optimize_for', 'cc_enable_arenas', 'cc_generic_services', 'java_generic_services', 'py_generic_services',
]);
const BODY = new Set(['message', 'enum', 'service', 'extend']);
const HEADER = new Set(['syntax', 'edition', 'package', 'import', 'option']);
/** The word `import` standing alone (an import statement's first token is always that). */
const IMPORT_WORD = /(?<![A-Za-z0-9_])import(?![A-Za-z0-9_])/;
/** Every word protobufjs may start a top-level statement with. */
const KEYWORDS = new Set([...BODY, ...HEADER, 'export', 'local']);

const isWordStart = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
const isWord = (c: number) => isWordStart(c) || (c >= 48 && c <= 57);

/** The header and body of a file, or null when it has no body or a header this scanner does not know. */
export function splitHeader(text: string): Split | null {
  const n = text.length;
  let i = 0;
  let line = 1;
  const semantic: string[] = [];
  /** Past white space and comments from i; false at an unterminated comment. */
  const skip = (): boolean => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 10) line++, i++;
      else if (c === 32 || c === 9 || c === 13 || c === 12 || c === 11) i++;
      else if (c === 47 && text.charCodeAt(i + 1) === 47) {
        const end = text.indexOf('\n', i);
        i = end < 0 ? n : end;
      } else if (c === 47 && text.charCodeAt(i + 1) === 42) {
        // protobufjs closes a block comment at the first `*/` after its `/`: `/*/` is one whole
        const end = text.indexOf('*/', i + 1);
        if (end < 0) return false;
        for (let k = text.indexOf('\n', i); k >= 0 && k < end; k = text.indexOf('\n', k + 1)) line++;
        i = end + 2;
      } else return true;
    }
    return true;
  };
  for (;;) {
    if (!skip() || i >= n) return null;
    const c = text.charCodeAt(i);
    if (c === 59 /* ; */) {
      i++;
      continue;
    }
    if (!isWordStart(c)) return null;
    const start = i;
    while (i < n && isWord(text.charCodeAt(i))) i++;
    const word = text.slice(start, i);
    if (BODY.has(word)) {
      // protobufjs reads an `import` anywhere at the top level, after declarations too: such a
      // body holds some of the file's imports, which the header alone does not. The word
      // anywhere in the body, a comment's or a field's too, means no split (parsed whole); a
      // name that only holds it (`imported_at`, `ImportJob`) is no import
      if (IMPORT_WORD.test(text.slice(start))) return null;
      return { bodyAt: start, bodyLine: line, semantic: semantic.join('\n') };
    }
    if (!HEADER.has(word)) return null;
    // the statement, to its `;` outside strings and brackets (an aggregate option's value holds `;`)
    let depth = 0;
    let plain = true; // no comment inside: its text is the statement as written
    for (;;) {
      if (i >= n) return null;
      const k = text.charCodeAt(i);
      if (k === 10) line++;
      if (k === 34 || k === 39) {
        // a string, to its closing quote (escapes skipped; a string does not span lines)
        for (i++; i < n && text.charCodeAt(i) !== k; i++) {
          const s = text.charCodeAt(i);
          if (s === 10) return null;
          if (s === 92) {
            // protobufjs's string takes any character after a backslash but a line end: with one
            // there, its string is another span of the text than this one
            const e = text.charCodeAt(i + 1);
            if (e === 10 || e === 13 || e === 0x2028 || e === 0x2029) return null;
            i++;
          }
        }
        if (i >= n) return null;
      } else if (k === 47 && (text.charCodeAt(i + 1) === 47 || text.charCodeAt(i + 1) === 42)) {
        plain = false;
        if (!skip()) return null;
        continue;
      } else if (depth === 0 && isWordStart(k)) {
        // protobufjs ends a top-level option at its value, `;` or not, and reads on: a statement's
        // or a declaration's keyword where this scan is still in one means the two part (no split)
        const from = i;
        while (i < n && isWord(text.charCodeAt(i))) i++;
        if (KEYWORDS.has(text.slice(from, i))) return null;
        continue;
      } else if (k === 123 || k === 91 || k === 40) depth++;
      else if (k === 125 || k === 93 || k === 41) depth--;
      else if (k === 59 && depth === 0) break;
      i++;
    }
    i++;
    const statement = text.slice(start, i);
    if (word === 'package' || word === 'import') continue;
    if (word === 'option' && plain && INERT_OPTIONS.has(/^option\s+([A-Za-z_]\w*)\s*=/.exec(statement)?.[1] ?? '')) continue;
    semantic.push(statement);
  }
}

/**
 * What a twin shares: its header's semantic statements and its body, hashed (SHA-1; three of its
 * words are the key threads claim a body by, proto-parsers.ts).
 */
export function bodyKey(text: string, split: Split): Buffer {
  // readFileRecord takes a file that never says `features` nor `edition` for proto2 or proto3
  // without looking further: a header that says either (a comment will do) keys apart, so a
  // twin's record is made the way its own parse would have made it
  const header = text.slice(0, split.bodyAt);
  const hints = `${header.includes('features') ? 'F' : ''}${header.includes('edition') ? 'E' : ''}`;
  // one call of node's one-shot hash: a Hash object and its three updates cost several times more on short files
  return hash('sha1', `${split.semantic}\0${hints}\0${text.slice(split.bodyAt)}`, 'buffer');
}
