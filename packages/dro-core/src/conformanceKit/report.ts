/** One evaluated vectors case: `failure` is null when it passed, else what differed. */
export interface ConformanceOutcome {
  id: string;
  failure: string | null;
}

/**
 * The closing protocol shared by every package's conformance runner: prints each failing case, counts an
 * empty file as a failure (a file of another format must not pass), prints `conformance: N passed, M failed`
 * and returns the exit code (1 when M > 0).
 */
export function reportConformance(
  outcomes: ConformanceOutcome[],
  format: string,
  log: (line: string) => void = console.log,
): number {
  let passed = 0;
  let failed = 0;
  for (const o of outcomes) {
    if (o.failure === null) passed++;
    else {
      failed++;
      log(`FAIL ${o.id}: ${o.failure}`);
    }
  }
  if (outcomes.length === 0) {
    failed++;
    log(`FAIL: the file holds no case of the ${format} format`);
  }
  log(`conformance: ${passed} passed, ${failed} failed`);
  return failed > 0 ? 1 : 0;
}

/** What a runner prints when it crashes before counting (unreadable file, bad JSON): one failure. */
export function reportConformanceCrash(error: unknown, log: (line: string) => void = console.log): number {
  console.error(error);
  log('conformance: 0 passed, 1 failed');
  return 1;
}
