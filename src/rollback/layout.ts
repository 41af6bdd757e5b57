/**
 * The two layouts of a reorganization, from config: where the old protos live
 * (`pkg/<domain>/proto/`), where the new ones go (`proto/gcommon/v1/`), which files are
 * generated, and which `.proto` a generated file belongs to.
 */
import path from 'node:path';
import type { Config } from '../config.js';
import { escapeRegExp, pathMatcher, pathOrFolderMatcher } from '../util/glob.js';

export interface Layout {
  /** The new layout root, with a trailing '/'. */
  newRoot: string;
  /** The old layout's fixed part (`pkg` of `pkg/<domain>/proto/`), no trailing '/'; '' when the domain comes first. */
  oldRoot: string;
  /** The old-layout domain a path lies in, or null when it lies outside the old layout. */
  oldDomainOf(p: string): string | null;
  /** The old-layout folder of a domain, with a trailing '/'. */
  oldDir(domain: string): string;
  isProto(p: string): boolean;
  isOldProto(p: string): boolean;
  inNewRoot(p: string): boolean;
  isGenerated(p: string): boolean;
  /** `x.pb.go` and `x_grpc.pb.go` → `x.proto` beside them (never `x.pb.proto`); null when not generated. */
  protoOf(p: string): string | null;
  /** The generated files an `x.proto` has beside it: `x.pb.go`, `x_grpc.pb.go`. */
  generatedOf(proto: string): string[];
  /** True when `p` is guarded: matched by guardedPaths as the hooks match them (util/glob.ts), itself or a folder above it. */
  isGuarded(p: string): boolean;
}

const slash = (s: string) => (s.endsWith('/') ? s : `${s}/`);

export function layoutOf(config: Config): Layout {
  const newRoot = slash(config.newRoot.replace(/^\.?\//, ''));
  const oldLayout = slash(config.oldLayout.replace(/^\.?\//, ''));
  const escaped = escapeRegExp(oldLayout);
  const oldRe = new RegExp(`^${escaped.replace('<domain>', '([^/]+)')}`);
  const generated = pathMatcher(config.generatedPatterns);
  // `*.pb.go`, `*_grpc.pb.go`: the literal ends, longest first, so `x_grpc.pb.go` belongs to `x`.
  const suffixes = config.generatedPatterns
    .filter((g) => /^\*[^*?/[\]]+$/.test(g))
    .map((g) => g.slice(1))
    .sort((a, b) => b.length - a.length);

  const oldDomainOf = (p: string): string | null => {
    const m = oldRe.exec(p);
    return m ? (m[1] ?? '') : null;
  };
  const isProto = (p: string) => p.endsWith('.proto');
  return {
    newRoot,
    oldRoot: oldLayout.split('<domain>')[0].replace(/\/$/, ''),
    oldDomainOf,
    oldDir: (domain) => oldLayout.replace('<domain>', domain),
    isProto,
    isOldProto: (p) => isProto(p) && oldDomainOf(p) !== null,
    inNewRoot: (p) => p.startsWith(newRoot),
    isGenerated: (p) => generated(path.posix.basename(p)),
    protoOf(p) {
      const base = path.posix.basename(p);
      const suffix = suffixes.find((s) => base.endsWith(s) && base.length > s.length);
      if (!suffix || !generated(base)) return null;
      return path.posix.join(path.posix.dirname(p), `${base.slice(0, -suffix.length)}.proto`);
    },
    generatedOf(proto) {
      const stem = proto.replace(/\.proto$/, '');
      return suffixes.map((s) => `${stem}${s}`);
    },
    isGuarded: pathOrFolderMatcher(config.guardedPaths),
  };
}
