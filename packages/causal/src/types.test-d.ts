// Type tests, checked by `pnpm typecheck` (tsc).
import { expectTypeOf } from 'vitest';
import { Eacs, type LinearFit, tsls } from './index.js';

expectTypeOf(tsls({ y: [1, 2, 3], x: [[1], [2], [3]], z: [[1], [0], [1]] } as never)).toEqualTypeOf<LinearFit>();
expectTypeOf<LinearFit['params']>().toEqualTypeOf<number[]>();
expectTypeOf(Eacs.fromState).returns.toEqualTypeOf<Eacs>();
