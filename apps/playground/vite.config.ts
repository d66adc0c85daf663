// Vite config of the playground: a static site whose heavy work runs in a module Web Worker. The data files
// (the vendored Fashion-MNIST subset of @drojs/datasets and the Mroz extract of the iv-mroz example) are not
// copied into the repository a second time: this plugin serves them in dev and emits them into dist/data/.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const fmnistDir = join(dirname(require.resolve('@drojs/datasets/package.json')), 'data', 'fashion-mnist-subset');
const mrozFile = join(here, '..', '..', 'examples', 'iv-mroz', 'data', 'mroz-inlf.csv');

/** Files served under /data/: name → absolute path. */
function dataFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const f of readdirSync(fmnistDir)) if (f.endsWith('.gz')) files.set(f, join(fmnistDir, f));
  files.set('mroz-inlf.csv', mrozFile);
  return files;
}

function dataPlugin(): Plugin {
  return {
    name: 'drojs-playground-data',
    configureServer(server) {
      const files = dataFiles();
      server.middlewares.use((req, res, next) => {
        const m = /\/data\/([\w.-]+)$/.exec(req.url?.split('?')[0] ?? '');
        const file = m ? files.get(m[1]!) : undefined;
        if (!file) return next();
        res.setHeader('content-type', 'application/octet-stream');
        res.end(readFileSync(file));
      });
    },
    generateBundle() {
      for (const [name, file] of dataFiles()) {
        this.emitFile({ type: 'asset', fileName: `data/${name}`, source: readFileSync(file) });
      }
    },
  };
}

export default defineConfig({
  base: './',
  plugins: [dataPlugin()],
  worker: { format: 'es' },
  build: { target: 'es2022', chunkSizeWarningLimit: 4000, reportCompressedSize: false },
  preview: { host: '127.0.0.1', port: 4173 },
});
