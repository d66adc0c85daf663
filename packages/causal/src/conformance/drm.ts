import { drmRules } from '../index.js';
import { type Case, CLOSED, EXACT, type Json, keyNum, memo, type Outcomes } from './outcomes.js';

/** `drm_*` cases: DRM's head probabilities, entropies, head selection, combination and pseudo-labels. */
export function evaluateDrm(name: string, c: Case, out: Outcomes): void {
  const logits = c.inputs.logits as unknown as number[][][];
  const P = memo(() => drmRules.softmax(logits));
  const H = memo(() => drmRules.entropy(logits));
  const combined = (g: number): number[][] => {
    if (g < 0) {
      const p = P();
      // sampleHeads returns head indices of P, one per sample b of each head's batch.
      return drmRules.sampleHeads(H()).map((h, b) => p[h]![b]!);
    }
    return drmRules.combine(P(), drmRules.weights(H(), g), { form: 'reference' });
  };
  for (const [k, e] of Object.entries(c.outputs)) {
    switch (k) {
      case 'probs':
        out.check(name, k, e, P, CLOSED);
        break;
      case 'entropy':
        out.check(name, k, e, H, CLOSED);
        break;
      case 'mean_entropy':
        out.check(name, k, e, () => H().map((h) => h.reduce((s, v) => s + v, 0) / h.length), CLOSED);
        break;
      case 'batch_head':
        out.check(name, k, e, () => drmRules.batchHead(H()), EXACT);
        break;
      case 'per_sample_head':
        out.check(name, k, e, () => drmRules.sampleHeads(H()), EXACT);
        break;
      case 'max_double_softmax_conf': {
        const C = logits[0]?.[0]?.length ?? 0;
        const onehot = [Array.from({ length: C }, (_, j) => (j === 0 ? 1 : 0))];
        out.check(name, k, e, () => drmRules.pseudoLabels(onehot, 0, { doubleSoftmax: true }).confidence[0], CLOSED);
        break;
      }
      case 'combine':
        evaluateCombine(name, k, e, { P, H, combined }, out);
        break;
      default:
        out.fail(name, k, 'no evaluator for this output key');
    }
  }
}

function evaluateCombine(
  name: string,
  k: string,
  e: Json,
  d: { P: () => number[][][]; H: () => number[][]; combined: (g: number) => number[][] },
  out: Outcomes,
): void {
  const m = out.map(e, name, k);
  if (!m) return;
  for (const [kk, v] of Object.entries(m)) {
    const g = keyNum(kk);
    const obj = (v ?? {}) as Record<string, Json>;
    for (const [f, ev] of Object.entries(obj)) {
      const field = `${k}[${kk}].${f}`;
      const pl = () => drmRules.pseudoLabels(d.combined(g), 0, { doubleSoftmax: true });
      const form = (f: 'domain-renormalised' | 'all-heads') => () =>
        drmRules.combine(d.P(), drmRules.weights(d.H(), g), { form: f });
      if (f === 'combined') out.check(name, field, ev, () => d.combined(g), CLOSED);
      else if (f === 'weights') out.check(name, field, ev, () => drmRules.weights(d.H(), g), CLOSED);
      else if (f === 'combined_renormalised') out.check(name, field, ev, form('domain-renormalised'), CLOSED);
      else if (f === 'combined_all_heads') out.check(name, field, ev, form('all-heads'), CLOSED);
      else if (f === 'pseudo_conf_double_softmax') out.check(name, field, ev, () => pl().confidence, CLOSED);
      else if (f === 'pseudo_label') out.check(name, field, ev, () => pl().label, EXACT);
      else if (f === 'pseudo_mask') {
        const mm = out.map(ev, name, field);
        if (mm)
          for (const [bk, bv] of Object.entries(mm))
            out.check(
              name,
              `${field}[${bk}]`,
              bv,
              () => drmRules.pseudoLabels(d.combined(g), keyNum(bk), { doubleSoftmax: true }).keep,
              EXACT,
            );
      } else out.fail(name, field, 'no evaluator for this output key');
    }
  }
}
