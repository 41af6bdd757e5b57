/**
 * The floor of `archive` in node on a tree: what the work it cannot skip costs in this runtime,
 * measured in one node process with bare loops and no archive code around them (CPU time of the
 * whole process, threads included). Run by bench:archive beside its tar and archive rounds:
 *
 *   tsx scripts/lib/archive-floor.ts <tree> <tree.tar.gz made by GNU tar>
 *
 * Prints one JSON line: seconds of CPU for each part. Node's own start is measured apart
 * (`node -e 0`) by the caller.
 */
import { closeSync, fstatSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';
import { hash as hashOnce, createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { gunzipFile } from '../../src/backup/gunzip-file.js';

const [root, tarGz] = process.argv.slice(2);

const cpu = (work: () => void): number => {
  const c = process.cpuUsage();
  work();
  const d = process.cpuUsage(c);
  return (d.user + d.system) / 1e6;
};

const files: string[] = [];
(function walk(rel: string) {
  for (const d of readdirSync(rel ? `${root}/${rel}` : root, { withFileTypes: true })) {
    if (d.name === '.git') continue;
    const p = rel ? `${rel}/${d.name}` : d.name;
    if (d.isDirectory()) walk(p);
    else if (d.isFile()) files.push(p);
  }
})('');

const buf = Buffer.allocUnsafe(1 << 20);
const sha = (b: Buffer) => (typeof hashOnce === 'function' ? hashOnce('sha256', b, 'hex') : createHash('sha256').update(b).digest('hex'));
// what every file costs to reach: walk, open, fstat, read, close (the archive reads each file once)
const read = cpu(() => {
  (function walk(rel: string) {
    for (const d of readdirSync(rel ? `${root}/${rel}` : root, { withFileTypes: true })) {
      if (d.name === '.git') continue;
      const p = rel ? `${rel}/${d.name}` : d.name;
      if (d.isDirectory()) walk(p);
      else if (d.isFile()) {
        const fd = openSync(`${root}/${p}`, 'r');
        fstatSync(fd);
        readSync(fd, buf, 0, buf.length, null);
        closeSync(fd);
      }
    }
  })('');
});
// one sha256 a file, as it is packed (the read-back compares the compressed bytes, a tenth of them here)
const contents = files.map((f) => readFileSync(`${root}/${f}`));
const hash = cpu(() => {
  for (const c of contents) sha(c);
});
// gzip level 6 of the same tar bytes GNU tar wrote (node's zlib, in one call)
const tar = gunzipSync(readFileSync(tarGz));
const deflate = cpu(() => void gzipSync(tar, { level: 6 }));
// inflating them back: into one reused buffer, as the archive's read-back does
let inflate = 0;
const c0 = process.cpuUsage();
await gunzipFile(tarGz, () => {});
const d0 = process.cpuUsage(c0);
inflate = (d0.user + d0.system) / 1e6;

console.log(JSON.stringify({ files: files.length, read, hash, deflate, inflate }));
