// `pnpm --filter @drojs/example-kit shots [example…]`: renders every examples/<name>/out/*.svg in headless
// Chromium to reports/demo/png/<name>--<file>.png and prints each one's size and pixel statistics, flagging blank
// renders. For looking at the plots a demo run made (the tests cover each plot kind on fixed data).
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodePng, launchChromium, pixelStats } from '../../test/chromium.js';

const rootDir = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..', '..', '..');
const examplesDir = join(rootDir, 'examples');
const pngDir = join(rootDir, 'reports', 'demo', 'png');
mkdirSync(pngDir, { recursive: true });
const wanted = process.argv.slice(2);
const names = (wanted.length ? wanted : readdirSync(examplesDir)).sort();
const browser = await launchChromium();
let blank = 0;
try {
  for (const name of names) {
    let files: string[];
    try {
      files = readdirSync(join(examplesDir, name, 'out')).filter((f) => f.endsWith('.svg'));
    } catch {
      continue;
    }
    for (const f of files) {
      const svgPath = join(examplesDir, name, 'out', f);
      const m = /<svg[^>]*width="([\d.]+)[^"]*"[^>]*height="([\d.]+)/.exec(readFileSync(svgPath, 'utf8'));
      const width = Math.ceil(Number(m?.[1] ?? 800));
      const height = Math.ceil(Number(m?.[2] ?? 600));
      const page = await browser.newPage({ viewport: { width, height } });
      await page.goto(`file://${svgPath}`);
      const out = join(pngDir, `${name}--${f.replace(/\.svg$/, '.png')}`);
      const s = pixelStats(decodePng(await page.screenshot({ path: out })));
      await page.close();
      const isBlank = s.inkFraction < 0.01 || s.colours < 3;
      if (isBlank) blank++;
      console.log(
        `${isBlank ? 'BLANK' : 'ok   '} ${name}/out/${f} ${width}×${height} ink ${(100 * s.inkFraction).toFixed(1)}% colours ${s.colours} → ${out}`,
      );
    }
  }
} finally {
  await browser.close();
}
process.exitCode = blank > 0 ? 1 : 0;
