import { checkStateValues, invalidState } from '@drojs/dro-core/host';
import type { EacsFitted } from './eacs.js';

/** Shapes and values of a restored fit: finite coefficients, selector weights and summaries. */
export function checkFittedState(f: EacsFitted): void {
  if (
    !Array.isArray(f.subsets) ||
    !Array.isArray(f.subsetModels) ||
    typeof f.selector !== 'object' ||
    f.selector === null
  )
    throw invalidState('state.fitted', 'subsets, subsetModels and selector', 'a malformed fit');
  if (f.subsetModels.length !== f.subsets.length)
    throw invalidState('state.fitted.subsetModels', `${f.subsets.length} models`, `${f.subsetModels.length}`);
  f.subsetModels.forEach((m, k) => {
    checkStateValues([m.intercept, ...m.coef], `state.fitted.subsetModels[${k}]`);
    if (m.coef.length !== m.subset.length)
      throw invalidState(`state.fitted.subsetModels[${k}].coef`, `${m.subset.length} coefficients`, `${m.coef.length}`);
  });
  const sel = f.selector;
  if (!Array.isArray(sel.W) || !Array.isArray(sel.b) || !Array.isArray(sel.classes) || sel.W.length !== sel.b.length)
    throw invalidState('state.fitted.selector', 'W and b with one row per class', 'mismatched lengths');
  sel.W.forEach((w, k) => checkStateValues(w, `state.fitted.selector.W[${k}]`));
  checkStateValues(sel.b, 'state.fitted.selector.b');
  checkStateValues(f.summaryMean, 'state.fitted.summaryMean');
  checkStateValues(f.summaryScale, 'state.fitted.summaryScale', { min: 0 });
  for (const k of sel.classes)
    if (!Number.isInteger(k) || k < 0 || k >= f.subsets.length)
      throw invalidState('state.fitted.selector.classes', `indices in [0, ${f.subsets.length})`, String(k));
}
