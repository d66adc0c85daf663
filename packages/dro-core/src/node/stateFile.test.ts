import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GroupDroWeights } from '../group.js';
import { expectDroError } from '../testing/index.js';
import { loadState, saveState } from './index.js';

describe('saveState / loadState', () => {
  it('round-trips any stateful class atomically (no temporary file left)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'drojs-state-'));
    const path = join(dir, 'gdro.json');
    const g = new GroupDroWeights({ numGroups: 3, etaQ: 0.2 });
    g.updateHost([1, 2, 3]);
    saveState(path, g);
    expect(readdirSync(dir)).toEqual(['gdro.json']);
    const h = loadState(path, GroupDroWeights.fromState);
    expect(h.getState()).toEqual(g.getState());
    expect(h.updateHost([3, 2, 1])).toEqual(g.updateHost([3, 2, 1]));
    rmSync(dir, { recursive: true });
  });
  it('maps faults to the table: missing file E_IO, not JSON E_STATE_VERSION, bad arguments E_SPEC', () => {
    const dir = mkdtempSync(join(tmpdir(), 'drojs-state-'));
    expectDroError(() => loadState(join(dir, 'none.json'), GroupDroWeights.fromState), 'E_IO', 'path');
    writeFileSync(join(dir, 'bad.json'), '{not json');
    expectDroError(() => loadState(join(dir, 'bad.json'), GroupDroWeights.fromState), 'E_STATE_VERSION', 'path');
    writeFileSync(join(dir, 'other.json'), JSON.stringify({ kind: '@drojs/other/Other', version: 1 }));
    expectDroError(() => loadState(join(dir, 'other.json'), GroupDroWeights.fromState), 'E_STATE_VERSION', 'kind');
    expectDroError(() => saveState(join(dir, 'x.json'), {} as never), 'E_SPEC', 'obj');
    expectDroError(() => saveState(join(dir, 'missing', 'x.json'), new GroupDroWeights({ numGroups: 2 })), 'E_IO');
    rmSync(dir, { recursive: true });
  });
});
