import { expectClose } from '@drojs/dro-core/testing';
import { describe, expect, it } from 'vitest';
import { vectors } from '../test/vectors.js';
import { drmRules } from './rules.js';

const C = vectors.cases.drm_inference;
const logits = C.inputs.logits as number[][][];
const CL = { rel: 1e-8, abs: 1e-10 };

describe('drmRules', () => {
  const P = drmRules.softmax(logits);
  const H = drmRules.entropy(logits);
  it('matches the drm_inference vectors', () => {
    expectClose(P, C.outputs.probs, CL);
    expectClose(H, C.outputs.entropy, CL);
    expect(drmRules.batchHead(H)).toBe(C.outputs.batch_head);
    expect(drmRules.sampleHeads(H)).toEqual(C.outputs.per_sample_head);
    for (const [k, v] of Object.entries(C.outputs.combine) as [string, Record<string, unknown>][]) {
      const g = Number(k);
      const comb =
        g < 0
          ? drmRules.sampleHeads(H).map((h, b) => P[h]![b]!)
          : drmRules.combine(P, drmRules.weights(H, g), { form: 'reference' });
      expectClose(comb, v.combined, CL);
      if (g >= 0) {
        expectClose(drmRules.weights(H, g), v.weights, CL);
        expectClose(
          drmRules.combine(P, drmRules.weights(H, g), { form: 'domain-renormalised' }),
          v.combined_renormalised,
          CL,
        );
      }
      const pl = drmRules.pseudoLabels(comb, 0, { doubleSoftmax: true });
      expectClose(pl.confidence, v.pseudo_conf_double_softmax, CL);
      expect(pl.label).toEqual(v.pseudo_label);
      for (const [b, mask] of Object.entries(v.pseudo_mask as Record<string, boolean[]>))
        expect(drmRules.pseudoLabels(comb, Number(b), { doubleSoftmax: true }).keep).toEqual(mask);
    }
  });
  it('the fixed combination sums to 1; γ = 0 averages; double softmax ≤ e/(e + C − 1)', () => {
    for (const g of [0, 0.5, 5]) {
      const w = drmRules.weights(H, g);
      for (const row of drmRules.combine(P, w, { form: 'all-heads' }))
        expect(row.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 14);
    }
    const avg = drmRules.combine(P, drmRules.weights(H, 0), { form: 'all-heads' });
    expect(avg[0]![0]).toBeCloseTo(P.reduce((s, h) => s + h[0]![0]!, 0) / P.length, 14);
    const bound = Math.E / (Math.E + 3);
    for (const c of drmRules.pseudoLabels(P[0]!, 0, { doubleSoftmax: true }).confidence)
      expect(c).toBeLessThanOrEqual(bound + 1e-15);
    expect(drmRules.pseudoLabels([[1, 0, 0, 0]], 0, { doubleSoftmax: true }).confidence[0]).toBeCloseTo(
      C.outputs.max_double_softmax_conf,
      14,
    );
  });
  it('a one-hot head does not divide by zero (entropy floor)', () => {
    const H2 = drmRules.entropy([[[1000, 0]], [[0, 0]]]);
    const w = drmRules.weights(H2, 1);
    expect(w.every((r) => r.every(Number.isFinite))).toBe(true);
  });
});
