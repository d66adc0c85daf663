import { defineConfig } from 'tsup';

const entry = { index: 'src/index.ts', node: 'src/node.ts' };
// shims: the CJS build gets an import.meta.url shim, which the loader uses to find the vendored data.
export default defineConfig({
  entry,
  format: ['esm', 'cjs'],
  dts: { entry },
  clean: true,
  sourcemap: true,
  target: 'es2022',
  shims: true,
});
