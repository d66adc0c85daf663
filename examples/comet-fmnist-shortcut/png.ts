// A minimal grayscale/RGB PNG writer (node:zlib deflate + CRC32), so that the mask grid needs no dependency.
import { deflateSync } from 'node:zlib';

const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  Buffer.from(data).copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** Encodes an RGB image (`rgb` holds width·height·3 bytes, row-major) as PNG. */
export function encodePng(rgb: Uint8Array, width: number, height: number): Buffer {
  const raw = new Uint8Array(height * (1 + width * 3));
  for (let y = 0; y < height; y++) {
    raw[y * (1 + width * 3)] = 0; // filter: none
    raw.set(rgb.subarray(y * width * 3, (y + 1) * width * 3), y * (1 + width * 3) + 1);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

/**
 * A grid of 28×28 tiles scaled by `scale`: `tiles[row][col]` are 784 values in [0, 1] drawn in gray; the object
 * outline is drawn in green and the patch outline in red on every tile of a row, bright where the tile is > ½
 * (selected) and dark where it is not.
 */
export function maskGrid(
  tiles: Float32Array[][],
  objectMasks: Float32Array[],
  patchMasks: Float32Array[],
  scale = 4,
): Buffer {
  const rows = tiles.length;
  const cols = tiles[0]!.length;
  const pad = 2;
  const tw = 28 * scale;
  const width = cols * (tw + pad) + pad;
  const height = rows * (tw + pad) + pad;
  const rgb = new Uint8Array(width * height * 3).fill(255);
  const edge = (m: Float32Array, r: number, c: number) => {
    if (!m[r * 28 + c]) return false;
    return [
      [r - 1, c],
      [r + 1, c],
      [r, c - 1],
      [r, c + 1],
    ].some(([a, b]) => a! < 0 || b! < 0 || a! > 27 || b! > 27 || !m[a! * 28 + b!]);
  };
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const t = tiles[i]![j]!;
      for (let r = 0; r < 28; r++) {
        for (let c = 0; c < 28; c++) {
          const g = Math.round(255 * Math.min(1, Math.max(0, t[r * 28 + c]!)));
          // Outlines keep the tile readable: bright where the tile is selected (> ½), dark where it is not.
          const on = t[r * 28 + c]! > 0.5;
          let color = [g, g, g];
          if (edge(patchMasks[i]!, r, c)) color = on ? [255, 90, 90] : [150, 0, 0];
          else if (edge(objectMasks[i]!, r, c)) color = on ? [140, 255, 140] : [0, 120, 0];
          for (let dy = 0; dy < scale; dy++) {
            for (let dx = 0; dx < scale; dx++) {
              const y = pad + i * (tw + pad) + r * scale + dy;
              const x = pad + j * (tw + pad) + c * scale + dx;
              rgb.set(color, (y * width + x) * 3);
            }
          }
        }
      }
    }
  }
  return encodePng(rgb, width, height);
}
