const DECIMAL = /^-?\d+$/;

/**
 * Label order used everywhere a list of labels is sorted: decimal-integer labels first in numeric order,
 * then every other label in UTF-16 code-unit order (so `"excl"` sorts after every bin number).
 */
export function compareLabels(a: string, b: string): number {
  const da = DECIMAL.test(a);
  const db = DECIMAL.test(b);
  if (da && db) {
    const d = Number(a) - Number(b);
    if (d !== 0) return d < 0 ? -1 : 1;
  } else if (da !== db) return da ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Distinct labels of `xs`, sorted by {@link compareLabels}. */
export function sortedDistinct(xs: Iterable<string>): string[] {
  return [...new Set(xs)].sort(compareLabels);
}
