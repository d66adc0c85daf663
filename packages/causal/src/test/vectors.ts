import { loadVectors } from '@drojs/dro-core/testing';

// biome-ignore lint/suspicious/noExplicitAny: JSON vectors
export const vectors = loadVectors<{ cases: Record<string, any> }>(
  new URL('../../vectors/causal.json', import.meta.url),
);
