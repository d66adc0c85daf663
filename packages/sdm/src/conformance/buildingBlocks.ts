// Conformance evaluators of the SDM building blocks: activation, loss, similarity q, k-NN, distance
// quantiles and the rescaled similarity q′.
import * as tf from '@tensorflow/tfjs-core';
import { sdmActivation, sdmLogProbs, sdmLogProbsHost, sdmProbsHost } from '../activation.js';
import { argmax } from '../baselines.js';
import { buildDistanceCdfs, distanceQuantile } from '../distance.js';
import { knnSquaredL2 } from '../knn.js';
import { sdmLoss, sdmLossHost } from '../loss.js';
import { rescaledSimilarity } from '../region.js';
import { similarityQ } from '../similarity.js';
import { asList, type Checker, dict, type J, num, perClass } from './compare.js';

/** Adds one case's result (see check.ts). */
export type Push = (id: string, fn: (c: Checker) => Promise<void> | void) => Promise<unknown>;

/** sdm_activation, sdm_loss, similarity_q, knn_sq_l2, distance and rescaled_similarity. */
export async function checkBuildingBlocks(v: J, push: Push): Promise<void> {
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
}
