// The playground page: controls, charts and the Web Worker that does the work (worker.ts). Nothing here touches
// tensors, so the page's own script stays small and responsive while the worker trains.
import './style.css';
import type { BackendChoice, FromWorker, LossName, SdmAnswer, ToWorker } from './protocol.js';
import { drawChart, drawLegend, type Series } from './ui/chart.js';
import { $, fillTable, int, LOSS_STYLE, num, pct, secs } from './ui/format.js';
import { setupIvTab } from './ui/ivView.js';
import { renderGallery, renderSdmAnswer } from './ui/sdmView.js';
import { setupTabs } from './ui/tabs.js';

const backendSelect = $<HTMLSelectElement>('backend');
const backendStatus = $('backend-status');
const trainBtn = $<HTMLButtonElement>('train-btn');
const stopBtn = $<HTMLButtonElement>('stop-btn');
const certBtn = $<HTMLButtonElement>('cert-btn');
const certAbort = $<HTMLButtonElement>('cert-abort');
const sdmBtn = $<HTMLButtonElement>('sdm-btn');
const certModel = $<HTMLSelectElement>('cert-model');
const trainStatus = $('train-status');
const certStatus = $('cert-status');
const sdmStatus = $('sdm-status');
const trainProgress = $<HTMLProgressElement>('train-progress');
const certProgress = $<HTMLProgressElement>('cert-progress');

let worker: Worker | undefined;
let busy = false;
let classNames: string[] = [];
let curves = new Map<LossName, { epoch: number; accuracy: number; trainLoss: number }[]>();
let plannedEpochs = 1;
let trainedLosses: LossName[] = [];
let sdmFitted = false;
let selectedImage = -1;
let largestAlpha: number | null = null;
const largestBtn = $<HTMLButtonElement>('sdm-largest');
const iv = setupIvTab((m) => send(m));

function send(m: ToWorker): void {
  worker?.postMessage(m);
}

/** Enables the buttons that make sense in the current state. */
function refresh(): void {
  const ready = backendStatus.dataset.ready === 'true';
  trainBtn.disabled = !ready || busy;
  stopBtn.disabled = !busy;
  certBtn.disabled = !ready || busy || trainedLosses.length === 0;
  certAbort.disabled = !busy;
  sdmBtn.disabled = !ready || busy || trainedLosses.length === 0;
  largestBtn.disabled = busy || !sdmFitted;
  sdmBtn.textContent = `Fit SDM on the ${certModel.value || 'trained'} model`;
  for (const b of document.querySelectorAll<HTMLButtonElement>('#gallery button')) b.disabled = !sdmFitted || busy;
  iv.setEnabled(ready && !busy);
}

function setBusy(b: boolean): void {
  busy = b;
  refresh();
}

function drawAccuracy(): void {
  const series: Series[] = [...curves.entries()].map(([loss, pts]) => ({
    name: loss,
    ...LOSS_STYLE[loss],
    points: pts.map((p) => ({ x: p.epoch, y: p.accuracy })),
  }));
  drawLegend($('acc-legend'), series);
  const maxEpoch = Math.max(plannedEpochs, 1);
  const step = Math.max(1, Math.ceil(maxEpoch / 10));
  drawChart($('acc-chart') as unknown as SVGSVGElement, {
    title: 'Clean test accuracy per epoch for each loss',
    xLabel: 'epoch',
    yLabel: 'test accuracy (%)',
    xDomain: [0, maxEpoch],
    yDomain: [0, 1],
    xTicks: Array.from({ length: Math.floor(maxEpoch / step) + 1 }, (_, i) => i * step),
    yTicks: [0, 0.2, 0.4, 0.6, 0.8, 1],
    formatX: (v) => String(v),
    formatY: (v) => `${Math.round(100 * v)}`,
    series,
    reference: { y: 0.1, label: 'chance 10 %' },
  });
  const losses = [...curves.keys()];
  const rows = Array.from({ length: Math.max(0, ...[...curves.values()].map((c) => c.length)) }, (_, e) => [
    String(e + 1),
    ...losses.map((l) => {
      const p = curves.get(l)?.[e];
      return p ? `${pct(p.accuracy)} (loss ${num(p.trainLoss)})` : '';
    }),
  ]);
  fillTable($<HTMLTableElement>('acc-table'), ['epoch', ...losses.map((l) => `${l} accuracy (train loss)`)], rows);
}

function drawCertified(curve: { radius: number[]; accuracy: number[] }, sigma: number, loss: string): void {
  const maxR = Math.max(0.5, Math.ceil(((curve.radius.at(-1) ?? 0) + 0.05) * 4) / 4);
  const ticks = Array.from({ length: Math.round(maxR / 0.25) + 1 }, (_, i) => i * 0.25);
  drawChart($('cert-chart') as unknown as SVGSVGElement, {
    title: `Certified accuracy against L2 radius, ${loss} model, sigma ${sigma}`,
    xLabel: 'L2 radius r (pixel values on a 0–1 scale)',
    yLabel: 'certified accuracy (%)',
    xDomain: [0, maxR],
    yDomain: [0, 1],
    xTicks: ticks,
    yTicks: [0, 0.2, 0.4, 0.6, 0.8, 1],
    formatX: (v) => v.toFixed(2),
    formatY: (v) => `${Math.round(100 * v)}`,
    series: [
      {
        name: `${loss}, σ = ${sigma}`,
        ...LOSS_STYLE[loss as LossName],
        step: true,
        points: curve.radius.map((r, i) => ({ x: r, y: curve.accuracy[i]! })),
      },
    ],
  });
}

function onMessage(m: FromWorker): void {
  switch (m.type) {
    case 'ready': {
      classNames = m.classNames;
      backendStatus.textContent = `Running on ${m.backend}${m.fixes.length ? ` with ${m.fixes.length} dro-core fixes` : ''} · ready in ${secs(m.seconds)}`;
      backendStatus.title = m.fixes.length ? `dro-core fixes applied: ${m.fixes.join(', ')}` : '';
      backendStatus.dataset.backend = m.backend;
      backendStatus.dataset.ready = 'true';
      renderGallery($('gallery'), m.gallery, classNames, (i) => {
        selectedImage = i;
        $('sdm-answer').textContent = `Checking test image ${i}…`;
        setBusy(true);
        send({
          type: 'inspect',
          loss: certModel.value as LossName,
          index: i,
          sigma: Number($<HTMLSelectElement>('cert-sigma').value),
          numSamples: 1000,
        });
      });
      refresh();
      break;
    }
    case 'epoch': {
      const c = curves.get(m.loss) ?? [];
      c.push({ epoch: m.epoch, accuracy: m.accuracy, trainLoss: m.trainLoss });
      curves.set(m.loss, c);
      const done = [...curves.values()].reduce((a, v) => a + v.length, 0);
      trainProgress.value = done / (plannedEpochs * curves.size || 1);
      trainStatus.textContent = `${m.loss} epoch ${m.epoch}: test accuracy ${pct(m.accuracy)} · ${secs(m.seconds)} elapsed`;
      drawAccuracy();
      break;
    }
    case 'trained': {
      trainedLosses = [...curves.keys()];
      certModel.replaceChildren(
        ...trainedLosses.map((l) => Object.assign(document.createElement('option'), { value: l, textContent: l })),
      );
      const last = trainedLosses.map((l) => `${l} ${pct(curves.get(l)?.at(-1)?.accuracy ?? 0)}`).join(', ');
      trainStatus.textContent = `Done in ${secs(m.seconds)}; ${pct(m.actualNoise)} of training labels were changed. Final test accuracy: ${last}.`;
      trainStatus.dataset.final = JSON.stringify(
        Object.fromEntries(trainedLosses.map((l) => [l, curves.get(l)?.at(-1)?.accuracy ?? 0])),
      );
      trainStatus.dataset.done = 'true';
      trainProgress.value = 1;
      sdmFitted = false;
      setBusy(false);
      break;
    }
    case 'certify-progress':
      certProgress.value = m.done / m.total;
      certStatus.textContent = `Certifying: ${m.done.toFixed(1)} of ${m.total} images`;
      break;
    case 'certified': {
      const sigma = Number($<HTMLSelectElement>('cert-sigma').value);
      drawCertified(m.curve, sigma, certModel.value);
      const correct = m.records.filter((r) => r.prediction === r.label).length;
      const abstain = m.records.filter((r) => r.prediction < 0).length;
      const radii = m.records.filter((r) => r.prediction === r.label).map((r) => r.radius);
      const acr = radii.reduce((a, b) => a + b, 0) / m.records.length;
      certStatus.textContent = `Certified ${m.records.length} images in ${secs(m.seconds)}: ${correct} correct, ${abstain} abstained; average certified radius ${num(acr)} (L2).`;
      certStatus.dataset.done = 'true';
      certProgress.value = 1;
      setBusy(false);
      break;
    }
    case 'sdm-ready': {
      sdmFitted = true;
      const r = m.region;
      const cls = (k: number) => classNames[k] ?? String(k);
      const a = pct(r.alpha, Number.isInteger(Math.round(r.alpha * 1e6) / 1e4) ? 0 : 1);
      const region = r.found
        ? `it has a high-reliability region at α′ = ${a}`
        : `at α′ = ${a} it has no high-reliability region, so it admits nothing (deciding class: ${cls(r.bindingClass)}, best ψ ${num(r.minPsi, 2)}; ${
            r.largestAlpha === null
              ? 'no α′ above 50 % has a region'
              : `the largest α′ with a region is ${pct(r.largestAlpha)}`
          })`;
      sdmStatus.textContent = `SDM on the ${m.loss} model, calibrated on ${int(m.poolSize)} images the network never saw (${secs(m.seconds)}): ${region}. Choose a test image.`;
      sdmStatus.dataset.done = 'true';
      sdmStatus.dataset.region = String(r.found);
      // Offer the largest α′ at which SDM has a region, so the page can show admissions too.
      largestAlpha = !r.found && r.largestAlpha !== null ? r.largestAlpha : null;
      largestBtn.hidden = largestAlpha === null;
      if (largestAlpha !== null)
        largestBtn.textContent = `Recalibrate at α′ = ${pct(largestAlpha)}, the largest with a region`;
      setBusy(false);
      break;
    }
    case 'inspected':
      renderSdmAnswer($('sdm-answer'), m.answer as SdmAnswer, classNames);
      document
        .querySelectorAll<HTMLButtonElement>('#gallery button')
        .forEach((b) => b.setAttribute('aria-pressed', String(Number(b.dataset.index) === selectedImage)));
      setBusy(false);
      break;
    case 'iv-result':
      iv.show(m.answer);
      break;
    case 'aborted':
      for (const s of [trainStatus, certStatus, sdmStatus])
        if (s.dataset.running === m.what) s.textContent = 'Stopped.';
      if (m.what === 'train') trainedLosses = [];
      setBusy(false);
      break;
    case 'error':
      console.warn(`worker: ${m.message}`);
      for (const s of [trainStatus, certStatus, sdmStatus]) s.dataset.running = '';
      backendStatus.classList.add('error');
      backendStatus.textContent = `Error: ${m.message}`;
      setBusy(false);
      break;
  }
}

/** (Re)starts the worker on a backend: a fresh worker per backend, so no tensor outlives its backend. */
function start(choice: BackendChoice): void {
  worker?.terminate();
  curves = new Map();
  trainedLosses = [];
  sdmFitted = false;
  busy = false;
  backendStatus.dataset.ready = 'false';
  backendStatus.dataset.backend = '';
  backendStatus.classList.remove('error');
  backendStatus.textContent = `Starting ${choice}…`;
  for (const s of [trainStatus, certStatus, sdmStatus]) {
    s.textContent = '';
    delete s.dataset.done;
  }
  $('acc-chart').replaceChildren();
  $('cert-chart').replaceChildren();
  $('sdm-answer').replaceChildren();
  certModel.replaceChildren();
  largestBtn.hidden = true;
  refresh();
  worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
  worker.onmessage = (e: MessageEvent<FromWorker>) => onMessage(e.data);
  worker.onerror = (e) => onMessage({ type: 'error', message: e.message || 'the worker failed to start' });
  send({ type: 'init', backend: choice, dataUrl: new URL('data/', document.baseURI).href });
}

// WebGPU only where the browser offers it.
const webgpuOption = backendSelect.querySelector<HTMLOptionElement>('option[value="webgpu"]')!;
if (!('gpu' in navigator)) {
  webgpuOption.disabled = true;
  webgpuOption.textContent = 'webgpu (not offered by this browser)';
}
backendSelect.addEventListener('change', () => start(backendSelect.value as BackendChoice));

$<HTMLFormElement>('train-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const losses = [...document.querySelectorAll<HTMLInputElement>('input[name="loss"]:checked')].map(
    (c) => c.value as LossName,
  );
  if (losses.length === 0) {
    trainStatus.textContent = 'Choose at least one loss.';
    return;
  }
  plannedEpochs = Math.max(1, Math.min(40, Math.round(Number($<HTMLInputElement>('epochs').value) || 1)));
  const numTrain = Number($<HTMLSelectElement>('num-train').value);
  curves = new Map(losses.map((l) => [l, []]));
  trainedLosses = [];
  sdmFitted = false;
  trainProgress.value = 0;
  delete trainStatus.dataset.done;
  trainStatus.dataset.running = 'train';
  trainStatus.textContent = `Training ${losses.join(', ')} on ${int(numTrain)} images…`;
  drawAccuracy();
  setBusy(true);
  send({
    type: 'train',
    request: {
      losses,
      noiseRate: Number($<HTMLSelectElement>('noise-rate').value),
      epochs: plannedEpochs,
      numTrain,
      trainSigma: Number($<HTMLSelectElement>('train-sigma').value),
      seed: 0,
    },
  });
});

$<HTMLFormElement>('cert-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const numImages = Math.max(2, Math.min(100, Math.round(Number($<HTMLInputElement>('cert-count').value) || 2)));
  certProgress.value = 0;
  delete certStatus.dataset.done;
  certStatus.dataset.running = 'certify';
  certStatus.textContent = `Certifying ${numImages} images…`;
  setBusy(true);
  send({
    type: 'certify',
    request: {
      loss: certModel.value as LossName,
      sigma: Number($<HTMLSelectElement>('cert-sigma').value),
      numImages,
      numSamples: Number($<HTMLSelectElement>('cert-samples').value),
      seed: 0,
    },
  });
});

const abort = () => send({ type: 'abort' });
stopBtn.addEventListener('click', abort);
certAbort.addEventListener('click', abort);
certModel.addEventListener('change', () => {
  sdmFitted = false;
  refresh();
});

sdmBtn.addEventListener('click', () => {
  delete sdmStatus.dataset.done;
  sdmStatus.dataset.running = 'fit-sdm';
  largestBtn.hidden = true;
  sdmStatus.textContent = `Fitting SDM on the ${certModel.value} model…`;
  setBusy(true);
  send({ type: 'fit-sdm', loss: certModel.value as LossName, alpha: Number($<HTMLSelectElement>('sdm-alpha').value) });
});

largestBtn.addEventListener('click', () => {
  if (largestAlpha === null || busy) return;
  const select = $<HTMLSelectElement>('sdm-alpha');
  const value = String(largestAlpha);
  if (![...select.options].some((o) => o.value === value))
    select.append(Object.assign(document.createElement('option'), { value, textContent: pct(largestAlpha) }));
  select.value = value;
  largestBtn.hidden = true;
  delete sdmStatus.dataset.done;
  setBusy(true);
  send({ type: 'recalibrate', alpha: largestAlpha });
});

$<HTMLSelectElement>('sdm-alpha').addEventListener('change', () => {
  if (!sdmFitted || busy) return;
  delete sdmStatus.dataset.done;
  setBusy(true);
  send({ type: 'recalibrate', alpha: Number($<HTMLSelectElement>('sdm-alpha').value) });
});

setupTabs();
drawAccuracy();
start('wasm');
