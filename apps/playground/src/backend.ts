import { initBackend } from '@drojs/dro-core';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import * as tf from '@tensorflow/tfjs-core';
import type { BackendChoice } from './protocol.js';

/**
 * Starts the chosen tfjs backend inside the worker. wasm and cpu go through dro-core's `initBackend` (which applies
 * dro-core's wasm kernel fixes); webgl and webgpu are not dro-core backends, so their tfjs packages are loaded on
 * demand (separate chunks: the default wasm page never downloads them) and set directly.
 */
export async function startBackend(choice: BackendChoice): Promise<{ name: string; fixes: string[] }> {
  if (choice === 'wasm' || choice === 'cpu') {
    // Vite fingerprints the binaries; tfjs asks for them by file name.
    setWasmPaths({
      'tfjs-backend-wasm.wasm': wasmPlain,
      'tfjs-backend-wasm-simd.wasm': wasmSimd,
      'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded,
    });
    const info = await initBackend({ backend: choice });
    return { name: info.name, fixes: info.fixesApplied };
  }
  if (choice === 'webgl') await import('@tensorflow/tfjs-backend-webgl');
  else await import('@tensorflow/tfjs-backend-webgpu');
  if (!(await tf.setBackend(choice))) throw new Error(`this browser cannot start the ${choice} backend`);
  await tf.ready();
  return { name: tf.getBackend(), fixes: [] };
}
