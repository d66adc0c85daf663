import { DroError } from '@drojs/dro-core/host';
import type { LinearQModel } from './linearQModel.js';
import { checkFactorMdp, type FactorMdp } from './mdp.js';

/** The deterministic policy `[H][S]` that acts greedily on a fitted model at every state of an exact MDP. */
export function greedyPolicy(model: LinearQModel, mdp: FactorMdp): Int32Array[] {
  checkFactorMdp(mdp);
  if (model.H !== mdp.H || model.d !== mdp.d) {
    throw new DroError('E_SHAPE', 'model and mdp disagree on H or d', {
      argument: 'mdp',
      expected: `H = ${model.H}, d = ${model.d}`,
      received: `H = ${mdp.H}, d = ${mdp.d}`,
    });
  }
  return Array.from({ length: mdp.H }, (_, h) => Int32Array.from(mdp.phi[h]!, (rows) => model.act(h, rows)));
}
