import { checkState, DroError, describeValue, Rng, type RngState } from '@drojs/dro-core';

/**
 * Validates a serialised state: a foreign `kind` is E_SPEC (as the package spec requires), an
 * unsupported `version` E_STATE_VERSION (dro-core's checkState), a malformed rng E_SPEC.
 */
export function checkSmoothingState(state: unknown, kind: string): Rng {
  if (state === null || typeof state !== 'object' || Array.isArray(state)) {
    throw new DroError('E_SPEC', 'state must be an object', { argument: 'state', received: describeValue(state) });
  }
  const s = state as { kind?: unknown; options?: unknown; rng?: unknown };
  if (s.kind !== kind) {
    throw new DroError('E_SPEC', `state is not a ${kind} state`, {
      argument: 'state.kind',
      expected: JSON.stringify(kind),
      received: describeValue(s.kind),
    });
  }
  checkState(state, kind, [1]);
  if (!s.options || typeof s.options !== 'object') {
    throw new DroError('E_SPEC', 'state.options must be an object', {
      argument: 'state.options',
      received: describeValue(s.options),
    });
  }
  return Rng.fromState(s.rng as RngState);
}
