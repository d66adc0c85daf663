// Conformance evaluator of the end-to-end case: a frozen-adaptor SdmEstimator fitted on the vectors'
// support and calibration rows, its calibration statistics, support statistics and predictions.
import { SdmEstimator } from '../estimator.js';
import type { Push } from './buildingBlocks.js';
import { asList, dict, type J, regionFields } from './compare.js';

/** end_to_end: fit + calibration, supportStatistics and predict. */
export async function checkEndToEnd(v: J, push: Push): Promise<void> {
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
}
