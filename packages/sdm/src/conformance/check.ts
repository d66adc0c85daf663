// Evaluates an sdm vectors file through the public API, one case per field group (see compare.ts for
// the tolerance classes, buildingBlocks.ts, regions.ts and endToEnd.ts for the evaluators).
import { cauchyQuantile, mad } from '../legacy/index.js';
import { checkBuildingBlocks, type Push } from './buildingBlocks.js';
import { asList, type CaseResult, type J, run } from './compare.js';
import { checkEndToEnd } from './endToEnd.js';
import { checkRegions } from './regions.js';

export type { CaseResult, TolKind } from './compare.js';

/** Evaluates every case of an sdm vectors file through the public API (on the current backend). */
export async function checkVectors(v: J): Promise<CaseResult[]> {
  const probTol = typeof v?._meta?.tolerance_prob === 'number' ? v._meta.tolerance_prob : 1e-6;
  const out: CaseResult[] = [];
  const push: Push = async (id, fn) => out.push(await run(id, probTol, fn));
  await checkBuildingBlocks(v, push);
  await checkRegions(v, push);
  await checkEndToEnd(v, push);
  for (const [i, cs] of asList(v.legacy_v3_cauchy).entries()) {
    await push(`legacy_v3_cauchy[${i}]`, (c) => {
      const m = mad(cs.scale_mad_of);
      c.field('mad', m, cs.mad, 'host');
      c.field('quantile', cauchyQuantile(cs.location, m, cs.p), cs.quantile, 'host');
    });
  }
  return out;
}
