import { GroupDroWeights } from './group.js';
import { BestBy, RunningMean } from './metrics.js';
import { IndexedMovingLogMeanExp, MovingLogMeanExp } from './moving.js';
import { createRng, Rng } from './rng.js';
import { checkStatefulContract, describeBackends } from './testing/index.js';

// Every stateful class of dro-core, through the one contract test kit.
describeBackends('dro-core stateful classes', () => {
  checkStatefulContract({
    name: 'GroupDroWeights',
    make: () => new GroupDroWeights({ numGroups: 3, etaQ: 0.5 }),
    step: (g, i) => g.update([0.5 + i, 1.2, 2 - 0.1 * i]),
    fromState: GroupDroWeights.fromState,
    badOptions: { key: 'etaq', make: () => new GroupDroWeights({ numGroups: 2, etaq: 0.5 } as never) },
    badStep: (g) => g.updateHost([1, Number.NaN, 2]),
  });
  checkStatefulContract({
    name: 'MovingLogMeanExp',
    make: () => new MovingLogMeanExp({ lambda: 0.7, gamma: 0.3 }),
    step: (m, i) => m.update([0.1 * i, 1, 2]),
    fromState: MovingLogMeanExp.fromState,
    badOptions: { key: 'lamda', make: () => new MovingLogMeanExp({ lamda: 1 } as never) },
    badStep: (m) => m.update([1, Number.NaN]),
  });
  checkStatefulContract({
    name: 'IndexedMovingLogMeanExp',
    make: () => new IndexedMovingLogMeanExp({ size: 5, tau: 0.5, gamma: 0.4 }),
    step: (m, i) =>
      m.update(
        [i % 5, (i + 2) % 5],
        [
          [0.1, 0.2 * i],
          [1, 0.5],
        ],
      ),
    fromState: IndexedMovingLogMeanExp.fromState,
    badOptions: { key: 'sise', make: () => new IndexedMovingLogMeanExp({ sise: 5, tau: 1 } as never) },
    badStep: (m) => m.update([9], [[0.1, 0.2]]),
  });
});

checkStatefulContract({
  name: 'RunningMean',
  make: () => new RunningMean(),
  step: (r, i) => r.add(0.1 * i + 1, 1 + (i % 2)).value,
  fromState: RunningMean.fromState,
  badStep: (r) => r.add(Number.NaN),
  leakRepeats: 0,
});
checkStatefulContract({
  name: 'BestBy',
  make: () => new BestBy({ mode: 'max' }),
  step: (b, i) => b.update(Math.sin(i), i),
  fromState: BestBy.fromState,
  badOptions: { key: 'mdoe', make: () => new BestBy({ mdoe: 'max' } as never) },
  badStep: (b) => b.update(Number.NaN, 1),
  leakRepeats: 0,
});
checkStatefulContract({
  name: 'Rng',
  make: () => createRng('contract'),
  step: (r) => [r.u32(), r.normal(), r.uniform()],
  fromState: Rng.fromState,
  badStep: (r) => r.choice(3, 4),
  leakRepeats: 0,
});
