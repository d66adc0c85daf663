import { classifierRunners } from './classifier.js';
import { dumpRunners } from './dump.js';
import { promptGdroRunners } from './promptGdro.js';
import { rolloutGdroRunners } from './rolloutGdro.js';
import type { CaseRunner } from './shared.js';
import { statelessRunners } from './stateless.js';

export type { CaseRunner } from './shared.js';

/**
 * Vectors key → runner (§17.1). A `Map`, so that a key such as `constructor` in a vectors file is an unknown
 * key rather than an inherited property.
 */
export const RUNNERS: ReadonlyMap<string, CaseRunner> = new Map(
  [statelessRunners, classifierRunners, promptGdroRunners, rolloutGdroRunners, dumpRunners].flatMap((g) =>
    Object.entries(g),
  ),
);
