// DRM synthetic check of spec §15.5 (three seeds): (a) own vs pooled head, (b) batch-entropy selection on
// target A, (c) online adaptation gain on targets A and B, (d) reference quirks keep nothing.
// Run: npx tsx packages/causal/scripts/drmSynthetic.ts [--seeds=3] [--steps=1500]
import { createRng, initBackend } from '@drojs/dro-core';
import * as tf from '@tensorflow/tfjs-core';
import { Drm } from '../src/index.js';
import { accuracy, featurizer, sample } from '../src/test/drmSynthetic.js';

const arg = (k: string, d: number) => Number(process.argv.find((a) => a.startsWith(`--${k}=`))?.split('=')[1] ?? d);
const SEEDS = arg('seeds', 3);
const STEPS = arg('steps', 1500);

await initBackend({ backend: 'cpu' });
for (let seed = 0; seed < SEEDS; seed++) {
  const rng = createRng(`drmSynthetic-${seed}`);
  // Layer seeds 10·seed + 1 and 10·seed + 2.
  const feat = featurizer(10 * seed + 1);
  const drm = new Drm({ featurizer: feat, numDomains: 3, numClasses: 2, learningRate: 1e-3, seed });
  for (let s = 0; s < STEPS; s++) {
    const b = [0, 1, 2].map((d) => sample(d, 64, rng));
    drm.trainStep(b);
    for (const x of b) tf.dispose([x.x, x.y]);
  }
  const a: string[] = [];
  for (const d of [0, 1, 2]) {
    const t = sample(d, 4000, rng);
    const own = drm.predict(t.x, { select: d });
    const pooled = drm.predict(t.x, { select: 'pooled' });
    a.push(`d${d} ${accuracy(own, t.labels).toFixed(3)} vs ${accuracy(pooled, t.labels).toFixed(3)}`);
    tf.dispose([own, pooled, t.x, t.y]);
  }
  let picks = 0;
  let accSel = 0;
  let accPool = 0;
  for (let k = 0; k < 100; k++) {
    const t = sample(2, 32, rng);
    const p = drm.predict(t.x, { select: 'batch-entropy' });
    const p2 = drm.predict(t.x, { select: 2 });
    const pp = drm.predict(t.x, { select: 'pooled' });
    if (Array.from(p.dataSync()).every((v, i) => v === p2.dataSync()[i])) picks++;
    accSel += accuracy(p, t.labels) / 100;
    accPool += accuracy(pp, t.labels) / 100;
    tf.dispose([p, p2, pp, t.x, t.y]);
  }
  const state = JSON.stringify(drm.getState());
  const online = (weak: boolean, adaptOn: boolean) => {
    const d = Drm.fromState(JSON.parse(state));
    const r = createRng(`stream-${seed}-${weak}`);
    let s = 0;
    for (let k = 0; k < 60; k++) {
      const t = sample(2, 32, r, weak);
      const p = adaptOn
        ? d.adapt(t.x, { label: 'drm', gamma: 1, beta: 0.9, steps: 1, lrScale: 10, update: 'heads', predict: 'before' })
            .probs
        : d.predict(t.x, { select: 'weighted', gamma: 1 });
      s += accuracy(p, t.labels) / 60;
      tf.dispose([p, t.x, t.y]);
    }
    d.dispose();
    return s;
  };
  const A0 = online(false, false);
  const A1 = online(false, true);
  const B0 = online(true, false);
  const B1 = online(true, true);
  const t = sample(2, 32, rng);
  const q = drm.adapt(t.x, { beta: 0.75, gamma: 1, referenceQuirks: true });
  console.log(
    `seed ${seed}: (a) ${a.join('; ')} | (b) head 2 in ${picks}/100, acc ${accSel.toFixed(3)} vs pooled ${accPool.toFixed(3)} | (c) A ${A0.toFixed(3)} → ${A1.toFixed(3)}, B ${B0.toFixed(3)} → ${B1.toFixed(3)} | (d) kept ${q.kept}`,
  );
  tf.dispose([q.probs, t.x, t.y]);
  drm.dispose();
}
