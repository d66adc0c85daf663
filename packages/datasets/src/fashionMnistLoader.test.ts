import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { isDroError } from '@drojs/dro-core';
import { afterAll, describe, expect, it } from 'vitest';
import { FASHION_MNIST_CLASSES } from './classes.js';
import { loadFashionMnist, resolveFashionMnistDir, vendoredFashionMnistDir } from './fashionMnistLoader.js';
import { encodeIdx } from './idx.js';

const vendored = vendoredFashionMnistDir();
const scratch = mkdtempSync(join(tmpdir(), 'drojs-fmnist-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function expectRejects(p: Promise<unknown>, code: string, argument: string): Promise<void> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isDroError(err, code as never), `expected DroError ${code}, got ${String(err)}`).toBe(true);
  expect((err as Error).message).toContain(argument);
}

/** A tiny fake dataset: n images whose pixel 0 encodes the index, labels i mod 10. */
function writeFake(dir: string, n: number, gz: boolean): void {
  const img = new Uint8Array(n * 784);
  for (let i = 0; i < n; i++) {
    img[i * 784] = i;
    img[i * 784 + 783] = 255;
  }
  const lab = Uint8Array.from({ length: n }, (_, i) => i % 10);
  const put = (name: string, bytes: Uint8Array) =>
    writeFileSync(join(dir, gz ? name : name.replace(/\.gz$/, '')), gz ? gzipSync(bytes) : bytes);
  for (const split of ['train', 't10k']) {
    put(`${split}-images-idx3-ubyte.gz`, encodeIdx([n, 28, 28], img));
    put(`${split}-labels-idx1-ubyte.gz`, encodeIdx([n], lab));
  }
}

describe('loadFashionMnist', () => {
  it('reads the vendored subset with the documented shapes and label range', async () => {
    const d = await loadFashionMnist({ dir: vendored });
    expect(d.source).toBe('dir');
    expect(d.train.n).toBe(6000);
    expect(d.test.n).toBe(2000);
    expect(d.train.images.length).toBe(6000 * 784);
    expect(d.test.images.length).toBe(2000 * 784);
    expect(d.train.labels.length).toBe(6000);
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (const v of d.train.images) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    expect(lo).toBe(0);
    expect(hi).toBe(1);
    const counts = new Array<number>(10).fill(0);
    for (const y of d.train.labels) counts[y]!++;
    // every class present, none dominant (the subset is roughly balanced)
    for (const c of counts) expect(c).toBeGreaterThan(400);
    expect(d.classNames).toEqual([...FASHION_MNIST_CLASSES]);
  });

  it('applies limits after filtering and remaps the kept classes', async () => {
    const all = await loadFashionMnist({ dir: vendored, trainLimit: 300, testLimit: 0 });
    expect(all.train.n).toBe(300);
    expect(all.test.n).toBe(0);
    const sub = await loadFashionMnist({ dir: vendored, classes: [9, 0], trainLimit: 50 });
    expect(sub.train.n).toBe(50);
    expect(sub.classNames).toEqual(['Ankle boot', 'T-shirt/top']);
    const full = await loadFashionMnist({ dir: vendored });
    // the j-th kept image is the j-th image of class 9 or 0, labelled 0 for class 9 and 1 for class 0
    const idx: number[] = [];
    for (let i = 0; i < full.train.n && idx.length < 50; i++) {
      const y = full.train.labels[i]!;
      if (y === 9 || y === 0) idx.push(i);
    }
    idx.forEach((i, j) => {
      expect(sub.train.labels[j]).toBe(full.train.labels[i] === 9 ? 0 : 1);
      expect(sub.train.images[j * 784 + 300]).toBe(full.train.images[i * 784 + 300]);
    });
    for (const y of sub.test.labels) expect(y === 0 || y === 1).toBe(true);
  });

  it('reads uncompressed files and keeps pixel order', async () => {
    const dir = mkdtempSync(join(scratch, 'raw-'));
    writeFake(dir, 12, false);
    const d = await loadFashionMnist({ dir });
    expect(d.train.n).toBe(12);
    expect(d.train.images[5 * 784]).toBeCloseTo(5 / 255, 7);
    expect(d.train.images[5 * 784 + 783]).toBe(1);
    expect(Array.from(d.test.labels)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1]);
  });

  it('searches FASHION_MNIST_DIR, then a shared/ folder above cwd, then the vendored copy', () => {
    const env = { FASHION_MNIST_DIR: vendored };
    expect(resolveFashionMnistDir({ env })).toEqual({ dir: vendored, source: 'env' });
    const root = mkdtempSync(join(scratch, 'walk-'));
    const data = join(root, 'shared', 'data', 'fashion-mnist');
    const deep = join(root, 'main', 'examples', 'x');
    for (const p of [data, deep]) mkdirSync(p, { recursive: true });
    writeFake(data, 3, true);
    const found = resolveFashionMnistDir({ env: {}, cwd: deep });
    // Debian's directory, when installed, wins over the walk
    if (found.source !== 'debian') expect(found).toEqual({ dir: data, source: 'shared' });
    const none = mkdtempSync(join(tmpdir(), 'drojs-nodata-'));
    try {
      const fallback = resolveFashionMnistDir({ env: {}, cwd: none });
      if (fallback.source !== 'debian' && fallback.source !== 'shared') {
        expect(fallback).toEqual({ dir: vendored, source: 'vendored' });
      }
    } finally {
      rmSync(none, { recursive: true, force: true });
    }
  });

  it('rejects bad options and missing or malformed files with DroError', async () => {
    const empty = mkdtempSync(join(scratch, 'empty-'));
    await expectRejects(loadFashionMnist({ dir: empty }), 'E_IO', 'opts.dir');
    await expectRejects(loadFashionMnist({ env: { FASHION_MNIST_DIR: empty } }), 'E_IO', 'FASHION_MNIST_DIR');
    await expectRejects(loadFashionMnist({ dir: vendored, trainLimit: -1 }), 'E_SPEC', 'opts.trainLimit');
    await expectRejects(loadFashionMnist({ dir: vendored, testLimit: 1.5 }), 'E_SPEC', 'opts.testLimit');
    await expectRejects(loadFashionMnist({ dir: vendored, classes: [0, 10] }), 'E_LABEL_RANGE', 'opts.classes');
    await expectRejects(loadFashionMnist({ dir: vendored, classes: [1, 1] }), 'E_SPEC', 'opts.classes');
    await expectRejects(loadFashionMnist({ dir: vendored, classes: [] }), 'E_SPEC', 'opts.classes');
    const typo = { dir: vendored, trainLimt: 5 } as unknown as Parameters<typeof loadFashionMnist>[0];
    await expectRejects(loadFashionMnist(typo), 'E_SPEC', 'trainLimt');
    const bad = mkdtempSync(join(scratch, 'bad-'));
    writeFake(bad, 4, true);
    writeFileSync(join(bad, 't10k-labels-idx1-ubyte.gz'), gzipSync(encodeIdx([5], new Uint8Array(5))));
    await expectRejects(loadFashionMnist({ dir: bad }), 'E_SHAPE', 't10k-labels');
    writeFileSync(join(bad, 't10k-labels-idx1-ubyte.gz'), Uint8Array.from([1, 2, 3]));
    await expectRejects(loadFashionMnist({ dir: bad }), 'E_IO', 't10k-labels');
  });
});
