import type { SdmAnswer } from '../protocol.js';
import { num, pct } from './format.js';

/** Thumbnails of the first test images as buttons (keyboard-usable); `onPick(index)` when one is chosen. */
export function renderGallery(
  container: HTMLElement,
  gallery: { pixels: number[]; labels: number[]; count: number },
  classNames: string[],
  onPick: (index: number) => void,
): void {
  // Keep the fieldset's legend; replace the thumbnails.
  for (const b of container.querySelectorAll('button')) b.remove();
  for (let i = 0; i < gallery.count; i++) {
    const b = document.createElement('button');
    b.type = 'button';
    b.dataset.index = String(i);
    b.disabled = true;
    b.setAttribute('aria-pressed', 'false');
    const name = classNames[gallery.labels[i]!] ?? String(gallery.labels[i]);
    b.setAttribute('aria-label', `test image ${i}, a ${name}`);
    const c = document.createElement('canvas');
    c.width = 28;
    c.height = 28;
    const ctx = c.getContext('2d');
    if (ctx) {
      const img = ctx.createImageData(28, 28);
      for (let p = 0; p < 784; p++) {
        // Dark garment on a light background reads better on a white page.
        const v = 255 - gallery.pixels[i * 784 + p]!;
        img.data.set([v, v, v, 255], p * 4);
      }
      ctx.putImageData(img, 0, 0);
    }
    const caption = document.createElement('span');
    caption.textContent = `#${i}`;
    b.append(c, caption);
    b.addEventListener('click', () => onPick(i));
    container.append(b);
  }
}

/** Why SDM admitted or rejected its prediction, in words (the tests of SDM's high-reliability region). */
export function reasonOf(a: SdmAnswer): string {
  const region = `q′ ≥ ${num(a.qPrimeMin, 2)} and lower SDM probability ≥ ${pct(a.threshold)}`;
  const mine = `q′ = ${num(a.qPrimeLower, 2)}, lower SDM probability ${pct(a.sdmProbLower)}`;
  if (a.admitted)
    return `admitted: inside the high-reliability region calibrated for ${pct(a.alpha, 0)} accuracy (${mine}; region: ${region})`;
  if (!a.regionFound)
    return `rejected: no region reaches ${pct(a.alpha, 0)} accuracy on the calibration images, so SDM admits nothing`;
  switch (a.reliability) {
    case 'ood':
      return a.q === 0
        ? 'rejected as out of distribution: its nearest training exemplar has another class (q = 0)'
        : 'rejected as out of distribution: it is farther from the training exemplars than the calibration images';
    case 'insufficient-evidence':
      return 'rejected: too little calibration evidence near it (the lower distance bound is 0), not out of distribution';
    case 'no-support':
      return 'rejected: its nearest training exemplars do not back this prediction (q = 0)';
    case 'near-chance':
      return `rejected: its lower SDM probability ${pct(a.sdmProbLower)} is near chance`;
    default:
      return `rejected: outside the high-reliability region (${mine}; region: ${region})`;
  }
}

export function renderSdmAnswer(container: HTMLElement, a: SdmAnswer, classNames: string[]): void {
  container.replaceChildren();
  container.dataset.index = String(a.index);
  container.dataset.admitted = String(a.admitted);
  const h = document.createElement('h3');
  h.textContent = `Test image #${a.index}`;
  const dl = document.createElement('dl');
  const row = (term: string, value: string, cls?: string) => {
    const dt = document.createElement('dt');
    dt.textContent = term;
    const dd = document.createElement('dd');
    dd.textContent = value;
    if (cls) dd.className = cls;
    dl.append(dt, dd);
  };
  const name = (k: number) => (k < 0 ? 'abstain' : (classNames[k] ?? String(k)));
  row('true class', name(a.label));
  const verdict = (k: number) => (k === a.label ? 'correct' : 'wrong');
  row('network predicts', `${name(a.modelPrediction)} (softmax ${pct(a.modelProb)}), ${verdict(a.modelPrediction)}`);
  row('SDM predicts', `${name(a.prediction)}, ${verdict(a.prediction)}`);
  row('SDM', reasonOf(a), a.admitted ? 'verdict-yes' : 'verdict-no');
  row('similarity q', `${a.q} agreeing nearest exemplars`);
  row('distance quantile d', `${num(a.d)} (0 = as close as calibration images, 1 = farther than all)`);
  row(
    'certified radius',
    a.certified.prediction < 0
      ? `none: the smoothed classifier abstains (${a.certified.samples} samples, ${a.certified.seconds.toFixed(1)} s)`
      : `${num(a.certified.radius)} in L2 (pixels 0–1) for ${name(a.certified.prediction)} (${a.certified.samples} samples, ${a.certified.seconds.toFixed(1)} s)`,
  );
  container.append(h, dl);
}
