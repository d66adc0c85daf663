// End-to-end tests of the playground in a real headless Chromium (Debian's /usr/bin/chromium or $CHROMIUM, driven
// by playwright-core: no browser download). Serves dist/ with `vite preview` (run `vite build` first; the
// test:e2e script does), then: the page loads without console errors, a short training run moves accuracy above
// chance, certification finishes and draws its curve, SDM answers for a clicked image, the IV tab estimates, and
// the backend picker switches to webgl where the same run works. Writes screenshots at two widths and
// metrics.json (gzipped JavaScript, load time) into e2e/out/.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { preview } from 'vite';

const appDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(appDir, 'dist');
const outDir = join(appDir, 'e2e', 'out');
const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';
const LONG = 90_000;

let server;
let browser;
let page;
let url;
const consoleErrors = [];
const jsLoaded = new Set();
const otherLoaded = new Set();
const metrics = {};

before(async () => {
  assert.ok(existsSync(join(dist, 'index.html')), 'dist/index.html missing: run `vite build` first');
  assert.ok(existsSync(executablePath), `no Chromium at ${executablePath} (apt-get install chromium)`);
  mkdirSync(outDir, { recursive: true });
  server = await preview({
    root: appDir,
    logLevel: 'warn',
    preview: { host: '127.0.0.1', port: 4180, strictPort: false, open: false },
  });
  url = server.resolvedUrls.local[0];
  browser = await chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      // playwright launches with a fresh temporary profile (its own --user-data-dir).
      // WebGL without a GPU: ANGLE on SwiftShader (software), also inside workers (OffscreenCanvas).
      '--use-angle=swiftshader',
      '--enable-unsafe-swiftshader',
    ],
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  context.on('response', (r) => {
    const u = new URL(r.url());
    if (u.pathname.endsWith('.js')) jsLoaded.add(u.pathname.split('/').pop());
    else otherLoaded.add(u.pathname.replace(/^.*\/(assets|data)\//, '$1/'));
  });
  page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
});

after(async () => {
  await browser?.close();
  await new Promise((r) => (server ? server.httpServer.close(r) : r()));
  writeFileSync(join(outDir, 'metrics.json'), `${JSON.stringify(metrics, null, 1)}\n`);
  console.log(`metrics: ${JSON.stringify(metrics)}`);
});

async function waitReady(backend) {
  await page.waitForFunction(
    (b) => {
      const s = document.getElementById('backend-status');
      return s?.dataset.ready === 'true' && s.dataset.backend === b;
    },
    backend,
    { timeout: LONG },
  );
}

/** A short training run (3 epochs, 2,000 images, 40 % label noise, three losses); returns final accuracies. */
async function shortTraining() {
  await page.selectOption('#noise-rate', '0.4');
  await page.fill('#epochs', '3');
  await page.selectOption('#num-train', '2000');
  await page.click('#train-btn');
  await page.waitForSelector('#train-status[data-done="true"]', { timeout: LONG });
  return JSON.parse(await page.getAttribute('#train-status', 'data-final'));
}

/** Fraction of pixels differing from the top-left pixel and the number of distinct colours of a PNG. */
async function pngStats(png) {
  return page.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.width;
    c.height = img.height;
    const ctx = c.getContext('2d');
    ctx.drawImage(img, 0, 0);
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    const colours = new Set();
    let differ = 0;
    for (let i = 0; i < d.length; i += 4) {
      if (d[i] !== d[0] || d[i + 1] !== d[1] || d[i + 2] !== d[2]) differ++;
      if (colours.size < 5000) colours.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
    }
    return { width: c.width, height: c.height, nonBackground: differ / (d.length / 4), colours: colours.size };
  }, png.toString('base64'));
}

test('the page loads on wasm with no console errors', { timeout: LONG }, async () => {
  const t0 = Date.now();
  await page.goto(url);
  await waitReady('wasm');
  metrics.loadToReadySeconds = (Date.now() - t0) / 1000;
  metrics.domContentLoadedMs = await page.evaluate(() =>
    Math.round(performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd),
  );
  const status = await page.textContent('#backend-status');
  assert.match(status, /Running on wasm/);
  assert.match(status, /with \d+ dro-core fixes/);
  assert.match(await page.getAttribute('#backend-status', 'title'), /matmul-transpose/);
  // The webgpu option is offered only where the browser has navigator.gpu.
  const gpu = await page.evaluate(() => 'gpu' in navigator);
  assert.equal(await page.isDisabled('option[value="webgpu"]'), !gpu);
  assert.deepEqual(consoleErrors, []);
});

test('the JavaScript size budget is measured', () => {
  const assets = join(dist, 'assets');
  const gz = (f) => gzipSync(readFileSync(join(assets, f)), { level: 9 }).length;
  const all = readdirSync(assets).filter((f) => f.endsWith('.js'));
  const loaded = all.filter((f) => jsLoaded.has(f));
  assert.ok(
    loaded.some((f) => f.startsWith('index-')),
    `page script not seen among ${[...jsLoaded]}`,
  );
  assert.ok(
    loaded.some((f) => f.startsWith('worker-')),
    `worker script not seen among ${[...jsLoaded]}`,
  );
  metrics.jsGzipKiBLoadedOnWasm = Math.round(loaded.reduce((a, f) => a + gz(f), 0) / 1024);
  metrics.jsGzipKiBPageScript = Math.round(
    loaded.filter((f) => f.startsWith('index-')).reduce((a, f) => a + gz(f), 0) / 1024,
  );
  metrics.jsGzipKiBAll = Math.round(all.reduce((a, f) => a + gz(f), 0) / 1024);
  assert.ok(metrics.jsGzipKiBPageScript < metrics.jsGzipKiBLoadedOnWasm);
  // The wasm binary tfjs picked and the data files, as transferred (the .gz data files are already compressed).
  const wasm = [...otherLoaded].filter((f) => f.endsWith('.wasm'));
  assert.equal(wasm.length, 1, `wasm binaries loaded: ${wasm}`);
  metrics.wasmBinary = wasm[0].replace(/-[\w-]{8}\.wasm$/, '.wasm');
  metrics.wasmGzipKiB = Math.round(gz(wasm[0].slice('assets/'.length)) / 1024);
  const data = [...otherLoaded].filter((f) => f.startsWith('data/'));
  metrics.dataKiB = Math.round(data.reduce((a, f) => a + readFileSync(join(dist, f)).length, 0) / 1024);
});

test('a short training run moves clean test accuracy above chance for every loss', { timeout: LONG }, async () => {
  // Main-thread stalls while the worker trains (reported, not asserted: no timing assertions).
  await page.evaluate(() => {
    const w = window;
    w.__lag = { max: 0, last: performance.now() };
    w.__lagTimer = setInterval(() => {
      const now = performance.now();
      w.__lag.max = Math.max(w.__lag.max, now - w.__lag.last - 50);
      w.__lag.last = now;
    }, 50);
  });
  const acc = await shortTraining();
  metrics.maxMainThreadStallMsDuringTraining = Math.round(
    await page.evaluate(() => {
      clearInterval(window.__lagTimer);
      return window.__lag.max;
    }),
  );
  metrics.wasmAccuracyAfter3Epochs = acc;
  assert.deepEqual(Object.keys(acc).sort(), ['ALDR-KL', 'CE', 'LDR-KL']);
  for (const [loss, a] of Object.entries(acc))
    assert.ok(a > 0.2, `${loss}: accuracy ${a} not above twice chance (chance 0.1)`);
  // One line per loss in the chart, each with a point per epoch.
  const paths = await page.$$eval('#acc-chart path[data-series]', (ps) => ps.map((p) => p.getAttribute('d')));
  assert.equal(paths.length, 3);
  for (const d of paths) assert.equal((d.match(/[ML]/g) ?? []).length, 3);
});

test('certification finishes and draws the certified-accuracy curve', { timeout: LONG }, async () => {
  await page.fill('#cert-count', '5');
  await page.selectOption('#cert-samples', '200');
  await page.click('#cert-btn');
  await page.waitForSelector('#cert-status[data-done="true"]', { timeout: LONG });
  assert.equal(await page.$eval('#cert-progress', (p) => p.value), 1);
  assert.match(await page.textContent('#cert-status'), /Certified 5 images/);
  const d = await page.getAttribute('#cert-chart path[data-series]', 'd');
  assert.ok(d?.startsWith('M'), `no curve drawn: ${d}`);
});

test('SDM answers for a test image chosen with the keyboard', { timeout: LONG }, async () => {
  await page.click('#sdm-btn');
  await page.waitForSelector('#sdm-status[data-done="true"]', { timeout: LONG });
  // The status says whether SDM has a high-reliability region at α′ = 80 % (the default) and, if not, why.
  const sdmText = await page.textContent('#sdm-status');
  assert.match(sdmText, /calibrated on 2,000 images/);
  assert.match(sdmText, /(has a high-reliability region at α′ = 80 %|at α′ = 80 % it has no high-reliability region)/);
  await page.focus('#gallery button[data-index="3"]');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#sdm-answer[data-index="3"]', { timeout: LONG });
  const text = await page.textContent('#sdm-answer');
  assert.match(text, /(admitted|rejected)/);
  assert.match(text, /certified radius/);
  assert.match(text, /true class/);
  assert.equal(await page.getAttribute('#gallery button[data-index="3"]', 'aria-pressed'), 'true');
});

test('screenshots at a laptop and a phone width are not blank', { timeout: LONG }, async () => {
  for (const [name, width, height] of [
    ['laptop-1280', 1280, 900],
    ['phone-390', 390, 844],
  ]) {
    await page.setViewportSize({ width, height });
    await page.waitForTimeout(200);
    const png = await page.screenshot({ path: join(outDir, `playground-${name}.png`), fullPage: true });
    const s = await pngStats(png);
    assert.equal(s.width, width);
    assert.ok(s.nonBackground > 0.02, `${name}: only ${s.nonBackground} of the pixels differ from the background`);
    assert.ok(s.colours > 16, `${name}: ${s.colours} colours`);
    // Nothing wider than the viewport (readable without horizontal scrolling).
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1));
  }
  await page.setViewportSize({ width: 1024, height: 900 });
  await page.waitForTimeout(200);
  await page.screenshot({ path: join(outDir, 'playground-readme.png'), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });
});

test('a long certification can be aborted and the page recovers', { timeout: LONG }, async () => {
  await page.fill('#cert-count', '100');
  await page.selectOption('#cert-samples', '5000');
  await page.click('#cert-btn');
  await page.waitForFunction(() => document.getElementById('cert-progress').value > 0, null, { timeout: LONG });
  await page.click('#cert-abort');
  await page.waitForFunction(() => document.getElementById('cert-status').textContent === 'Stopped.', null, {
    timeout: LONG,
  });
  assert.ok((await page.$eval('#cert-progress', (p) => p.value)) < 1);
  assert.equal(await page.isEnabled('#cert-btn'), true);
  assert.equal(await page.isDisabled('#cert-abort'), true);
});

test('the IV tab opens with the keyboard and reproduces the Mroz 2SLS estimate', { timeout: LONG }, async () => {
  await page.focus('#tab-ldr');
  await page.keyboard.press('ArrowRight');
  assert.equal(await page.getAttribute('#tab-iv', 'aria-selected'), 'true');
  await page.waitForSelector('#iv-status[data-done="true"]', { timeout: LONG });
  const cells = await page.$$eval('#iv-table tbody tr', (rows) => rows.map((r) => r.children[1].textContent));
  assert.equal(cells.length, 3);
  // Wooldridge Example 15.5: 2SLS return to education 0.0614 (s.e. 0.0314); OLS 0.1075.
  assert.ok(Math.abs(Number(cells[1]) - 0.0614) < 5e-4, `2SLS ${cells[1]}`);
  assert.ok(Math.abs(Number(cells[0]) - 0.1075) < 5e-4, `OLS ${cells[0]}`);
  await page.screenshot({ path: join(outDir, 'playground-iv.png') });
  await page.keyboard.press('ArrowLeft');
});

test('the backend picker switches to webgl and the same run works', { timeout: LONG }, async () => {
  await page.selectOption('#backend', 'webgl');
  await waitReady('webgl');
  assert.match(await page.textContent('#backend-status'), /Running on webgl/);
  const acc = await shortTraining();
  metrics.webglAccuracyAfter3Epochs = acc;
  for (const [loss, a] of Object.entries(acc))
    assert.ok(a > 0.2, `webgl ${loss}: accuracy ${a} not above twice chance`);
  await page.fill('#cert-count', '3');
  await page.selectOption('#cert-samples', '200');
  await page.click('#cert-btn');
  await page.waitForSelector('#cert-status[data-done="true"]', { timeout: LONG });
  assert.deepEqual(consoleErrors, []);
});
