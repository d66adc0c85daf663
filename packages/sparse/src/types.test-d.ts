// Type tests, checked by `pnpm typecheck` (tsc).
import { expectTypeOf } from 'vitest';
import { fitPenalized, type SparseFit, SparseRegression } from './index.js';

expectTypeOf(fitPenalized([[1, 2]], [1], { lambda: 0.1 })).toEqualTypeOf<SparseFit>();
expectTypeOf(SparseRegression.fromState).returns.toEqualTypeOf<SparseRegression>();
