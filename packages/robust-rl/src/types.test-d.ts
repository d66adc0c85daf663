// Type tests, checked by `pnpm typecheck` (tsc).
import { expectTypeOf } from 'vitest';
import { fitR2pvi, type LinearMdpDataset, LinearQModel } from './index.js';

declare const data: LinearMdpDataset;
expectTypeOf(fitR2pvi(data, { divergence: 'kl', lambda: 0.3 } as never)).toEqualTypeOf<LinearQModel>();
expectTypeOf(LinearQModel.fromState).returns.toEqualTypeOf<LinearQModel>();
