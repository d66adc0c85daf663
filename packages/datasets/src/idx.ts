import { DroError } from '@drojs/dro-core';

/** A parsed IDX file: its dimensions and its uint8 payload (row-major). */
export interface IdxArray {
  /** The IDX magic number, e.g. `0x00000803` for Fashion-MNIST images, `0x00000801` for labels. */
  magic: number;
  /** Dimensions from the header, e.g. `[N, 28, 28]` for images and `[N]` for labels. */
  dims: number[];
  /** The payload, a view into `bytes` (no copy), of length `dims` multiplied together. */
  data: Uint8Array;
}

/** IDX type code of unsigned bytes, the only payload type Fashion-MNIST and MNIST use. */
const IDX_UBYTE = 0x08;

/**
 * Parses an (already decompressed) IDX file, the format of MNIST and Fashion-MNIST: a big-endian
 * header `0x00 0x00 <type> <ndim>`, then `ndim` uint32 dimensions, then the data. Only unsigned-byte
 * payloads (type `0x08`) are accepted: magic `0x00000803` for images `[N, rows, cols]`, `0x00000801`
 * for labels `[N]`.
 *
 * @param bytes the decompressed file contents.
 * @throws DroError `E_DTYPE` when `bytes` is not a Uint8Array, `E_SPEC` for a malformed header or another
 *   payload type, `E_SHAPE` when the payload length does not match the dimensions.
 */
export function parseIdx(bytes: Uint8Array): IdxArray {
  if (!(bytes instanceof Uint8Array)) {
    throw new DroError('E_DTYPE', 'bytes must be a Uint8Array', { argument: 'bytes', received: typeof bytes });
  }
  if (bytes.length < 4) {
    throw new DroError('E_SPEC', 'bytes is too short for an IDX header', {
      argument: 'bytes',
      expected: 'at least 4 bytes',
      received: `${bytes.length} bytes`,
    });
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0, false);
  const type = bytes[2]!;
  const ndim = bytes[3]!;
  if (bytes[0] !== 0 || bytes[1] !== 0 || type !== IDX_UBYTE || ndim < 1) {
    throw new DroError('E_SPEC', 'bytes does not start with an unsigned-byte IDX magic number', {
      argument: 'bytes',
      expected: '0x000008NN with NN ≥ 1 (e.g. 0x00000803 images, 0x00000801 labels)',
      received: `0x${magic.toString(16).padStart(8, '0')}`,
    });
  }
  const headerLength = 4 + 4 * ndim;
  if (bytes.length < headerLength) {
    throw new DroError('E_SPEC', 'bytes is too short for its IDX header', {
      argument: 'bytes',
      expected: `${headerLength} header bytes for ${ndim} dimensions`,
      received: `${bytes.length} bytes`,
    });
  }
  const dims: number[] = [];
  let size = 1;
  for (let i = 0; i < ndim; i++) {
    const d = view.getUint32(4 + 4 * i, false);
    dims.push(d);
    size *= d;
  }
  if (bytes.length - headerLength !== size) {
    throw new DroError('E_SHAPE', 'IDX payload length does not match its dimensions', {
      argument: 'bytes',
      expected: `${size} data bytes for dims [${dims.join(', ')}]`,
      received: `${bytes.length - headerLength} data bytes`,
    });
  }
  return { magic, dims, data: bytes.subarray(headerLength) };
}

/**
 * Encodes an unsigned-byte IDX file (the inverse of {@link parseIdx}); used to write vendored subsets
 * and hand-built test files.
 *
 * @throws DroError `E_SHAPE` when `data.length` is not the product of `dims`.
 */
export function encodeIdx(dims: readonly number[], data: Uint8Array): Uint8Array {
  let size = 1;
  for (const [i, d] of dims.entries()) {
    if (!Number.isInteger(d) || d < 0 || d > 0xffffffff) {
      throw new DroError('E_SPEC', `dims[${i}] is not a uint32`, { argument: `dims[${i}]`, received: String(d) });
    }
    size *= d;
  }
  if (dims.length < 1 || dims.length > 255) {
    throw new DroError('E_SPEC', 'dims must have 1 to 255 entries', { argument: 'dims', received: `${dims.length}` });
  }
  if (data.length !== size) {
    throw new DroError('E_SHAPE', 'data length does not match dims', {
      argument: 'data',
      expected: `${size} bytes`,
      received: `${data.length} bytes`,
    });
  }
  const out = new Uint8Array(4 + 4 * dims.length + size);
  const view = new DataView(out.buffer);
  out[2] = IDX_UBYTE;
  out[3] = dims.length;
  for (const [i, d] of dims.entries()) view.setUint32(4 + 4 * i, d, false);
  out.set(data, 4 + 4 * dims.length);
  return out;
}
