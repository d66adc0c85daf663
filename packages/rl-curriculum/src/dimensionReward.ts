import { type AdvantageOptions, normalizeThenSum } from './advantages.js';
import { arr, checkFields, fail, num } from './check.js';
import { sum } from './numeric.js';

/**
 * DRM, the dimension-level reward of arXiv 2510.11457 (§3.6): confidence = mean reasoning log-prob + sum of answer log-probs;
 * relevance and coherence are caller-supplied scores; total = wConf·confidence + wRel·relevance + wCoh·coherence.
 * The weights, any per-dimension normalisation and the scorers are not published; they are the caller's.
 */
export function dimensionRewardScore(
  x: { reasonLogp: readonly number[]; answerLogp: readonly number[]; relevance: number; coherence: number },
  w: readonly [number, number, number],
): { confidence: number; relevance: number; coherence: number; total: number } {
  const o = checkFields(x, 'x', ['reasonLogp', 'answerLogp', 'relevance', 'coherence']);
  const reason = arr(o.reasonLogp, 'x.reasonLogp').map((v, i) => num(v, `x.reasonLogp[${i}]`));
  const answer = arr(o.answerLogp, 'x.answerLogp').map((v, i) => num(v, `x.answerLogp[${i}]`));
  if (reason.length === 0) fail('E_EMPTY', 'x.reasonLogp', 'must be non-empty', 'at least one log-prob');
  if (answer.length === 0) fail('E_EMPTY', 'x.answerLogp', 'must be non-empty', 'at least one log-prob');
  const relevance = num(o.relevance, 'x.relevance');
  const coherence = num(o.coherence, 'x.coherence');
  const ww = arr(w, 'w');
  if (ww.length !== 3) fail('E_SHAPE', 'w', 'must be [wConf, wRel, wCoh]', '3 weights', `length ${ww.length}`);
  const [wc, wr, wh] = ww.map((v, i) => num(v, `w[${i}]`)) as [number, number, number];
  const confidence = sum(reason) / reason.length + sum(answer);
  const total = wc * confidence + wr * relevance + wh * coherence;
  if (!Number.isFinite(total)) fail('E_NONFINITE', 'x', 'gives a non-finite total', 'finite values', total);
  return { confidence, relevance, coherence, total };
}

/**
 * A = A_answer + A_DRM, each a GRPO advantage within the group (the package's documented choice), with A_DRM
 * from the {@link dimensionRewardScore} totals.
 */
export function dimensionRewardAdvantages(
  answerRewards: ReadonlyArray<ReadonlyArray<number>>,
  drmTotals: ReadonlyArray<ReadonlyArray<number>>,
  o?: AdvantageOptions,
): number[][] {
  return normalizeThenSum([answerRewards, drmTotals], [1, 1], o);
}

// The `drm*` names collided with @drojs/causal's `Drm` (distributional robustness of a different kind), so the
// dimension-level reward is spelled out; the short names stay for existing callers.
/** @deprecated Use {@link dimensionRewardScore} (same function). */
export const drmScore = dimensionRewardScore;
/** @deprecated Use {@link dimensionRewardAdvantages} (same function). */
export const drmAdvantages = dimensionRewardAdvantages;
