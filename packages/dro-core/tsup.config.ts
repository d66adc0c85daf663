import { defineConfig } from 'tsup';

const entry = {
  index: 'src/index.ts',
  host: 'src/host.ts',
  'conformanceKit/index': 'src/conformanceKit/index.ts',
  'testing/index': 'src/testing/index.ts',
  'node/index': 'src/node/index.ts',
  'webgpu/index': 'src/webgpu/index.ts',
};

export default defineConfig({
  entry: { ...entry, conformance: 'src/conformance.ts' },
  format: ['esm', 'cjs'],
  dts: { entry },
  clean: true,
  sourcemap: true,
  target: 'es2022',
  external: ['webgpu', '@tensorflow/tfjs-backend-webgpu', '@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu'],
});
