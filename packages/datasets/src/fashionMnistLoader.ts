import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { checkNumber, checkOptions, DroError, describeValue, opt } from '@drojs/dro-core';
import { type IdxData, readIdx } from '@drojs/dro-core/node';
import { FASHION_MNIST_CLASSES, FASHION_MNIST_NUM_CLASSES, FASHION_MNIST_SIDE } from './classes.js';

const gunzipAsync = promisify(gunzip);

/** Where the files came from, in the order the loader searches. */
export type FashionMnistSource = 'dir' | 'env' | 'debian' | 'shared' | 'vendored';

/** One split: `n` images of 28 × 28 pixels, row-major, scaled to [0, 1]. */
export interface FashionMnistSplit {
  /** `n · 784` pixel values in [0, 1] (uint8 / 255), image after image. */
  images: Float32Array;
  /** `n` labels in `[0, k)` (remapped when `classes` was given). */
  labels: Int32Array;
  n: number;
}

/** Result of {@link loadFashionMnist}. */
export interface FashionMnist {
  train: FashionMnistSplit;
  test: FashionMnistSplit;
  source: FashionMnistSource;
  /** The directory the files were read from. */
  dir: string;
  /** Original class index of each returned label (identity 0..9 without `classes`). */
  classes: number[];
  /** Class names of the returned labels, `classNames[label]`. */
  classNames: string[];
}

/** Options of {@link loadFashionMnist}. */
export interface LoadFashionMnistOptions {
  /** Directory with the four IDX files (`.gz` or uncompressed); searched first, must exist if given. */
  dir?: string;
  /** Keep the first N training images (after class filtering). */
  trainLimit?: number;
  /** Keep the first N test images (after class filtering). */
  testLimit?: number;
  /**
   * Keep only these original classes (distinct, in 0..9) and **remap** their labels to their position in
   * this array: `classes: [0, 2, 4]` turns labels 0, 2, 4 into 0, 1, 2. Needed by protocols that use a
   * subset of the classes (e.g. an 8-class Fashion-MNIST task).
   */
  classes?: readonly number[];
  /** Environment to read `FASHION_MNIST_DIR` from (default `process.env`). */
  env?: Record<string, string | undefined>;
  /** Directory where the walk up to a `shared/data/fashion-mnist` folder starts (default `process.cwd()`). */
  cwd?: string;
}

// Value checks stay in the loader (they name `opts.<key>`); the schema rejects unknown keys such as `trainLimt`.
const RESOLVE_OPTIONS = { dir: opt.any(), env: opt.object(), cwd: opt.string() };
const LOAD_OPTIONS = { ...RESOLVE_OPTIONS, trainLimit: opt.any(), testLimit: opt.any(), classes: opt.any() };

/** Standard Fashion-MNIST file names (the loader also accepts them without `.gz`). */
export const FASHION_MNIST_FILES = {
  trainImages: 'train-images-idx3-ubyte.gz',
  trainLabels: 'train-labels-idx1-ubyte.gz',
  testImages: 't10k-images-idx3-ubyte.gz',
  testLabels: 't10k-labels-idx1-ubyte.gz',
} as const;

/** Debian's `dataset-fashion-mnist` package installs the files here. */
export const DEBIAN_FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';

/** The vendored subset (first 6000 train / first 2000 test images) shipped in the package's `data/`. */
export function vendoredFashionMnistDir(): string {
  // src/ (tests, tsx) and dist/ (built ESM and CJS; tsup shims import.meta.url for CJS) both sit one
  // level below the package root, so the same relative path works from either.
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', 'data', 'fashion-mnist-subset');
}

function findFile(dir: string, gzName: string): string | undefined {
  const gz = join(dir, gzName);
  if (existsSync(gz)) return gz;
  const raw = join(dir, gzName.replace(/\.gz$/, ''));
  return existsSync(raw) ? raw : undefined;
}

function hasAllFiles(dir: string): boolean {
  return Object.values(FASHION_MNIST_FILES).every((f) => findFile(dir, f) !== undefined);
}

/**
 * Decides where {@link loadFashionMnist} reads from: explicit `dir` → `FASHION_MNIST_DIR` →
 * Debian's `/usr/share/datasets/fashion-mnist` → the first `shared/data/fashion-mnist` found walking up
 * from the working directory → the vendored subset. A `dir` or `FASHION_MNIST_DIR` that lacks the files is
 * an error (`E_IO`), never silently replaced; the other locations are skipped when incomplete.
 */
export function resolveFashionMnistDir(opts: Pick<LoadFashionMnistOptions, 'dir' | 'env' | 'cwd'> = {}): {
  dir: string;
  source: FashionMnistSource;
} {
  checkOptions(opts, RESOLVE_OPTIONS, 'resolveFashionMnistDir');
  const explicit = (value: string, argument: string, source: FashionMnistSource) => {
    const dir = resolve(value);
    if (!hasAllFiles(dir)) {
      throw new DroError('E_IO', `${argument} does not hold the four Fashion-MNIST IDX files`, {
        argument,
        expected: Object.values(FASHION_MNIST_FILES).join(', '),
        received: dir,
      });
    }
    return { dir, source };
  };
  if (opts.dir !== undefined) {
    if (typeof opts.dir !== 'string' || opts.dir === '') {
      throw new DroError('E_SPEC', 'opts.dir must be a non-empty path', {
        argument: 'opts.dir',
        received: describeValue(opts.dir),
      });
    }
    return explicit(opts.dir, 'opts.dir', 'dir');
  }
  const envDir = (opts.env ?? process.env).FASHION_MNIST_DIR;
  if (envDir) return explicit(envDir, 'FASHION_MNIST_DIR', 'env');
  if (hasAllFiles(DEBIAN_FASHION_MNIST_DIR)) return { dir: DEBIAN_FASHION_MNIST_DIR, source: 'debian' };
  let at = resolve(opts.cwd ?? process.cwd());
  for (;;) {
    const candidate = join(at, 'shared', 'data', 'fashion-mnist');
    if (hasAllFiles(candidate)) return { dir: candidate, source: 'shared' };
    const up = dirname(at);
    if (up === at) break;
    at = up;
  }
  const vendored = vendoredFashionMnistDir();
  if (!hasAllFiles(vendored)) {
    throw new DroError('E_IO', 'no Fashion-MNIST files found and the vendored subset is missing', {
      argument: 'opts.dir',
      received: vendored,
    });
  }
  return { dir: vendored, source: 'vendored' };
}

async function readIdxFile(path: string): Promise<IdxData> {
  let bytes: Uint8Array;
  try {
    const raw = await readFile(path);
    bytes = path.endsWith('.gz') ? await gunzipAsync(raw) : raw;
  } catch (e) {
    throw new DroError('E_IO', `cannot read ${path}`, { argument: 'path', cause: e });
  }
  return readIdx(bytes);
}

function checkClasses(classes: unknown): number[] {
  if (!Array.isArray(classes) || classes.length < 1) {
    throw new DroError('E_SPEC', 'opts.classes must be a non-empty array of class indices', {
      argument: 'opts.classes',
      received: describeValue(classes),
    });
  }
  const seen = new Set<number>();
  for (const [i, c] of classes.entries()) {
    if (typeof c !== 'number' || !Number.isInteger(c) || c < 0 || c >= FASHION_MNIST_NUM_CLASSES) {
      throw new DroError('E_LABEL_RANGE', `opts.classes[${i}] is not a Fashion-MNIST class`, {
        argument: 'opts.classes',
        expected: 'a whole number in [0, 10)',
        received: describeValue(c),
      });
    }
    if (seen.has(c)) {
      throw new DroError('E_SPEC', `opts.classes[${i}] repeats class ${c}`, { argument: 'opts.classes' });
    }
    seen.add(c);
  }
  return classes as number[];
}

async function loadSplit(
  dir: string,
  imagesFile: string,
  labelsFile: string,
  remap: Int32Array,
  limit: number,
): Promise<FashionMnistSplit> {
  const [img, lab] = await Promise.all([
    readIdxFile(findFile(dir, imagesFile)!),
    readIdxFile(findFile(dir, labelsFile)!),
  ]);
  const side = FASHION_MNIST_SIDE;
  if (img.type !== 'images' || img.shape[1] !== side || img.shape[2] !== side) {
    throw new DroError('E_SHAPE', `${imagesFile} is not a 28 × 28 image file`, {
      argument: imagesFile,
      expected: 'images (magic 0x00000803) of shape [N, 28, 28]',
      received: `${img.type} of shape [${img.shape.join(', ')}]`,
    });
  }
  if (lab.type !== 'labels' || lab.shape[0] !== img.shape[0]) {
    throw new DroError('E_SHAPE', `${labelsFile} does not match ${imagesFile}`, {
      argument: labelsFile,
      expected: `labels (magic 0x00000801) of shape [${img.shape[0]}]`,
      received: `${lab.type} of shape [${lab.shape.join(', ')}]`,
    });
  }
  const total = lab.shape[0]!;
  const pixels = side * side;
  const keep: number[] = [];
  for (let i = 0; i < total && keep.length < limit; i++) {
    const y = lab.data[i]!;
    if (y >= FASHION_MNIST_NUM_CLASSES) {
      throw new DroError('E_LABEL_RANGE', `${labelsFile}[${i}] is not a Fashion-MNIST class`, {
        argument: labelsFile,
        received: String(y),
      });
    }
    if (remap[y]! >= 0) keep.push(i);
  }
  const n = keep.length;
  const images = new Float32Array(n * pixels);
  const labels = new Int32Array(n);
  for (let j = 0; j < n; j++) {
    const i = keep[j]!;
    labels[j] = remap[lab.data[i]!]!;
    const src = i * pixels;
    const dst = j * pixels;
    for (let p = 0; p < pixels; p++) images[dst + p] = img.data[src + p]! / 255;
  }
  return { images, labels, n };
}

/**
 * Loads Fashion-MNIST (Xiao, Rasul & Vollgraf 2017; Zalando Research, MIT licence) from gzipped IDX
 * files. Search order: see {@link resolveFashionMnistDir}; `source` says which location was used. When no
 * full copy is found, the vendored subset holds only the first 6000 training and first 2000 test images.
 *
 * Pixels are `uint8 / 255` (no standardisation). Limits keep the first N images of each split, counted
 * after class filtering; `classes` filters **and remaps** labels to `0..classes.length − 1`.
 *
 * @throws DroError `E_IO` when an explicitly named directory lacks the files or a file cannot be read,
 *   `E_SPEC` for an unknown option key or a bad option value, `E_LABEL_RANGE` for a class outside 0..9, `E_SHAPE` for files that are not Fashion-MNIST-shaped.
 */
export async function loadFashionMnist(opts: LoadFashionMnistOptions = {}): Promise<FashionMnist> {
  checkOptions(opts, LOAD_OPTIONS, 'loadFashionMnist');
  const trainLimit =
    opts.trainLimit === undefined
      ? Number.POSITIVE_INFINITY
      : checkNumber(opts.trainLimit, 'opts.trainLimit', { min: 0, integer: true });
  const testLimit =
    opts.testLimit === undefined
      ? Number.POSITIVE_INFINITY
      : checkNumber(opts.testLimit, 'opts.testLimit', { min: 0, integer: true });
  const classes =
    opts.classes === undefined
      ? Array.from({ length: FASHION_MNIST_NUM_CLASSES }, (_, c) => c)
      : checkClasses(opts.classes).slice();
  const remap = new Int32Array(FASHION_MNIST_NUM_CLASSES).fill(-1);
  classes.forEach((c, k) => {
    remap[c] = k;
  });
  const { dir, source } = resolveFashionMnistDir({ dir: opts.dir, env: opts.env, cwd: opts.cwd });
  const [train, test] = await Promise.all([
    loadSplit(dir, FASHION_MNIST_FILES.trainImages, FASHION_MNIST_FILES.trainLabels, remap, trainLimit),
    loadSplit(dir, FASHION_MNIST_FILES.testImages, FASHION_MNIST_FILES.testLabels, remap, testLimit),
  ]);
  return { train, test, source, dir, classes, classNames: classes.map((c) => FASHION_MNIST_CLASSES[c]!) };
}
