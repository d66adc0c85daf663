import { defineConfig } from 'tsup';

const entry = { index: 'src/index.ts', node: 'src/node.ts' };
export default defineConfig({ entry, format: ['esm', 'cjs'], dts: { entry }, clean: true, sourcemap: true, target: 'es2022' });
