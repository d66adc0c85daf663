import { checkSeed, createRng, DroError, describeValue, Rng, type Seed } from '@drojs/dro-core';

/** Where a call's randomness comes from: a seed or an `Rng` (at most one). */
export interface RandomSource {
  /** A non-negative safe integer or a string. */
  seed?: Seed;
  rng?: Rng;
}

/** Progress of a sampling phase. */
export interface Progress {
  phase: 'selection' | 'estimation';
  /** DRS only. */
  side?: 'left' | 'right';
  /** Noisy samples evaluated in this phase so far. */
  done: number;
  total: number;
}

/** Progress callback and abort signal of long calls. */
export interface RunControl {
  onProgress?: (p: Progress) => void;
  signal?: AbortSignal;
}

/** A fresh unpredictable seed (crypto), for calls given neither seed nor rng. */
export function freshSeed(): number {
  const w = new Uint32Array(2);
  globalThis.crypto.getRandomValues(w);
  // 53 bits: a safe integer.
  return (w[0] as number) * 2 ** 21 + ((w[1] as number) >>> 11);
}

/**
 * Resolves a RandomSource into the Rng a call uses. With `rng`, that object is used (and advanced);
 * `restore()` puts it back to its state at call start, for calls that reject.
 */
export function resolveRandom(src: RandomSource): { rng: Rng; seed?: Seed; restore: () => void } {
  if (src.seed !== undefined && src.rng !== undefined) {
    throw new DroError('E_SPEC', 'give either seed or rng, not both', {
      argument: 'seed',
      received: 'both seed and rng',
    });
  }
  if (src.rng !== undefined) {
    if (!(src.rng instanceof Rng))
      throw new DroError('E_SPEC', 'rng must be a dro-core Rng', { argument: 'rng', received: describeValue(src.rng) });
    const saved = src.rng.getState();
    const rng = src.rng;
    return { rng, restore: () => rng.setState(saved) };
  }
  const seed = src.seed === undefined ? freshSeed() : checkSeed(src.seed);
  return { rng: createRng(seed), seed, restore: () => {} };
}

/** Yields to the event loop so progress, abort and UI stay responsive. */
export function yieldToEventLoop(): Promise<void> {
  const g = globalThis as { setImmediate?: (f: () => void) => unknown };
  return new Promise((resolve) => (g.setImmediate ? g.setImmediate(resolve) : setTimeout(resolve, 0)));
}

/**
 * Throws `DroError('E_ABORTED')` when aborted, with the signal's reason as its `cause` (nothing but a DroError
 * escapes a public function; the reason stays reachable).
 */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) {
    throw new DroError('E_ABORTED', 'the work was aborted', { argument: 'signal', cause: signal.reason });
  }
}

/** Checks the RunControl fields. */
export function checkRunControl(rc: RunControl): void {
  if (rc.onProgress !== undefined && typeof rc.onProgress !== 'function') {
    throw new DroError('E_SPEC', 'onProgress must be a function', {
      argument: 'onProgress',
      received: describeValue(rc.onProgress),
    });
  }
  if (rc.signal !== undefined && (typeof rc.signal !== 'object' || rc.signal === null || !('aborted' in rc.signal))) {
    throw new DroError('E_SPEC', 'signal must be an AbortSignal', {
      argument: 'signal',
      received: describeValue(rc.signal),
    });
  }
}
