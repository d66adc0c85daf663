import type { SelectiveMetrics } from '@drojs/sdm';

/** Per evaluation set (by name), per method (by row name), the selective metrics of the run. */
export type ResultTable = Record<string, Record<string, SelectiveMetrics>>;

/** The largest share of uniform-noise or pixel-permuted images that SDM_HR^lower may admit, on any seed. */
export const OOD_ADMISSION_LIMIT = 0.01;

/** SDM_HR^lower's admitted fraction on the two far-OOD sets (uniform noise, pixel-permuted). */
export function oodAdmission(table: ResultTable): { uniform: number; permuted: number; max: number } {
  const uniform = table['uniform noise']!['SDM_HR^lower']!.admittedFraction;
  const permuted = table['pixel-permuted']!['SDM_HR^lower']!.admittedFraction;
  return { uniform, permuted, max: Math.max(uniform, permuted) };
}

/**
 * The expected bands of spec §11.2 (8 classes) that apply once a region exists, as [description, passed]
 * pairs. Whether a region exists is reported separately: on this protocol it is a property of the method
 * and the seed (about 12 of 20 seeds), not a band. The OOD admission limit applies on every seed.
 */
export function expectedBands(table: ResultTable): [string, boolean][] {
  const id = table['ID test']!;
  const noise = table['uniform noise']!;
  const lower = id['SDM_HR^lower']!;
  const ood = oodAdmission(table);
  return [
    ['ID: SDM_HR^lower accuracy ≥ 0.97', (lower.marginalAccuracy ?? 0) >= 0.97],
    ['ID: SDM_HR^lower admission in [0.15, 0.60]', lower.admittedFraction >= 0.15 && lower.admittedFraction <= 0.6],
    ['ID: SDM_HR accuracy ≥ 0.97', (id.SDM_HR!.marginalAccuracy ?? 0) >= 0.97],
    [
      `uniform noise and pixel-permuted: SDM_HR^lower admits ≤ ${100 * OOD_ADMISSION_LIMIT}% each`,
      ood.max <= OOD_ADMISSION_LIMIT,
    ],
    ['uniform noise: softmax ≥ α′ admits ≥ 50%', noise['softmax ≥ α′']!.admittedFraction >= 0.5],
  ];
}
