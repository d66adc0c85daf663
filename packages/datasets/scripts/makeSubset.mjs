#!/usr/bin/env node
// Writes the vendored Fashion-MNIST subset: the first 6000 training and first 2000 test images and
// labels of a full copy, as gzipped IDX files in data/fashion-mnist-subset/, and prints the class counts
// so that the balance can be checked. Usage: node scripts/makeSubset.mjs [SOURCE_DIR] [--train N] [--test N]
// (SOURCE_DIR defaults to ../../../shared/data/fashion-mnist relative to this package, i.e. /work/shared).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';

const pkg = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (flag, dflt) => {
  const i = args.indexOf(flag);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const positional = args.filter((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--'));
const src = resolve(positional[0] ?? join(pkg, '..', '..', '..', 'shared', 'data', 'fashion-mnist'));
const out = join(pkg, 'data', 'fashion-mnist-subset');
const limits = { train: opt('--train', 6000), t10k: opt('--test', 2000) };

// Header of an unsigned-byte IDX file: 0x00 0x00 0x08 ndim, then ndim big-endian uint32 dims.
function readIdx(path) {
  const bytes = gunzipSync(readFileSync(path));
  const ndim = bytes[3];
  const dims = [];
  for (let i = 0; i < ndim; i++) dims.push(bytes.readUInt32BE(4 + 4 * i));
  return { magic: bytes.readUInt32BE(0), dims, data: bytes.subarray(4 + 4 * ndim) };
}
function writeIdx(path, magic, dims, data) {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header.writeUInt32BE(magic, 0);
  for (const [i, d] of dims.entries()) header.writeUInt32BE(d, 4 + 4 * i);
  // mtime 0 in the gzip header (zlib writes none) keeps the output byte-identical across runs.
  writeFileSync(path, gzipSync(Buffer.concat([header, data]), { level: 9 }));
}

mkdirSync(out, { recursive: true });
for (const [split, n] of Object.entries(limits)) {
  const img = readIdx(join(src, `${split}-images-idx3-ubyte.gz`));
  const lab = readIdx(join(src, `${split}-labels-idx1-ubyte.gz`));
  if (img.magic !== 0x803 || lab.magic !== 0x801 || img.dims[0] !== lab.dims[0] || n > img.dims[0]) {
    throw new Error(`${split}: unexpected files in ${src}`);
  }
  const pixels = img.dims[1] * img.dims[2];
  writeIdx(
    join(out, `${split}-images-idx3-ubyte.gz`),
    0x803,
    [n, img.dims[1], img.dims[2]],
    img.data.subarray(0, n * pixels),
  );
  writeIdx(join(out, `${split}-labels-idx1-ubyte.gz`), 0x801, [n], lab.data.subarray(0, n));
  const counts = new Array(10).fill(0);
  for (let i = 0; i < n; i++) counts[lab.data[i]]++;
  const min = Math.min(...counts);
  const max = Math.max(...counts);
  console.log(`${split}: ${n} images, class counts [${counts.join(', ')}], min/max ${(min / max).toFixed(3)}`);
}
console.log(`wrote ${out}`);
