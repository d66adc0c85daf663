import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadState, saveState } from '@drojs/dro-core/node';
import { describeBackends } from '@drojs/dro-core/testing';
import { expect, it } from 'vitest';
import * as api from './index.js';

describeBackends('saveState / loadState (dro-core/node) serve ldr-loss stateful classes', ['cpu'], () => {
  it('a saved AldrKlLoss and GlobalContrastiveLoss load back with the same state', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ldr-state-'));
    try {
      const a = new api.AldrKlLoss({ numInstances: 4, lambda0: 2 });
      a.call(
        [
          [1, 0, -1],
          [0.5, 2, 0],
        ],
        [0, 1],
        [2, 3],
      ).dispose();
      saveState(join(dir, 'aldr.json'), a);
      const b = loadState(join(dir, 'aldr.json'), api.AldrKlLoss.fromState);
      expect(b.getState()).toEqual(a.getState());
      expect(b.stats().visited).toBe(2);
      const g = new api.GlobalContrastiveLoss({ numInstances: 3 });
      saveState(join(dir, 'gcl.json'), g);
      expect(loadState(join(dir, 'gcl.json'), api.GlobalContrastiveLoss.fromState).getState()).toEqual(g.getState());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
