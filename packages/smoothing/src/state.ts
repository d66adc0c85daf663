import { checkState, DroError, describeValue, invalidState, Rng, type RngState } from '@drojs/dro-core';

/**
 * Validates a serialised state with dro-core's `checkState`: a foreign `kind` or an unsupported `version` is
 * `E_STATE_VERSION`, and so is a malformed `options` or `rng` (a tampered state). `legacyKind` is the kind the
 * class wrote before the `@drojs/smoothing/<Class>` scheme; such states still load.
 */
export function checkSmoothingState(state: unknown, kind: string, legacyKind: string): Rng {
  checkState(state, kind, [1], [legacyKind]);
  const s = state as { options?: unknown; rng?: unknown };
  if (!s.options || typeof s.options !== 'object' || Array.isArray(s.options)) {
    throw invalidState('state.options', 'an object', describeValue(s.options));
  }
  return restoreOptions(() => Rng.fromState(s.rng as RngState));
}

/** Runs a resolver on a state's contents; any DroError it throws becomes `E_STATE_VERSION` (an invalid state). */
export function restoreOptions<T>(resolve: () => T): T {
  try {
    return resolve();
  } catch (e) {
    if (e instanceof DroError && e.code !== 'E_STATE_VERSION') {
      throw new DroError('E_STATE_VERSION', `invalid state: ${e.message}`, {
        argument: 'state',
        cause: e,
      });
    }
    throw e;
  }
}
