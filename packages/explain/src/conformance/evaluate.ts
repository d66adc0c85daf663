import { type ConformanceOutcome, findMismatch, type Tolerance } from '@drojs/dro-core/conformance';
import { evalIntegratedGradients, evalOcclusion, evalSaliency } from './baselineCases.js';
import { evalCometLoss } from './cometLossCase.js';
import { evalErrors } from './errorsCase.js';
import { evalExplain } from './explainCase.js';
import { evalMaskUpsample } from './maskUpsample.js';
import { evalDeletionInsertion, evalMaskIoU, evalMaskScores, evalPointing } from './metricCases.js';
import { evalTrainingReplay, isTrainingReplay } from './trainingReplay.js';

interface Case {
  name: string;
  input: Record<string, unknown>;
  expected: Record<string, unknown>;
}

type Evaluator = (input: Record<string, unknown>) => Record<string, unknown>;

const EXACT: Tolerance = { abs: 0, rel: 0 };
const F32: Tolerance = { rel: 1e-4, abs: 1e-5 };
const HOST: Tolerance = { rel: 1e-12, abs: 1e-15 };
const GRAD: Tolerance = { rel: 1e-3, abs: 2e-5 };

/** Evaluator, default tolerance and per-key tolerances of each family (spec §11.1). */
const FAMILIES: Record<string, { run: Evaluator; tol: Tolerance; keyTol?: Record<string, Tolerance> }> = {
  mask_upsample: {
    run: evalMaskUpsample,
    tol: F32,
    keyTol: { rowMatrix: HOST, colMatrix: HOST, hardMask: EXACT },
  },
  comet_loss: {
    run: evalCometLoss,
    tol: { rel: 1e-4, abs: 1e-4 },
    keyTol: { gradMaskLogits: GRAD, gradInput: GRAD, predictorGrads: GRAD, mask: F32 },
  },
  explain: { run: evalExplain, tol: F32, keyTol: { predictions: EXACT, complementPredictions: EXACT } },
  mask_iou: { run: evalMaskIoU, tol: HOST, keyTol: { intersection: EXACT, union: EXACT, selected: EXACT } },
  pointing: { run: evalPointing, tol: HOST, keyTol: { numMax: EXACT, evaluated: EXACT } },
  deletion_insertion: {
    run: evalDeletionInsertion,
    tol: F32,
    keyTol: { order: EXACT, pixels: EXACT, fractions: HOST },
  },
  mask_scores: {
    run: evalMaskScores,
    tol: F32,
    keyTol: {
      predFull: EXACT,
      predSelected: EXACT,
      predComplement: EXACT,
      accFull: EXACT,
      accSelected: EXACT,
      accComplement: EXACT,
    },
  },
  saliency: { run: evalSaliency, tol: F32 },
  integrated_gradients: { run: evalIntegratedGradients, tol: GRAD, keyTol: { alphas: HOST, weights: HOST } },
  occlusion: {
    run: evalOcclusion,
    tol: F32,
    keyTol: { counts: EXACT, rowStarts: EXACT, colStarts: EXACT },
  },
  errors: { run: evalErrors, tol: EXACT },
};

const REPLAY = { run: evalTrainingReplay, tol: { rel: 1e-3, abs: 1e-4 } };

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** One check per expected key; nested objects (gradMaskLogits, perSample, means) one per leaf key. */
function checks(
  id: string,
  actual: Record<string, unknown>,
  expected: Record<string, unknown>,
  tol: Tolerance,
  keyTol: Record<string, Tolerance>,
): ConformanceOutcome[] {
  const out: ConformanceOutcome[] = [];
  for (const [k, e] of Object.entries(expected)) {
    const t = keyTol[k] ?? tol;
    if (isPlainObject(e)) {
      const a = isPlainObject(actual[k]) ? (actual[k] as Record<string, unknown>) : {};
      out.push(...checks(`${id}.${k}`, a, e, t, keyTol));
      continue;
    }
    if (!(k in actual)) {
      out.push({ id: `${id}.${k}`, failure: 'missing from the output' });
      continue;
    }
    out.push({ id: `${id}.${k}`, failure: findMismatch(actual[k], e, t, k, { keyTol, nullPolicy: 'strict' }) });
  }
  return out;
}

/**
 * Evaluates every case of an explain vectors file through the public API: one outcome per expected key. An
 * unknown family fails unless every case has the training-replay shape; an evaluator that throws fails its case.
 */
export function evaluateVectors(data: unknown): ConformanceOutcome[] {
  if (!isPlainObject(data)) return [];
  const outcomes: ConformanceOutcome[] = [];
  for (const [family, cases] of Object.entries(data)) {
    if (family === '_meta') continue;
    if (!Array.isArray(cases)) {
      outcomes.push({ id: family, failure: 'not a list of cases' });
      continue;
    }
    const fam = FAMILIES[family] ?? (cases.length > 0 && cases.every(isTrainingReplay) ? REPLAY : undefined);
    if (!fam) {
      outcomes.push({ id: family, failure: 'unknown family' });
      continue;
    }
    for (const c of cases as Case[]) {
      const id = `${family}/${String(c?.name)}`;
      try {
        if (!isPlainObject(c?.expected) || !isPlainObject(c?.input)) throw new Error('malformed case');
        const actual = fam.run(c.input);
        const res = checks(id, actual, c.expected, fam.tol, 'keyTol' in fam ? (fam.keyTol ?? {}) : {});
        if (res.length === 0) outcomes.push({ id, failure: 'no expected values' });
        outcomes.push(...res);
      } catch (e) {
        outcomes.push({ id, failure: `threw ${(e as Error)?.message ?? String(e)}` });
      }
    }
  }
  return outcomes;
}
