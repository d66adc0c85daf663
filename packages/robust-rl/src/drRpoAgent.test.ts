import { expectDroError } from '@drojs/dro-core/testing';
import { describe, expect, it } from 'vitest';
import { DrRpoAgent, type DrRpoAgentOptions, rolloutEpisode } from './drRpoAgent.js';
import { regularizedRobustDp, uniformPolicy } from './drrpo.js';
import { toTabular } from './mdp.js';
import { trapMdp } from './models.js';
import { exactFrequencyDataset } from './sampling.js';

const mdp = trapMdp();
const { P, R } = toTabular(mdp);
const base: DrRpoAgentOptions = {
  H: 4,
  d: 12,
  nActions: 2,
  rho: 0.2,
  betaPolicy: 0.5,
  eta: 1,
  bonus: 0,
  ridge: 1e-9,
  theta: mdp.theta,
};

describe('DrRpoAgent (reconstructed online loop, spec §6.3)', () => {
  it('on exact-frequency data without bonus, repeated mirror steps converge to the exact regularised robust optimum', () => {
    const agent = new DrRpoAgent(base);
    const data = exactFrequencyDataset(P, R, 20);
    // Feed the data as episodes: the i-th transition of every step forms episode i (20 per pair, 12 pairs).
    const n = data.steps[0]!.length;
    for (let i = 0; i < n; i++) agent.observe(data.steps.map((list) => list[i]!));
    for (let k = 0; k < 60; k++) agent.update();
    const opt = regularizedRobustDp(mdp, uniformPolicy(4, 6, 2), { beta: 0.5, rho: 0.2 });
    for (let h = 0; h < 4; h++) {
      for (let s = 0; s < 6; s++) {
        const pi = agent.policy(h, mdp.phi[h]![s]!);
        for (let a = 0; a < 2; a++) expect(Math.abs(pi[a]! - opt.policy[h]![s]![a]!)).toBeLessThan(1e-6);
      }
    }
  });

  it('getState round-trips through JSON and continues bit-exactly; a rejected episode changes nothing', () => {
    const a = new DrRpoAgent({ ...base, bonus: 0.5, ridge: 1, theta: undefined } as DrRpoAgentOptions);
    for (let k = 0; k < 3; k++) {
      a.observe(rolloutEpisode(mdp, a, `ep-${k}`));
      a.update();
    }
    const b = DrRpoAgent.fromState(JSON.parse(JSON.stringify(a.getState())));
    expect(b.getState()).toEqual(a.getState());
    for (let k = 3; k < 6; k++) {
      const ea = rolloutEpisode(mdp, a, `ep-${k}`);
      const eb = rolloutEpisode(mdp, b, `ep-${k}`);
      expect(eb).toEqual(ea);
      a.observe(ea);
      b.observe(eb);
      a.update();
      b.update();
      expect(Array.from(b.policy(0, mdp.phi[0]![0]!))).toEqual(Array.from(a.policy(0, mdp.phi[0]![0]!)));
    }
    expect(JSON.stringify(b.getState())).toBe(JSON.stringify(a.getState()));
    const before = JSON.stringify(a.getState());
    const bad = rolloutEpisode(mdp, a, 'bad');
    bad[2] = { ...bad[2]!, reward: 2 };
    expectDroError(() => a.observe(bad), 'E_SPEC', 'reward');
    expectDroError(() => a.observe(bad.slice(1)), 'E_SHAPE');
    expect(JSON.stringify(a.getState())).toBe(before);
  });

  it('rejects bad options and foreign states', () => {
    expectDroError(() => new DrRpoAgent({ ...base, rho: 2 }), 'E_SPEC', 'rho');
    expectDroError(() => new DrRpoAgent({ ...base, eta: 0 }), 'E_SPEC', 'eta');
    expectDroError(() => new DrRpoAgent({ ...base, betaPolicy: -1 }), 'E_SPEC', 'betaPolicy');
    expectDroError(() => new DrRpoAgent({ ...base, etta: 1 } as DrRpoAgentOptions), 'E_SPEC', 'etta');
    expectDroError(() => new DrRpoAgent({ ...base, ref: [1, 0] }), 'E_SPEC', 'ref');
    expectDroError(() => new DrRpoAgent(base).update(), 'E_EMPTY');
    const s = new DrRpoAgent(base).getState();
    expectDroError(() => DrRpoAgent.fromState({ ...s, kind: 'x' } as never), 'E_STATE_VERSION', 'state.kind');
    expectDroError(() => DrRpoAgent.fromState({ ...s, version: 9 } as never), 'E_STATE_VERSION', 'state.version');
    expectDroError(() => DrRpoAgent.fromState({ ...s, coef: [1] }), 'E_STATE_VERSION', 'state.coef');
    const ctl = new AbortController();
    ctl.abort();
    const a = new DrRpoAgent(base);
    a.observe(rolloutEpisode(mdp, a, 1));
    expectDroError(() => a.update({ signal: ctl.signal }), 'E_ABORTED');
    expect(a.numUpdates).toBe(0);
  });
});
