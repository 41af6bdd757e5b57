/**
 * Protos shaped like the real ones (shared/fixtures/gcommon-layout.md: 1,632 files, 1.39 MB, so
 * about 850 bytes each), for bench:verify-migration: a license header, proto3 or
 * `edition = "2023"`, imports of sibling files and of google/protobuf types, messages of many
 * commented fields that reference sibling types (relative or fully qualified), nested enums,
 * oneofs, services with streaming rpcs. And the move to proto/gcommon/v1/<domain>/<category>/
 * with the domain merges, packages renamed and every qualified reference and import following.
 * Deterministic; names and contents are made up.
 */
import { DOMAINS, DOMAIN_MERGES } from './gcommon-layout.js';

const WORDS = ['account', 'audit', 'batch', 'bucket', 'cursor', 'entry', 'event', 'filter', 'frame', 'handler', 'index', 'limit', 'member', 'metric',
  'policy', 'probe', 'quota', 'record', 'region', 'role', 'route', 'sample', 'session', 'snapshot', 'stream', 'tenant', 'token', 'topic', 'upload'];
const SCALARS = ['string', 'int64', 'int32', 'bool', 'double', 'bytes', 'uint32'];

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pascal = (s: string) => s.split('_').map((w) => w[0].toUpperCase() + w.slice(1)).join('');

export interface RealShapedProto {
  domain: string;
  name: string;
  category: 'messages' | 'enums' | 'services';
  /** The old path's content. */
  content: string;
}

/** Old layout: pkg/<domain>/proto/<name>.proto → content. `scale` 1 is the full size. */
export function realShapedProtos(scale = 1, seed = 11): Map<string, RealShapedProto> {
  const r = rng(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)];
  const out = new Map<string, RealShapedProto>();
  const taken = new Set<string>(); // merged domains share a folder: names stay unique, so the move is clean
  for (const [domain, [count]] of Object.entries(DOMAINS)) {
    const n = Math.max(4, Math.round(count * scale));
    const names: string[] = [];
    for (let i = 0; names.length < n; i++) {
      const stem = `${pick(WORDS)}_${pick(WORDS)}_${i}`;
      if (!taken.has(stem)) taken.add(stem), names.push(stem);
    }
    const prefix = pascal(domain);
    names.forEach((stem, i) => {
      const category = i % 9 === 4 ? 'services' : i % 5 === 2 ? 'enums' : 'messages';
      const type = `${prefix}${pascal(stem)}`;
      const lines = [
        '// Copyright 2025 Example Authors. Licensed under the MIT License.',
        '// file: generated fixture for reorg-guard benchmarks; not real API.',
        r() < 0.3 ? 'edition = "2023";' : 'syntax = "proto3";',
        '',
        `package gcommon.v1.${domain};`,
        '',
      ];
      // earlier siblings of this domain, so imports never cycle
      const deps = i > 0 ? [...new Set([0, 1, 2].map(() => Math.floor(r() * i)))] : [];
      const depTypes: string[] = [];
      for (const j of deps) {
        if ((j % 9 === 4) || (j % 5 === 2)) continue; // import message files only
        lines.push(`import "pkg/${domain}/proto/${names[j]}.proto";`);
        depTypes.push(`${prefix}${pascal(names[j])}`);
      }
      lines.push('import "google/protobuf/timestamp.proto";', '', `option go_package = "github.com/example/gcommon/pkg/${domain}/proto";`, '');
      if (category === 'enums') {
        lines.push(`// ${type} says which state a ${stem.replace(/_/g, ' ')} is in.`, `enum ${type} {`);
        const upper = type.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase();
        const values = 4 + Math.floor(r() * 8);
        for (let v = 0; v < values; v++) lines.push(`  // value ${v}`, `  ${upper}_${v === 0 ? 'UNSPECIFIED' : `V${v}`} = ${v};`);
        lines.push('}');
      } else {
        const message = category === 'services' ? `${type}Request` : type;
        lines.push(`// ${message} carries a ${stem.replace(/_/g, ' ')}. A comment that says message Fake { does not count.`, `message ${message} {`);
        const fields = 5 + Math.floor(r() * 14);
        let inOneof = false;
        for (let f = 1; f <= fields; f++) {
          if (!inOneof && f > 3 && r() < 0.08) {
            lines.push(`  oneof choice_${f} {`);
            inOneof = true;
          }
          const ref = depTypes.length && r() < 0.3 ? pick(depTypes) : null;
          const t = ref ? (r() < 0.5 ? `gcommon.v1.${domain}.${ref}` : ref) : r() < 0.1 ? 'google.protobuf.Timestamp' : pick(SCALARS);
          const label = inOneof ? '' : r() < 0.15 ? 'repeated ' : '';
          lines.push(`${inOneof ? '  ' : ''}  // The ${pick(WORDS)} of this ${stem.replace(/_/g, ' ')}.`, `${inOneof ? '  ' : ''}  ${label}${t} ${pick(WORDS)}_${f} = ${f};`);
          if (inOneof && r() < 0.4) {
            lines.push('  }');
            inOneof = false;
          }
        }
        if (inOneof) lines.push('  }');
        if (r() < 0.3) lines.push('', '  // nested', '  enum Kind {', '    KIND_UNSPECIFIED = 0;', '    KIND_A = 1;', '  }', `  Kind kind = ${fields + 1};`);
        lines.push('}');
        if (category === 'services') {
          lines.push('', `message ${type}Response {`, '  bool ok = 1;', `  repeated ${message} items = 2;`, '}', '', `service ${type}Service {`);
          for (const [verb, stream] of [['Get', ''], ['List', 'stream '], ['Watch', 'stream ']]) {
            lines.push(`  // ${verb} ${stem.replace(/_/g, ' ')}s.`, `  rpc ${verb}${type}(${message}) returns (${stream}${type}Response);`);
          }
          lines.push('}');
        }
      }
      out.set(`pkg/${domain}/proto/${stem}.proto`, { domain, name: `${stem}.proto`, category, content: lines.join('\n') + '\n' });
    });
  }
  return out;
}

/** The clean move: new path → content, packages renamed, qualified references and imports following. */
export function moveRealShaped(protos: Map<string, RealShapedProto>): Map<string, string> {
  const newPath = new Map([...protos].map(([old, p]) => [old, `proto/gcommon/v1/${DOMAIN_MERGES[p.domain] ?? p.domain}/${p.category}/${p.name}`]));
  const out = new Map<string, string>();
  for (const [old, p] of protos) {
    let s = p.content.replace(/import "(pkg\/[^"]+)";/g, (m, imp: string) => (newPath.has(imp) ? `import "${newPath.get(imp)}";` : m));
    s = s.replace(/gcommon\.v1\.(\w+)([.;])/g, (_m, d: string, end: string) => `gcommon.v1.${DOMAIN_MERGES[d] ?? d}${end}`);
    s = s.replace(/pkg\/(\w+)\/proto";/, (_m, d: string) => `pkg/gcommon/v1/${DOMAIN_MERGES[d] ?? d}/${p.category}";`);
    out.set(newPath.get(old)!, s);
  }
  return out;
}
