/**
 * Node-only helpers: IDX and CSV readers, atomic file writes, and `saveState`/`loadState` for every stateful class.
 * @packageDocumentation
 */
import { DroError } from '../errors.js';

export interface IdxData {
  /** 0x0803 images (uint8, [N, rows, cols]) or 0x0801 labels (uint8, [N]). */
  type: 'images' | 'labels';
  shape: number[];
  data: Uint8Array;
}

/** Parses an (uncompressed) IDX file of uint8 images (magic 0x00000803) or labels (0x00000801). */
export function readIdx(bytes: Uint8Array): IdxData {
  if (!(bytes instanceof Uint8Array) || bytes.length < 8)
    throw new DroError('E_SHAPE', 'not an IDX buffer', { argument: 'bytes' });
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = dv.getUint32(0, false);
  const dims = magic === 0x803 ? 3 : magic === 0x801 ? 1 : 0;
  if (!dims) {
    throw new DroError('E_SHAPE', 'unknown IDX magic number', {
      argument: 'bytes',
      expected: '0x00000803 or 0x00000801',
      received: `0x${magic.toString(16).padStart(8, '0')}`,
    });
  }
  const shape: number[] = [];
  for (let i = 0; i < dims; i++) shape.push(dv.getUint32(4 + 4 * i, false));
  const start = 4 + 4 * dims;
  const size = shape.reduce((a, b) => a * b, 1);
  if (bytes.length < start + size) {
    throw new DroError('E_SHAPE', 'IDX file is truncated', {
      argument: 'bytes',
      expected: `${start + size} bytes`,
      received: `${bytes.length}`,
    });
  }
  return { type: dims === 3 ? 'images' : 'labels', shape, data: bytes.slice(start, start + size) };
}

/** Parses simple CSV (no quoted separators): rows of strings, with the header split off when `header`. */
export function parseCsv(
  text: string,
  opts: { header?: boolean; separator?: string } = {},
): { header: string[] | null; rows: string[][] } {
  const sep = opts.separator ?? ',';
  const lines = text.split(/\r?\n/).filter((l) => l.length > 0);
  const split = (l: string) => l.split(sep).map((c) => c.trim().replace(/^"(.*)"$/, '$1'));
  const header = opts.header ? split(lines.shift() ?? '') : null;
  return { header, rows: lines.map(split) };
}

export { loadState, type Stateful, saveState } from './stateFile.js';
export { writeFileAtomic } from './writeFileAtomic.js';
