import * as tf from '@tensorflow/tfjs-core';
import { sdmActivation, sdmLogProbs, sdmLogProbsHost, sdmProbsHost } from '../activation.js';
import { argmax } from '../baselines.js';
import { buildDistanceCdfs, distanceQuantile } from '../distance.js';
import { distanceBounds, effectiveSampleSizes } from '../dkw.js';
import { SdmEstimator } from '../estimator.js';
import { knnSquaredL2 } from '../knn.js';
import { cauchyQuantile, mad } from '../legacy.js';
import { sdmLoss, sdmLossHost } from '../loss.js';
import { findHighReliabilityRegion, highReliabilityIndicator, rescaledSimilarity } from '../region.js';
import { similarityQ } from '../similarity.js';

/** Tolerance classes of spec §A.1. */
export type TolKind = 'host' | 'prob' | 'f32' | 'exact';

/** Outcome of one vectors case. */
export interface CaseResult {
  id: string;
  failures: string[];
}

// biome-ignore lint/suspicious/noExplicitAny: vectors are untyped JSON
type J = any;

function num(v: unknown): number {
  if (v === 'Infinity') return Number.POSITIVE_INFINITY;
  if (v === '-Infinity') return Number.NEGATIVE_INFINITY;
  if (typeof v === 'boolean') return v ? 1 : 0;
  return v as number;
}

function close(a: number, e: number, kind: TolKind, probTol: number): boolean {
  if (Number.isNaN(e)) return Number.isNaN(a);
  if (!Number.isFinite(e) || !Number.isFinite(a)) return a === e;
  const diff = Math.abs(a - e);
  switch (kind) {
    case 'exact':
      return a === e;
    case 'host':
      return diff <= Math.max(1e-12, 1e-9 * Math.abs(e));
    case 'prob':
      return diff <= probTol;
    case 'f32':
      return diff <= 1e-5 || diff <= 1e-4 * Math.abs(e);
  }
}

/** Collects field mismatches of one case. */
class Checker {
  readonly failures: string[] = [];
  constructor(private readonly probTol: number) {}

  /** Compares nested arrays / numbers / booleans; `expected` may use "Infinity" strings. */
  field(name: string, actual: unknown, expected: unknown, kind: TolKind): void {
    if (expected === undefined) return;
    const m = this.diff(actual, expected, kind, name);
    if (m) this.failures.push(m);
  }

  private diff(actual: unknown, expected: unknown, kind: TolKind, path: string): string | null {
    if (Array.isArray(expected)) {
      const a = actual as ArrayLike<unknown> | undefined;
      if (!a || typeof a !== 'object' || a.length !== expected.length) {
        return `${path}: expected length ${expected.length}, got ${a && typeof a === 'object' ? a.length : String(a)}`;
      }
      for (let i = 0; i < expected.length; i++) {
        const m = this.diff(a[i], expected[i], kind, `${path}[${i}]`);
        if (m) return m;
      }
      return null;
    }
    if (expected !== null && typeof expected === 'object') {
      for (const key of Object.keys(expected)) {
        const m = this.diff(
          (actual as Record<string, unknown>)?.[key],
          (expected as Record<string, unknown>)[key],
          kind,
          `${path}.${key}`,
        );
        if (m) return m;
      }
      return null;
    }
    const e = num(expected);
    const a = num(actual);
    if (typeof a !== 'number' || !close(a, e, kind, this.probTol))
      return `${path}: expected ${String(expected)}, got ${String(actual)}`;
    return null;
  }
}

function asList(x: J): J[] {
  return Array.isArray(x) ? x : x === undefined ? [] : [x];
}

/** Per-class dictionary {"0": [...], ...} → array indexed by class. */
function perClass(d: J): number[][] {
  const keys = Object.keys(d).map(Number);
  const n = keys.length === 0 ? 0 : Math.max(...keys) + 1;
  return Array.from({ length: n }, (_, c) => (d[String(c)] ?? []).map(num));
}

/** Array indexed by class → {"0": [...]} for comparison with the vectors. */
function dict(a: ArrayLike<number>[]): Record<string, number[]> {
  const o: Record<string, number[]> = {};
  for (let i = 0; i < a.length; i++) o[String(i)] = Array.from(a[i]!);
  return o;
}

async function run(id: string, probTol: number, fn: (c: Checker) => Promise<void> | void): Promise<CaseResult> {
  const c = new Checker(probTol);
  try {
    await fn(c);
  } catch (e) {
    c.failures.push(`threw ${e instanceof Error ? e.message : String(e)}`);
  }
  return { id, failures: c.failures };
}

function regionFields(r: J, calibrationIsOod: Uint8Array, sorted: Float64Array[]): J {
  return {
    q_prime_min: r.qPrimeMin,
    thresholds: Array.from(r.thresholds as Float64Array),
    class_conditional_accuracy: r.classConditionalAccuracy,
    calibration_is_ood: Array.from(calibrationIsOod),
    q_prime_sorted_per_class: dict(sorted),
  };
}

/** Evaluates every case of an sdm vectors file through the public API (on the current backend). */
export async function checkVectors(v: J): Promise<CaseResult[]> {
  const probTol = typeof v?._meta?.tolerance_prob === 'number' ? v._meta.tolerance_prob : 1e-6;
  const out: CaseResult[] = [];
  const push = async (id: string, fn: (c: Checker) => Promise<void> | void) => out.push(await run(id, probTol, fn));

  for (const [i, cs] of asList(v.sdm_activation).entries()) {
    await push(`sdm_activation[${i}] ${cs.name ?? ''}`, (c) => {
      const z = tf.tensor2d(cs.z);
      const q = tf.tensor1d(cs.q.map(num));
      const d = cs.d === undefined ? undefined : tf.tensor1d(cs.d.map(num));
      try {
        c.field('sdm (tensor)', sdmActivation(z, q, d).arraySync(), cs.sdm, 'prob');
        c.field('log_base_2_plus_q_sdm (tensor)', sdmLogProbs(z, q, d).arraySync(), cs.log_base_2_plus_q_sdm, 'f32');
      } finally {
        tf.dispose([z, q, d].filter((t): t is tf.Tensor1D => t !== undefined));
      }
      const rows = cs.z as number[][];
      c.field(
        'sdm (host)',
        rows.map((r, k) => Array.from(sdmProbsHost(r, num(cs.q[k]), cs.d ? num(cs.d[k]) : 1))),
        cs.sdm,
        'host',
      );
      c.field(
        'log_base_2_plus_q_sdm (host)',
        rows.map((r, k) => Array.from(sdmLogProbsHost(r, num(cs.q[k]), cs.d ? num(cs.d[k]) : 1))),
        cs.log_base_2_plus_q_sdm,
        'host',
      );
    });
  }

  for (const [i, cs] of asList(v.sdm_loss).entries()) {
    await push(`sdm_loss[${i}]`, (c) => {
      const C = (cs.z[0] as number[]).length;
      const numClasses = cs.num_classes ?? C;
      const res = tf.tidy(() => {
        const z = tf.tensor2d(cs.z);
        const y = tf.tensor1d(cs.y, 'int32');
        const q = tf.tensor1d(cs.q.map(num));
        const d = tf.tensor1d(cs.d.map(num));
        const grad = tf.grad((zz: tf.Tensor) => sdmLoss(zz as tf.Tensor2D, y, q, d) as tf.Scalar)(z);
        return {
          none: sdmLoss(z, y, q, d, { reduction: 'none' }).arraySync(),
          mean: sdmLoss(z, y, q, d).arraySync(),
          balanced: sdmLoss(z, y, q, d, { reduction: 'balanced', numClasses }).arraySync(),
          grad: grad.arraySync(),
        };
      });
      c.field('per_instance (tensor)', res.none, cs.per_instance, 'f32');
      c.field('marginal (tensor)', res.mean, cs.marginal, 'f32');
      c.field('balanced (tensor)', res.balanced, cs.balanced, 'f32');
      c.field('grad_mean_loss_wrt_z', res.grad, cs.grad_mean_loss_wrt_z, 'f32');
      const host = sdmLossHost(cs.z, cs.y, cs.q.map(num), cs.d.map(num), numClasses);
      c.field('per_instance (host)', host.perInstance, cs.per_instance, 'host');
      c.field('marginal (host)', host.marginal, cs.marginal, 'host');
      c.field('balanced (host)', host.balanced, cs.balanced, 'host');
    });
  }

  for (const [i, cs] of asList(v.similarity_q).entries()) {
    await push(`similarity_q[${i}] ${cs.name ?? ''}`, (c) => {
      const skip = cs.exclude_first ? 1 : 0;
      const got = (cs.nb_true as number[][]).map((row, r) =>
        similarityQ(row.slice(skip), (cs.nb_pred[r] as number[]).slice(skip), cs.pred[r]),
      );
      c.field('q', got, cs.q, 'exact');
    });
  }

  for (const [i, cs] of asList(v.knn_sq_l2).entries()) {
    await push(`knn_sq_l2[${i}]`, async (c) => {
      const qt = tf.tensor2d(cs.queries);
      const st = tf.tensor2d(cs.support);
      try {
        const r = await knnSquaredL2(qt, st, cs.k);
        const rows = (a: ArrayLike<number>) =>
          Array.from({ length: cs.queries.length }, (_, j) => Array.from(a).slice(j * r.k, (j + 1) * r.k));
        c.field('dist', rows(r.distances), cs.dist, 'f32');
        c.field('idx', rows(r.indices), cs.idx, 'exact');
      } finally {
        qt.dispose();
        st.dispose();
      }
    });
  }

  for (const [i, dist] of asList(v.distance).entries()) {
    if (dist.build) {
      await push(`distance[${i}].build`, (c) => {
        const b = dist.build;
        c.field('cdfs', dict(buildDistanceCdfs(b.d0.map(num), b.q.map(num), b.labels, b.num_classes)), b.cdfs, 'host');
      });
    }
    for (const key of Object.keys(dist).filter((k) => k.startsWith('quantile'))) {
      await push(`distance[${i}].${key}`, (c) => {
        const s = dist[key];
        const cdfs = perClass(s.cdfs);
        while (s.num_classes !== undefined && cdfs.length < s.num_classes) cdfs.push([]);
        const res = (s.d0 as unknown[]).map((x) => distanceQuantile(num(x), cdfs));
        c.field(
          'per_class',
          res.map((r) => Array.from(r.perClass)),
          s.per_class,
          'host',
        );
        c.field(
          'd',
          res.map((r) => r.d),
          s.d,
          'host',
        );
      });
    }
  }

  for (const [i, cs] of asList(v.rescaled_similarity).entries()) {
    await push(`rescaled_similarity[${i}]`, (c) => {
      const z = cs.z as number[][];
      const probs = z.map((r, k) => sdmProbsHost(r, num(cs.q[k]), cs.d ? num(cs.d[k]) : 1));
      c.field(
        'sdm',
        probs.map((p) => Array.from(p)),
        cs.sdm,
        'host',
      );
      c.field(
        'pred',
        z.map((r) => argmax(r)),
        cs.pred,
        'exact',
      );
      c.field(
        'q_prime',
        probs.map((p, k) => rescaledSimilarity(num(cs.q[k]), p[cs.pred[k]]!)),
        cs.q_prime,
        'host',
      );
    });
  }

  const regions = new Map<string, { region: J; sorted: Float64Array[] }>();
  for (const [i, hr] of asList(v.high_reliability_region).entries()) {
    for (const key of Object.keys(hr).filter((k) => k.startsWith('alpha_'))) {
      await push(`high_reliability_region[${i}].${key}`, (c) => {
        const alpha = Number(key.slice('alpha_'.length));
        const r = findHighReliabilityRegion({
          sdmProbs: hr.sdm,
          qPrime: hr.q_prime.map(num),
          labels: hr.labels,
          alpha,
          numClasses: hr.num_classes,
        });
        if (i === 0) regions.set(key, { region: r.region, sorted: r.qPrimeSortedPerClass });
        c.field(key, regionFields(r.region, r.calibrationIsOod, r.qPrimeSortedPerClass), hr[key], 'host');
        c.field(`${key}.found`, r.region.found, Number.isFinite(num(hr[key].q_prime_min)), 'exact');
      });
    }
  }

  for (const [i, cs] of asList(v.hr_indicator_and_ess).entries()) {
    await push(`hr_indicator_and_ess[${i}]`, (c) => {
      const reg = regions.get(cs.region);
      if (!reg) {
        c.failures.push(`region ${cs.region} not found in high_reliability_region`);
        return;
      }
      const alpha = cs.alpha ?? reg.region.alpha;
      const got = {
        floor_q_prime: [] as number[],
        is_hr: [] as boolean[],
        is_ood: [] as boolean[],
        n_eff: [] as number[][],
        eps: [] as number[][],
        d_lower: [] as number[],
        d_upper: [] as number[],
      };
      (cs.q_prime as unknown[]).forEach((qp, k) => {
        const ind = highReliabilityIndicator(num(qp), cs.sdm[k], cs.pred[k], reg.region);
        got.floor_q_prime.push(ind.floorQPrime);
        got.is_hr.push(ind.isHighReliability);
        got.is_ood.push(ind.isOod);
        const ess = effectiveSampleSizes(num(qp), reg.sorted, alpha);
        got.n_eff.push(Array.from(ess.n));
        got.eps.push(Array.from(ess.eps));
        if (cs.d) {
          const b = distanceBounds(num(cs.d[k]), ess.eps);
          got.d_lower.push(b.dLower);
          got.d_upper.push(b.dUpper);
        }
      });
      c.field('floor_q_prime', got.floor_q_prime, cs.floor_q_prime, 'exact');
      c.field('is_hr', got.is_hr, cs.is_hr, 'exact');
      c.field('is_ood', got.is_ood, cs.is_ood, 'exact');
      c.field('n_eff', got.n_eff, cs.n_eff, 'exact');
      c.field('eps', got.eps, cs.eps, 'host');
      c.field('d_lower', got.d_lower, cs.d_lower, 'host');
      c.field('d_upper', got.d_upper, cs.d_upper, 'host');
    });
  }

  for (const [i, e2e] of asList(v.end_to_end).entries()) {
    let est: SdmEstimator | undefined;
    await push(`end_to_end[${i}].fit+calibration`, async (c) => {
      est = await SdmEstimator.fit(
        {
          embeddings: e2e.support.exemplars,
          labels: e2e.support.labels,
          logits: e2e.support.logits,
          calibration: {
            embeddings: e2e.calibration.exemplars,
            labels: e2e.calibration.labels,
            logits: e2e.calibration.logits,
          },
        },
        {
          numClasses: e2e.num_classes,
          adaptor: 'frozen',
          normalize: 'none',
          split: 'fixed',
          maxQ: e2e.max_q,
          alpha: e2e.alpha,
        },
      );
      c.field('support.predicted', est.getState().support.predicted, e2e.support.predicted, 'exact');
      const cal = est.calibrationDetails();
      const ex = e2e.calibration_expected ?? {};
      c.field('q', cal.q, ex.q, 'exact');
      c.field('d0', cal.d0, ex.d0, 'f32');
      c.field('d', cal.d, ex.d, 'f32');
      c.field('sdm', cal.sdmProbs, ex.sdm, 'f32');
      c.field('q_prime', cal.qPrime, ex.q_prime, 'f32');
      c.field('distance_cdfs', dict(cal.distanceCdfs), ex.distance_cdfs, 'f32');
      if (ex.region) {
        const r = est.region;
        const fields = regionFields(r, cal.isOod, cal.qPrimeSortedPerClass);
        const { calibration_is_ood, q_prime_min, ...rest } = ex.region;
        c.field('region.calibration_is_ood', fields.calibration_is_ood, calibration_is_ood, 'exact');
        c.field('region.q_prime_min', fields.q_prime_min, q_prime_min, 'f32');
        c.field('region', fields, rest, 'f32');
      }
    });
    if (!est) continue;
    const fitted = est;
    try {
      await push(`end_to_end[${i}].supportStatistics`, async (c) => {
        const st = await fitted.supportStatistics();
        const ex = e2e.training_support_expected ?? {};
        c.field('q_exclude_self', st.q, ex.q_exclude_self, 'exact');
        c.field('d0_second_neighbour', st.d0, ex.d0_second_neighbour, 'f32');
      });
      await push(`end_to_end[${i}].predict`, async (c) => {
        const p = await fitted.predict(e2e.test.exemplars, e2e.test.logits);
        const ex = e2e.test_expected ?? {};
        const col = <T>(f: (x: (typeof p)[number]) => T) => p.map(f);
        c.field(
          'prediction',
          col((x) => x.label),
          ex.prediction,
          'exact',
        );
        c.field(
          'q',
          col((x) => x.q),
          ex.q,
          'exact',
        );
        c.field(
          'd0',
          col((x) => x.dNearest),
          ex.d0,
          'f32',
        );
        c.field(
          'd',
          col((x) => x.d),
          ex.d,
          'f32',
        );
        c.field(
          'sdm',
          col((x) => x.sdmProbs),
          ex.sdm,
          'f32',
        );
        c.field(
          'q_prime',
          col((x) => x.qPrime),
          ex.q_prime,
          'f32',
        );
        c.field(
          'floor_q_prime',
          col((x) => x.floorQPrime),
          ex.floor_q_prime,
          'exact',
        );
        c.field(
          'is_ood',
          col((x) => x.isOodBySimilarity),
          ex.is_ood,
          'exact',
        );
        c.field(
          'is_hr',
          col((x) => x.isHighReliability),
          ex.is_hr,
          'exact',
        );
        c.field(
          'n_eff',
          col((x) => x.effectiveSampleSizes),
          ex.n_eff,
          'exact',
        );
        c.field(
          'eps',
          col((x) => x.sampleSizeErrors),
          ex.eps,
          'f32',
        );
        c.field(
          'd_lower',
          col((x) => x.dLower),
          ex.d_lower,
          'f32',
        );
        c.field(
          'd_upper',
          col((x) => x.dUpper),
          ex.d_upper,
          'f32',
        );
        c.field(
          'sdm_lower',
          col((x) => x.sdmProbsLower),
          ex.sdm_lower,
          'f32',
        );
        c.field(
          'sdm_upper',
          col((x) => x.sdmProbsUpper),
          ex.sdm_upper,
          'f32',
        );
        c.field(
          'q_prime_lower',
          col((x) => x.qPrimeLower),
          ex.q_prime_lower,
          'f32',
        );
        c.field(
          'floor_q_prime_lower',
          col((x) => x.floorQPrimeLower),
          ex.floor_q_prime_lower,
          'exact',
        );
        c.field(
          'is_hr_lower',
          col((x) => x.isHighReliabilityLower),
          ex.is_hr_lower,
          'exact',
        );
        c.field(
          'nearest_support_index',
          col((x) => x.nearestSupportIndex),
          ex.nearest_support_index,
          'exact',
        );
      });
    } finally {
      fitted.dispose();
    }
  }

  for (const [i, cs] of asList(v.legacy_v3_cauchy).entries()) {
    await push(`legacy_v3_cauchy[${i}]`, (c) => {
      const m = mad(cs.scale_mad_of);
      c.field('mad', m, cs.mad, 'host');
      c.field('quantile', cauchyQuantile(cs.location, m, cs.p), cs.quantile, 'host');
    });
  }
  return out;
}
