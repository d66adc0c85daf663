// The playground's Web Worker: everything with tensors runs here so the page stays responsive. It answers the
// messages of protocol.ts one at a time; 'abort' cancels the running job through an AbortSignal.
import { FASHION_MNIST_CLASSES } from '@drojs/datasets';
import { DroError } from '@drojs/dro-core';
import type { SdmEstimator } from '@drojs/sdm';
import { startBackend } from './backend.js';
import { type CertRecordLite, certifiedIndices, certifyOne, curveOf } from './certification.js';
import { loadFashionMnistSubset, type Split } from './data.js';
import { ivCompare, type Mroz, parseMroz } from './ivMroz.js';
import type { FromWorker, LossName, ToWorker } from './protocol.js';
import { NUM_EVAL, type TrainedSet, trainAll } from './training.js';
import { fitSdm, regionAt, sdmVerdict } from './verification.js';

const ctx = self as unknown as {
  postMessage(m: FromWorker): void;
  onmessage: ((e: MessageEvent<ToWorker>) => void) | null;
};
const post = (m: FromWorker) => ctx.postMessage(m);

let data: { train: Split; test: Split } | undefined;
let dataUrl = '';
let trained: TrainedSet | undefined;
let trainSeed = 0;
let sdm: { loss: LossName; estimator: SdmEstimator; poolSize: number } | undefined;
let mroz: Mroz | undefined;
let controller = new AbortController();
const seconds = (t0: number) => (performance.now() - t0) / 1000;

function disposeAll(): void {
  sdm?.estimator.dispose();
  sdm = undefined;
  if (trained) for (const m of trained.models.values()) m.dispose();
  trained = undefined;
}

function modelOf(loss: LossName) {
  const m = trained?.models.get(loss);
  if (!m) throw new Error(`no trained ${loss} model: train first`);
  return m;
}

async function handle(msg: ToWorker): Promise<void> {
  const t0 = performance.now();
  const signal = controller.signal;
  switch (msg.type) {
    case 'init': {
      dataUrl = msg.dataUrl;
      const backend = await startBackend(msg.backend);
      data = await loadFashionMnistSubset(dataUrl);
      const count = 24;
      const pixels = Array.from(data.test.bytes.subarray(0, count * 784));
      post({
        type: 'ready',
        backend: backend.name,
        fixes: backend.fixes,
        numTrainAvailable: data.train.n - 1000,
        classNames: [...FASHION_MNIST_CLASSES],
        numTest: Math.min(NUM_EVAL, data.test.n),
        gallery: { pixels, labels: Array.from(data.test.labels.subarray(0, count)), count },
        seconds: seconds(t0),
      });
      return;
    }
    case 'train': {
      if (!data) throw new Error('not initialised');
      disposeAll();
      trainSeed = msg.request.seed;
      trained = await trainAll(data.train, data.test, msg.request, signal, (loss, epoch, accuracy, trainLoss) =>
        post({ type: 'epoch', loss, epoch, accuracy, trainLoss, seconds: seconds(t0) }),
      );
      post({ type: 'trained', actualNoise: trained.actualNoise, seconds: seconds(t0) });
      return;
    }
    case 'certify': {
      if (!data) throw new Error('not initialised');
      const r = msg.request;
      const model = modelOf(r.loss);
      const indices = certifiedIndices(r.numImages);
      const records: CertRecordLite[] = [];
      let lastPost = 0;
      for (let k = 0; k < indices.length; k++) {
        const i = indices[k]!;
        const c = await certifyOne(model, data.test, i, {
          sigma: r.sigma,
          numSamples: r.numSamples,
          seed: r.seed,
          signal,
          onProgress: (f) => {
            const now = performance.now();
            if (now - lastPost > 100) {
              lastPost = now;
              post({ type: 'certify-progress', done: k + f, total: indices.length });
            }
          },
        });
        records.push({ label: data.test.labels[i]!, prediction: c.prediction, radius: c.radius });
        post({ type: 'certify-progress', done: k + 1, total: indices.length });
      }
      post({ type: 'certified', records, curve: curveOf(records), seconds: seconds(t0) });
      return;
    }
    case 'fit-sdm': {
      if (!data || !trained) throw new Error('train first');
      sdm?.estimator.dispose();
      sdm = undefined;
      const fit = await fitSdm(modelOf(msg.loss), data.train, trained.heldOut, data.test, {
        alpha: msg.alpha,
        seed: trainSeed,
        signal,
      });
      sdm = { loss: msg.loss, estimator: fit.sdm, poolSize: fit.poolSize };
      post({
        type: 'sdm-ready',
        loss: msg.loss,
        poolSize: fit.poolSize,
        region: regionAt(fit.sdm, msg.alpha),
        seconds: seconds(t0),
      });
      return;
    }
    case 'recalibrate': {
      if (!sdm) throw new Error('fit SDM first');
      post({
        type: 'sdm-ready',
        loss: sdm.loss,
        poolSize: sdm.poolSize,
        region: regionAt(sdm.estimator, msg.alpha),
        seconds: seconds(t0),
      });
      return;
    }
    case 'inspect': {
      if (!data || !sdm) throw new Error('fit SDM first');
      const model = modelOf(sdm.loss);
      const { p, probs } = await sdmVerdict(sdm.estimator, model, data.test, msg.index);
      const tc = performance.now();
      const c = await certifyOne(model, data.test, msg.index, {
        sigma: msg.sigma,
        numSamples: msg.numSamples,
        seed: trainSeed,
        signal,
      });
      post({
        type: 'inspected',
        answer: {
          index: msg.index,
          label: data.test.labels[msg.index]!,
          prediction: p.label,
          modelPrediction: probs.indexOf(Math.max(...probs)),
          modelProb: Math.max(...probs),
          admitted: p.valid,
          reliability: p.reliability,
          sdmProbLower: p.sdmProbsLower[p.label]!,
          qPrimeLower: p.qPrimeLower,
          qPrimeMin: sdm.estimator.region.qPrimeMin,
          threshold: sdm.estimator.region.thresholds[p.label] ?? Number.NaN,
          regionFound: sdm.estimator.region.found,
          q: p.q,
          d: p.d,
          isOod: p.isOod,
          alpha: sdm.estimator.region.alpha,
          certified: { prediction: c.prediction, radius: c.radius, samples: c.samples, seconds: seconds(tc) },
        },
      });
      return;
    }
    case 'iv': {
      if (!mroz) {
        const res = await fetch(`${dataUrl}mroz-inlf.csv`);
        if (!res.ok) throw new Error(`could not load the Mroz data: HTTP ${res.status}`);
        mroz = parseMroz(await res.text());
      }
      post({ type: 'iv-result', answer: ivCompare(mroz, msg.instruments as ('fatheduc' | 'motheduc')[]) });
      return;
    }
    case 'abort':
      return;
  }
}

// Jobs run one after the other; 'abort' is handled at once (it must overtake the queue).
let queue: Promise<void> = Promise.resolve();
ctx.onmessage = (e) => {
  const msg = e.data;
  if (msg.type === 'abort') {
    controller.abort();
    return;
  }
  queue = queue.then(async () => {
    if (controller.signal.aborted) controller = new AbortController();
    const signal = controller.signal;
    try {
      await handle(msg);
    } catch (err) {
      // smoothing rethrows the signal's own reason (a DOMException) rather than DroError E_ABORTED: both are aborts.
      if (signal.aborted || (err instanceof DroError && err.code === 'E_ABORTED'))
        post({ type: 'aborted', what: msg.type });
      else post({ type: 'error', message: err instanceof Error ? err.message : String(err) });
    }
  });
};
