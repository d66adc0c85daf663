// NaN/Inf through the stateless tensor losses. They are pure tensor ops that never read the logits back
// to the host, so a finiteness check would add a device sync per training step; by design (README,
// "Contract") a NaN or ±Infinity logit propagates into the loss instead. Losses that read values back
// anyway (klDroLoss, KlDroReweighter, AldrKlLoss.call) reject them with E_NONFINITE. This test pins both
// halves for every exported `*Loss` function, so a new loss cannot silently fall outside the rule.
import { DroError } from '@drojs/dro-core';
import { describeBackends } from '@drojs/dro-core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import * as api from './index.js';

const READS_BACK = new Set(['klDroLoss']);

function lossFunctions(): [string, (...a: unknown[]) => tf.Tensor][] {
  const entries = Object.entries(api as Record<string, unknown>);
  return entries.filter(
    (e): e is [string, (...a: unknown[]) => tf.Tensor] => /^[a-z]\w*Loss$/.test(e[0]) && typeof e[1] === 'function',
  );
}

function argsFor(name: string, bad: number): unknown[] {
  if (name === 'klDroLoss') return [tf.tensor1d([1, bad, 0.5]), 0.5];
  const logits = tf.tensor2d([
    [1, bad, 0],
    [0.5, 0.2, -1],
  ]);
  const labels = tf.tensor1d([0, 2], 'int32');
  if (name === 'ldrTopKHingeLoss') return [logits, labels, { k: 1 }];
  if (name === 'truncatedGceLoss') return [logits, labels, { weights: tf.ones([2]) }];
  return [logits, labels];
}

describeBackends('non-finite logits through the stateless losses', ['cpu', 'wasm'], () => {
  it('pure tensor losses return NaN (documented); losses that read back throw E_NONFINITE', () => {
    const fns = lossFunctions();
    expect(fns.length).toBeGreaterThan(20);
    for (const [name, fn] of fns) {
      for (const bad of [Number.NaN, Number.POSITIVE_INFINITY]) {
        const args = argsFor(name, bad);
        let out: tf.Tensor | undefined;
        let err: unknown;
        try {
          out = fn(...args);
        } catch (e) {
          err = e;
        }
        if (READS_BACK.has(name)) {
          expect(err, name).toBeInstanceOf(DroError);
          expect((err as DroError).code, name).toBe('E_NONFINITE');
        } else if (err !== undefined) {
          // Only a DroError may escape (e.g. an option this generic call does not supply).
          expect(err, `${name}: ${String(err)}`).toBeInstanceOf(DroError);
        } else {
          const v = Array.from((out as tf.Tensor).dataSync());
          // NaN logit → NaN; +∞ may give NaN or ±∞ — never a silently finite loss.
          expect(
            v.some((x) => !Number.isFinite(x)),
            `${name} with ${bad}`,
          ).toBe(true);
        }
        tf.dispose([out as tf.Tensor, ...(args.filter((a) => a instanceof tf.Tensor) as tf.Tensor[])]);
      }
    }
  });
});
