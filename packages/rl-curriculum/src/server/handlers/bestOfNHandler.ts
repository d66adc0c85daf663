import { bestOfNSelect } from '../../bestOfN.js';
import { checkParams } from '../protocol.js';
import type { Handler } from './context.js';

/**
 * `bestOfN` over the wire: the client sends reward scores of each group's candidates (computed by its own
 * reward model, e.g. a Crome reward model) and gets the Best-of-N picks back. The service scores nothing
 * itself, so it stays host-only and fast.
 */
export const bestOfNHandlers: ReadonlyArray<readonly [string, Handler]> = [
  [
    'bestOfN',
    {
      mutating: false,
      run: (p) => {
        checkParams(p, ['scores', 'n'], ['scores']);
        return bestOfNSelect(p.scores as number[][], p.n === undefined ? undefined : { n: p.n as number });
      },
    },
  ],
];
