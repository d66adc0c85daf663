import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { create, decide, KINDS, report, restore, run } from './test-support/drive.js';

const roundTrip = (x: unknown): unknown => JSON.parse(JSON.stringify(x));
const stateOf = (c: unknown): unknown => (c as { getState(): unknown }).getState();

describe('checkpoint/restore continues identically', () => {
  for (const kind of KINDS) {
    it(`${kind}: fromState(JSON(getState())) after 120 steps continues 50 steps identically`, () => {
      const a = create(kind);
      run(kind, a, 0, 120);
      const b = restore(kind, roundTrip(stateOf(a)));
      expect(stateOf(b)).toEqual(stateOf(a));
      const outA = run(kind, a, 120, 170);
      const outB = run(kind, b, 120, 170);
      expect(roundTrip(outB)).toEqual(roundTrip(outA));
      expect(stateOf(b)).toEqual(stateOf(a));
    });

    it(`${kind}: snapshot between the decision and its update`, () => {
      const a = create(kind);
      run(kind, a, 0, 120);
      const d = decide(kind, a, 120);
      const b = restore(kind, roundTrip(stateOf(a)));
      const ra = report(kind, a, 120, d);
      const rb = report(kind, b, 120, d);
      expect(roundTrip(rb)).toEqual(roundTrip(ra));
      expect(roundTrip(run(kind, b, 121, 150))).toEqual(roundTrip(run(kind, a, 121, 150)));
      expect(stateOf(b)).toEqual(stateOf(a));
    });
  }

  it('restores in a second node process and continues with identical decisions', () => {
    const script = fileURLToPath(new URL('./test-support/continue.ts', import.meta.url));
    for (const kind of ['pgdroResample', 'rgdroExp3p', 'dump', 'rgdroSqrt'] as const) {
      const a = create(kind);
      run(kind, a, 0, 120);
      // Checkpoint in the middle of step 120 (after the decision, before its update).
      const d = decide(kind, a, 120);
      const job = { kind, state: stateOf(a), from: 120, to: 170, pending: { uids: d.uids, counts: d.counts } };
      const child = spawnSync(process.execPath, ['--import', 'tsx', script], {
        input: JSON.stringify(job),
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(child.status, child.stderr).toBe(0);
      const got = JSON.parse(child.stdout) as { outs: unknown[]; state: unknown };
      const outs = [report(kind, a, 120, d), ...run(kind, a, 121, 170)];
      expect(got.outs).toEqual(roundTrip(outs));
      expect(got.state).toEqual(roundTrip(stateOf(a)));
    }
  });
});
