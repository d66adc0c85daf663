import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';

/** Anything with the stateful contract's `getState()`; `kind` and `version` are read from its result. */
export interface StatefulObject {
  getState(): unknown;
}

/** What {@link checkStatefulContract} needs to exercise one stateful class. */
export interface StatefulContractCase<T extends StatefulObject> {
  /** The class's name, used in test titles (`'GroupDroWeights'`). */
  name: string;
  /** A fresh object with fixed options and seed. */
  make: () => T;
  /**
   * Advances `obj` by one batch (its `update`, `step` or `call`) and returns something comparable; may return
   * a promise (async methods such as a sampler's `certify`), which is awaited.
   */
  step: (obj: T, i: number) => unknown;
  /** The class's `fromState`. */
  fromState: (state: never) => T;
  /** Steps before and after the checkpoint (default 3). */
  steps?: number;
  /**
   * Builds the class with options holding one misspelt `key`; must throw `E_SPEC` naming it (or return a
   * promise that rejects so, for classes built by an async factory such as `SdmEstimator.fit`).
   */
  badOptions?: { key: string; make: () => unknown };
  /** A call that must be rejected (throw, or return a rejected promise); the object's state must be unchanged after it. */
  badStep?: (obj: T) => unknown;
  /** Repeated steps for the leak check (default 20; 0 skips it for host-only classes). */
  leakRepeats?: number;
}

/** Tensors and typed arrays as plain arrays so results compare with `toEqual` (bit-exact, −0 ≠ 0). */
function comparable(x: unknown): unknown {
  if (x instanceof tf.Tensor) return { shape: x.shape, dtype: x.dtype, values: Array.from(x.dataSync()) };
  if (ArrayBuffer.isView(x) && !(x instanceof DataView)) return Array.from(x as unknown as ArrayLike<number>);
  if (Array.isArray(x)) return x.map(comparable);
  if (x instanceof Map) return [...x.entries()].map(comparable);
  if (x && typeof x === 'object') {
    return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, comparable(v)]));
  }
  return x;
}

function dispose(x: unknown): void {
  if (x instanceof tf.Tensor && !(x instanceof tf.Variable)) x.dispose();
  else if (Array.isArray(x)) x.forEach(dispose);
  else if (x && typeof x === 'object' && !ArrayBuffer.isView(x)) for (const v of Object.values(x)) dispose(v);
}

async function runStep<T extends StatefulObject>(c: StatefulContractCase<T>, obj: T, i: number): Promise<unknown> {
  const r = await c.step(obj, i);
  const out = comparable(r);
  dispose(r);
  return out;
}

function roundTrip(state: unknown): Record<string, unknown> {
  return JSON.parse(JSON.stringify(state)) as Record<string, unknown>;
}

async function expectCode(fn: () => unknown, code: string, argument?: string): Promise<void> {
  let err: unknown;
  try {
    await fn();
  } catch (e) {
    err = e;
  }
  expect((err as { name?: string } | undefined)?.name, `expected a DroError ${code}`).toBe('DroError');
  expect((err as { code?: string }).code).toBe(code);
  if (argument !== undefined) expect((err as Error).message).toContain(argument);
}

/**
 * The stateful contract as code, in the manner of scikit-learn's `check_estimator`: registers vitest tests
 * that every stateful class of every package must pass —
 * - `getState()` is plain JSON with `kind: '@drojs/<package>/<Class>'` and a numeric `version`;
 * - a JSON round trip of the state, restored with `fromState`, continues bit-exactly (same step results,
 *   same next state);
 * - a state of a foreign kind or an unsupported version is rejected with `E_STATE_VERSION`;
 * - a misspelt option is rejected with `E_SPEC` naming the key;
 * - a rejected call leaves the state (RNG included) untouched;
 * - repeated steps leak no tensors.
 */
export function checkStatefulContract<T extends StatefulObject>(c: StatefulContractCase<T>): void {
  const steps = c.steps ?? 3;
  describe(`${c.name} stateful contract`, () => {
    it('getState is plain JSON with a @drojs/<package>/<Class> kind and a version', async () => {
      const obj = c.make();
      for (let i = 0; i < steps; i++) await runStep(c, obj, i);
      const s = obj.getState() as Record<string, unknown>;
      expect(roundTrip(s)).toEqual(s);
      expect(s.kind).toMatch(/^@drojs\/[a-z0-9-]+\/[A-Z][A-Za-z0-9]*$/);
      expect(typeof s.version).toBe('number');
    });

    it('a JSON round trip continues bit-exactly', async () => {
      const a = c.make();
      for (let i = 0; i < steps; i++) await runStep(c, a, i);
      const b = c.fromState(roundTrip(a.getState()) as never);
      expect(comparable(b.getState())).toEqual(comparable(a.getState()));
      for (let i = steps; i < 2 * steps; i++)
        expect(await runStep(c, b, i), `step ${i}`).toEqual(await runStep(c, a, i));
      expect(comparable(b.getState())).toEqual(comparable(a.getState()));
    });

    it('a foreign kind or an unsupported version is rejected with E_STATE_VERSION', async () => {
      const s = roundTrip(c.make().getState());
      await expectCode(() => c.fromState({ ...s, kind: '@drojs/other/Other' } as never), 'E_STATE_VERSION', 'kind');
      await expectCode(() => c.fromState({ ...s, version: 9999 } as never), 'E_STATE_VERSION', 'version');
    });

    if (c.badOptions) {
      const bad = c.badOptions;
      it(`a misspelt option ('${bad.key}') is rejected with E_SPEC naming it`, async () => {
        await expectCode(bad.make, 'E_SPEC', bad.key);
      });
    }

    if (c.badStep) {
      const badStep = c.badStep;
      it('a rejected call leaves the state and its RNG untouched', async () => {
        const obj = c.make();
        await runStep(c, obj, 0);
        const before = roundTrip(obj.getState());
        let err: unknown;
        try {
          dispose(await badStep(obj));
        } catch (e) {
          err = e;
        }
        expect((err as { name?: string } | undefined)?.name, 'the bad call must throw a DroError').toBe('DroError');
        expect(roundTrip(obj.getState())).toEqual(before);
      });
    }

    const repeats = c.leakRepeats ?? 20;
    if (repeats > 0) {
      it('repeated steps leak no tensors', async () => {
        const obj = c.make();
        await runStep(c, obj, 0);
        const before = tf.memory().numTensors;
        for (let i = 1; i <= repeats; i++) await runStep(c, obj, i);
        expect(tf.memory().numTensors).toBe(before);
      });
    }
  });
}
