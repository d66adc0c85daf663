/**
 * Similarity q (spec §4.4): the length of the leading run of neighbours that were correctly predicted
 * (true label = predicted label) and predicted as the query's class. The rows must already exclude
 * the query itself. UNLABELED / OOD_LABEL neighbours never match, so they end the run.
 */
export function similarityQ(
  neighbourTrue: ArrayLike<number>,
  neighbourPredicted: ArrayLike<number>,
  prediction: number,
): number {
  const n = Math.min(neighbourTrue.length, neighbourPredicted.length);
  let q = 0;
  while (q < n && neighbourPredicted[q] === prediction && neighbourTrue[q] === neighbourPredicted[q]) q++;
  return q;
}
