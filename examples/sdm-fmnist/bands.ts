import type { SelectiveMetrics } from '@drojs/sdm';

/** Per evaluation set (by name), per method (by row name), the selective metrics of the run. */
export type ResultTable = Record<string, Record<string, SelectiveMetrics>>;

/** The expected bands of spec §11.2 (8 classes) as [description, passed] pairs. */
export function expectedBands(regionFound: boolean, table: ResultTable): [string, boolean][] {
  const id = table['ID test']!;
  const noise = table['uniform noise']!;
  const permuted = table['pixel-permuted']!;
  const lower = id['SDM_HR^lower']!;
  return [
    ['region found', regionFound],
    ['ID: SDM_HR^lower accuracy ≥ 0.97', (lower.marginalAccuracy ?? 0) >= 0.97],
    ['ID: SDM_HR^lower admission in [0.15, 0.60]', lower.admittedFraction >= 0.15 && lower.admittedFraction <= 0.6],
    ['ID: SDM_HR accuracy ≥ 0.97', (id.SDM_HR!.marginalAccuracy ?? 0) >= 0.97],
    ['uniform noise: SDM_HR^lower admits ≤ 2%', noise['SDM_HR^lower']!.admittedFraction <= 0.02],
    ['pixel-permuted: SDM_HR^lower admits ≤ 2%', permuted['SDM_HR^lower']!.admittedFraction <= 0.02],
    ['uniform noise: softmax ≥ α′ admits ≥ 50%', noise['softmax ≥ α′']!.admittedFraction >= 0.5],
  ];
}
