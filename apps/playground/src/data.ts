import { parseIdx } from '@drojs/datasets';

/** The vendored Fashion-MNIST subset as pixels in [0, 1] (no standardisation, so σ is on the paper's scale). */
export interface Split {
  images: Float32Array;
  /** The raw pixel bytes, for drawing thumbnails. */
  bytes: Uint8Array;
  labels: Int32Array;
  n: number;
}

export const SIDE = 28;
export const D = SIDE * SIDE;
export const K = 10;

async function fetchGz(url: string): Promise<Uint8Array> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`could not load ${url}: HTTP ${res.status}`);
  const bytes = new Uint8Array(await res.arrayBuffer());
  // A server that sent the file with Content-Encoding: gzip has had it unpacked by the browser already.
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

async function loadSplit(base: string, images: string, labels: string): Promise<Split> {
  const [img, lab] = await Promise.all([fetchGz(base + images), fetchGz(base + labels)]);
  const x = parseIdx(img);
  const y = parseIdx(lab);
  const n = y.dims[0]!;
  const pixels = new Float32Array(x.data.length);
  for (let i = 0; i < pixels.length; i++) pixels[i] = x.data[i]! / 255;
  return { images: pixels, bytes: x.data, labels: Int32Array.from(y.data), n };
}

/** Loads the train and test splits from `base` (a URL ending in '/'). */
export async function loadFashionMnistSubset(base: string): Promise<{ train: Split; test: Split }> {
  const [train, test] = await Promise.all([
    loadSplit(base, 'train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz'),
    loadSplit(base, 't10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz'),
  ]);
  return { train, test };
}
