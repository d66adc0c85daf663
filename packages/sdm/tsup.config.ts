import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', legacy: 'src/legacy/index.ts', conformance: 'src/conformance.ts' },
  format: ['esm', 'cjs'],
  dts: { entry: { index: 'src/index.ts', legacy: 'src/legacy/index.ts' } },
  clean: true,
  sourcemap: true,
  target: 'es2022',
});
