import { fileURLToPath } from 'node:url';
import { describeBackends, loadVectors } from '@drojs/dro-core/testing';
import { expect, it } from 'vitest';
import { evaluateVectors } from './evaluate.js';

const file = fileURLToPath(new URL('../../vectors/steer.json', import.meta.url));
type Vectors = Record<string, { id: string; expected: Record<string, unknown> }[]>;

/**
 * The vectors without the digits fit: 600 steps take about 15 s, too slow for a unit test; the conformance
 * runner (`node dist/conformance.js vectors/steer.json`) runs it.
 */
function fast(): Vectors {
  const data = loadVectors<Vectors>(file);
  delete data.digits_demo;
  return data;
}

describeBackends('steer vectors', () => {
  it('every vendored case passes', async () => {
    const out = await evaluateVectors(fast());
    expect(out.length).toBe(23);
    expect(out.filter((o) => o.failure !== null)).toEqual([]);
  });

  it('a corrupted expected value fails, in every section', async () => {
    const corrupt: [string, (e: Record<string, unknown>) => void][] = [
      ['affine_map', (e) => ((e.out as number[][])[1]![2]! += 1e-3)],
      ['prox_sparse_group', (e) => ((e.out as number[])[0]! += 1e-6)],
      ['lineas_loss', (e) => ((e.grad_bias as number[][])[0]![1]! += 1e-3)],
      ['lineas_fit', (e) => ((e.trajectory as { loss_before: number }[])[2]!.loss_before *= 1.01)],
      ['baseline_maps', (e) => ((e.bias_maps as number[][])[1]![0]! += 1e-3)],
      ['steering_report', (e) => ((e.n_source as number) += 1)],
      ['uniform_coupling', (e) => ((e.mass as number[])[0]! += 1e-9)],
    ];
    for (const [section, change] of corrupt) {
      const data = fast();
      change(data[section]![0]!.expected);
      const failed = (await evaluateVectors(data)).filter((o) => o.failure !== null).map((o) => o.id);
      expect(failed, section).toEqual([`${section}/${data[section]![0]!.id}`]);
    }
  });
});
