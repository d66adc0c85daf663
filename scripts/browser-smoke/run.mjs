#!/usr/bin/env node
// Browser smoke test: bundles scripts/browser-smoke/entry.ts for the browser with esbuild, serves it on
// 127.0.0.1 with the wasm binaries, loads it in headless Chromium (Debian's /usr/bin/chromium, or $CHROMIUM)
// and checks the page's result: robustLoss value and gradient on the cpu and wasm backends (wasm fixes
// applied), a host solve and label noise. Needs `pnpm build` first. Exits 1 on failure; prints a skip
// message and exits 0 when no Chromium is installed.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const chromium = process.env.CHROMIUM ?? '/usr/bin/chromium';
if (!existsSync(chromium)) {
  console.log(`browser smoke test skipped: no Chromium at ${chromium} (apt-get install chromium)`);
  process.exit(0);
}
// Resolve packages the way an app depending on them would (the group-dro example depends on both).
const appDir = join(root, 'examples', 'group-dro');
const req = createRequire(join(appDir, 'package.json'));
const esbuild = createRequire(req.resolve('tsup')).resolve('esbuild');
const { build } = await import(esbuild);
const out = mkdtempSync(join(tmpdir(), 'drojs-browser-'));
await build({
  entryPoints: [join(here, 'entry.ts')],
  bundle: true,
  format: 'esm',
  platform: 'browser',
  outfile: join(out, 'bundle.js'),
  nodePaths: [join(appDir, 'node_modules'), join(root, 'node_modules')],
  logLevel: 'warning',
});
const wasmDir = dirname(req.resolve('@tensorflow/tfjs-backend-wasm/package.json').replace(/package\.json$/, 'dist/x'));
for (const f of readdirSync(wasmDir)) if (f.endsWith('.wasm')) copyFileSync(join(wasmDir, f), join(out, f));
const html = '<!doctype html><html><body>loading<script type="module" src="bundle.js"></script></body></html>';
const types = { '.js': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html' };
const server = createServer((rq, rs) => {
  const name = rq.url === '/' ? 'index.html' : (rq.url ?? '').slice(1).split('?')[0];
  if (name === 'index.html') return rs.writeHead(200, { 'content-type': 'text/html' }).end(html);
  const file = join(out, name);
  if (!name || name.includes('..') || !existsSync(file)) return rs.writeHead(404).end();
  rs.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const url = `http://127.0.0.1:${server.address().port}/`;
let dom = '';
try {
  dom = await new Promise((resolve, reject) => {
    import('node:child_process').then(({ execFile }) =>
      execFile(
        chromium,
        [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          `--user-data-dir=${mkdtempSync(join(tmpdir(), 'chromium-'))}`,
          '--virtual-time-budget=30000',
          '--dump-dom',
          url,
        ],
        { timeout: 120_000, maxBuffer: 1 << 20 },
        (err, stdout) => (err ? reject(err) : resolve(stdout)),
      ),
    );
  });
} finally {
  server.close();
}
const m = /RESULT (\{.*\})/.exec(dom);
if (!m) {
  console.log(`browser smoke test FAILED: ${dom.replace(/<[^>]+>/g, '').slice(0, 2000)}`);
  process.exit(1);
}
const r = JSON.parse(m[1]);
const close = (a, b) => Math.abs(a - b) <= 1e-5 + 1e-4 * Math.abs(b);
const expectedGrad = [0, 1 / 6, 0, 5 / 12, 5 / 12, 0, 0, 0]; // CVaR α=0.3 on basic8: weights of the top losses
const problems = [];
for (const b of ['cpu', 'wasm']) {
  if (r[b]?.name !== b) problems.push(`${b}: backend ${r[b]?.name}`);
  if (!close(r[b]?.value, 2.385417)) problems.push(`${b}: value ${r[b]?.value}`);
  expectedGrad.forEach((g, i) => close(r[b]?.grad?.[i], g) || problems.push(`${b}: grad[${i}] ${r[b]?.grad?.[i]}`));
}
if (!r.wasm?.fixes?.includes('matmul-transpose')) problems.push('wasm fixes not applied');
if (!(r.noise > 0.2 && r.noise < 0.6)) problems.push(`label noise rate ${r.noise}`);
console.log(`browser (${execFileSync(chromium, ['--version']).toString().trim()}): ${JSON.stringify(r)}`);
if (problems.length) {
  console.log(`browser smoke test FAILED: ${problems.join('; ')}`);
  process.exit(1);
}
console.log('browser smoke test passed: robustLoss value and gradient on cpu and wasm, host solver, label noise');
