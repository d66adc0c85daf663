/**
 * Entry of the self-contained `bench:gpu` bundle (bench/packGpu.mjs): a GPU machine without network or pnpm store
 * runs `node bench.mjs` from the packed folder. TensorFlow.js is bundled once; the wasm binaries sit beside the
 * bundle; `@tensorflow/tfjs-backend-webgpu` is bundled too and handed to dro-core's `registerWebGpu` through a
 * one-line package in the folder's node_modules (registerWebGpu imports it by name, after installing
 * navigator.gpu), so that both share the bundled tfjs-core.
 */
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

const here = dirname(fileURLToPath(import.meta.url));
setWasmPaths(`${here}/`);
// Reports land beside the bundle unless --out= says otherwise.
if (!process.argv.some((a) => a.startsWith('--out='))) process.argv.push(`--out=${here}/reports`);
(globalThis as Record<string, unknown>).__drojsBundledWebGpuBackend = () => import('@tensorflow/tfjs-backend-webgpu');
await import('./gpu.js');
