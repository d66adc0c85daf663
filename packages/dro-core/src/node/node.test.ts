import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectDroError } from '../testing/index.js';
import { parseCsv, readIdx, writeFileAtomic } from './index.js';

describe('node helpers', () => {
  it('readIdx parses images and labels and rejects bad magic / truncation', () => {
    const img = new Uint8Array([0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 2, 9, 8, 7, 6]);
    expect(readIdx(img)).toEqual({ type: 'images', shape: [2, 1, 2], data: new Uint8Array([9, 8, 7, 6]) });
    expect(readIdx(new Uint8Array([0, 0, 8, 1, 0, 0, 0, 1, 5])).data).toEqual(new Uint8Array([5]));
    expectDroError(() => readIdx(new Uint8Array([0, 0, 9, 9, 0, 0, 0, 0])), 'E_SHAPE', 'bytes');
    expectDroError(() => readIdx(img.slice(0, 18)), 'E_SHAPE', 'bytes');
  });
  it('parseCsv splits header and rows', () => {
    expect(parseCsv('a,b\n1,2\n3,"4"\n', { header: true })).toEqual({
      header: ['a', 'b'],
      rows: [
        ['1', '2'],
        ['3', '4'],
      ],
    });
  });
  it('writeFileAtomic leaves only the final file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'drojs-'));
    writeFileAtomic(join(dir, 'x.json'), '{"a":1}');
    writeFileAtomic(join(dir, 'x.json'), '{"a":2}');
    expect(readFileSync(join(dir, 'x.json'), 'utf8')).toBe('{"a":2}');
    expect(readdirSync(dir)).toEqual(['x.json']);
    expectDroError(() => writeFileAtomic(join(dir, 'missing', 'y'), 'z'), 'E_IO', 'path');
  });
});
