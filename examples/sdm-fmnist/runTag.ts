/**
 * The name part of a run's output files (`results-<tag>.json`, `table-<tag>.md`, …); `seeds.ts` finds the
 * runs it started by it. Defaults (α′ = 0.95, seed 0) are left out of the name.
 */
export function runTag(o: { quick: boolean; allClasses: boolean; alpha: number; seed: number }): string {
  const alpha = o.alpha !== 0.95 ? `-alpha${o.alpha}` : '';
  const seed = o.seed !== 0 ? `-seed${o.seed}` : '';
  return `${o.quick ? 'quick' : 'full'}-${o.allClasses ? '10' : '8'}class${alpha}${seed}`;
}
