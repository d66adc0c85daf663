import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { binaryAbsentTest, nativeSetup } from './testKit.js';
import { nativeCallCount } from './wasmHeap.js';

// Its own file (own process): the wasm heap starts small, so the output below must grow it.
const status = await nativeSetup();

if (!status.loaded) {
  describe('heap growth', () => binaryAbsentTest(status, 'heapGrowth.test.ts'));
} else {
  describe('an output allocation that grows the wasm memory', () => {
    it('is written into the new heap (the buffer is taken after allocating), inputs read correctly', () => {
      const backend = tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } };
      const before = backend.wasm.HEAPU8.buffer;
      // An outer product whose output alone is larger than the whole current heap.
      const n = Math.ceil(Math.sqrt(before.byteLength / 4)) + 16;
      const av = Float32Array.from({ length: n }, (_, i) => (i % 97) - 48.5);
      const bv = Float32Array.from({ length: n }, (_, j) => ((j * 7) % 89) / 8 - 5);
      const a = tf.tensor2d(av, [n, 1]);
      const b = tf.tensor2d(bv, [1, n]);
      const calls = nativeCallCount();
      const c = tf.matMul(a, b);
      expect(nativeCallCount() - calls).toBe(1);
      expect(backend.wasm.HEAPU8.buffer).not.toBe(before);
      expect(before.byteLength).toBe(0); // the old buffer was detached by the growth
      const out = c.dataSync();
      let wrong = 0;
      for (let i = 0; i < n; i += 13) {
        for (let j = 0; j < n; j += 7) if (out[i * n + j] !== Math.fround(av[i]! * bv[j]!)) wrong++;
      }
      expect(wrong).toBe(0);
      tf.dispose([a, b, c]);
    });
  });
}
