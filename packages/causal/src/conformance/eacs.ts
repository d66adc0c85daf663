import { Eacs, environmentSummary } from '../index.js';
import { type Case, CLOSED, EXACT, type Json, LR, memo, OBJ, type Outcomes, SOFT } from './outcomes.js';

interface EnvJson {
  X: number[][];
  y: number[];
}

// Selector state: class labels exactly, the objective relatively, L-BFGS weights to 1e-4.
const SELECTOR_TOL = { classes: EXACT, objective: OBJ };

const mseOf = (y: number[], yhat: ArrayLike<number>): number =>
  y.reduce((s, v, i) => s + (v - (yhat[i] as number)) ** 2, 0) / y.length;

const mean = (vals: number[]): number => vals.reduce((s, v) => s + v, 0) / vals.length;

/** `eacs_*` cases: EACS subset models, environment summaries, selector fits and test MSEs. */
export function evaluateEacs(name: string, c: Case, out: Outcomes): void {
  const I = c.inputs;
  const subsets = I.subsets as unknown as number[][];
  const train = (I.train_envs as unknown as EnvJson[]).map((e) => ({ X: e.X, y: e.y }));
  const test = I.test_envs as unknown as EnvJson[];
  const featureNames = (I.feature_names as unknown as string[]) ?? [];
  // "Known cause" c2: the constraint keeps candidates containing it (column index of 'c2').
  const causeIdx = Math.max(0, featureNames.indexOf('c2'));
  const make = (mustInclude: number[], mode: 'hard' | 'soft') =>
    new Eacs({
      subsets,
      mustInclude,
      summary: 'corr-sd',
      standardizeSummaries: false,
      C: 1,
      classWeight: null,
      mode,
      seed: 0,
    }).fit(train);
  const un = memo(() => make([], 'hard'));
  const con = memo(() => make([causeIdx], 'hard'));
  const soft = memo(() => make([], 'soft'));
  // Test MSE of one fitted Eacs, per environment or averaged as the expected value is shaped.
  const testMse = (fit: () => Eacs, exp: Json) => () => {
    const vals = test.map((t) => mseOf(t.y, fit().predict(t.X)));
    return typeof exp === 'number' ? mean(vals) : vals;
  };
  const selState = (e: Eacs) => ({
    classes: e.selector.classes,
    W: e.selector.W,
    b_centered: e.selector.b,
    b: e.selector.b,
    objective: e.selector.objective,
  });
  const mseBySubset = () =>
    test.map((t) =>
      un().subsetModels.map((m) =>
        mseOf(
          t.y,
          t.X.map((r) => m.intercept + m.subset.reduce((s, j, q) => s + (m.coef[q] as number) * (r[j] as number), 0)),
        ),
      ),
    );
  for (const [k, e] of Object.entries(c.outputs)) {
    switch (k) {
      case 'subset_models':
        out.check(name, k, e, () => un().subsetModels.map((m) => [m.intercept, ...m.coef]), CLOSED);
        break;
      case 'train_summaries':
        out.check(name, k, e, () => un().trainSummaries, CLOSED);
        break;
      case 'train_mse':
        out.check(name, k, e, () => un().trainMse, CLOSED);
        break;
      case 'labels_unconstrained':
        out.check(name, k, e, () => un().trainLabels, EXACT);
        break;
      case 'labels_constrained':
        out.check(name, k, e, () => con().trainLabels, EXACT);
        break;
      case 'selector_unconstrained':
        out.check(name, k, e, () => selState(un()), LR, SELECTOR_TOL);
        break;
      case 'selector_constrained':
        out.check(name, k, e, () => selState(con()), LR, SELECTOR_TOL);
        break;
      case 'test_summaries':
        out.check(name, k, e, () => test.map((t) => environmentSummary(t.X, 'corr-sd')), CLOSED);
        break;
      case 'test_mse_by_subset':
        out.check(name, k, e, mseBySubset, CLOSED);
        break;
      case 'test_probs_unconstrained':
        out.check(
          name,
          k,
          e,
          () => test.map((t) => un().selector.classes.map((cl) => un().selectSubset(t.X).probs[cl])),
          LR,
        );
        break;
      case 'test_selected_unconstrained':
        out.check(name, k, e, () => test.map((t) => un().selectSubset(t.X).index), EXACT);
        break;
      case 'test_selected_constrained':
        out.check(name, k, e, () => test.map((t) => con().selectSubset(t.X).index), EXACT);
        break;
      case 'test_mse_eacs_hard':
        out.check(name, k, e, testMse(un, e), CLOSED);
        break;
      case 'test_mse_eacs_constrained_hard':
        out.check(name, k, e, testMse(con, e), CLOSED);
        break;
      case 'test_mse_eacs_soft':
        out.check(name, k, e, testMse(soft, e), SOFT);
        break;
      default:
        out.fail(name, k, 'no evaluator for this output key');
    }
  }
}
