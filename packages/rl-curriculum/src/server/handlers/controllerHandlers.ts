import { isDroError } from '@drojs/dro-core/host';
import { arr, fail, int, str, strArray } from '../../check.js';
import { OnlineDifficultyClassifier } from '../../classifier.js';
import { DumpScheduler } from '../../dump.js';
import type { PromptGdroSampler } from '../../promptGdro/sampler.js';
import type { GroupResult } from '../../results.js';
import type { RolloutGdroAllocator } from '../../rolloutGdro/allocator.js';
import { checkParams, ProtocolError } from '../protocol.js';
import {
  type Controller,
  callsJson,
  checkCalls,
  createController,
  isControllerKind,
  KIND_METHODS,
  restoreController,
} from '../registry.js';
import type { Handler } from './context.js';

/** A controller built from `config`: its option errors are reported against `config` (not `options`). */
function buildController(kind: Parameters<typeof createController>[0], config: unknown): Controller {
  try {
    return createController(kind, config);
  } catch (err) {
    if (isDroError(err)) {
      throw new ProtocolError(
        err.code,
        'params',
        err.message.replace(/options/g, 'config'),
        err.argument?.replace(/^options/, 'config'),
      );
    }
    throw err;
  }
}

/** Methods on named controllers: `create`, `sample`, `weights`, `allocate`, `update`, `classify`, `state`, `load`, `drop`. */
export const controllerHandlers: ReadonlyArray<readonly [string, Handler]> = [
  [
    'create',
    {
      mutating: true,
      run: (p, { registry }) => {
        checkParams(p, ['controller', 'kind', 'config', 'replace'], ['controller', 'kind']);
        const id = str(p.controller, 'controller');
        const kind = p.kind;
        if (!isControllerKind(kind))
          fail('E_SPEC', 'kind', 'is not a controller kind', Object.keys(KIND_METHODS).join(' | '), p.kind);
        registry.checkReplace(id, p.replace);
        const ctrl = buildController(kind, p.config ?? {});
        registry.controllers.set(id, { kind, ctrl, calls: new Map(), broken: false });
        const labels = ctrl instanceof DumpScheduler ? undefined : [...ctrl.labels];
        return labels ? { controller: id, kind, labels } : { controller: id, kind };
      },
    },
  ],
  [
    'sample',
    {
      mutating: true,
      run: (p, { registry }) => {
        const e = registry.get(p, 'sample');
        checkParams(p, ['controller', 'batchSize', 'step'], ['controller', 'batchSize']);
        const bs = int(p.batchSize, 'batchSize', 1);
        return registry.stepped(e, 'sample', p, () => (e.ctrl as PromptGdroSampler | DumpScheduler).sample(bs));
      },
    },
  ],
  [
    'weights',
    {
      mutating: true,
      run: (p, { registry }) => {
        const e = registry.get(p, 'weights');
        if (e.kind === 'dump') {
          checkParams(p, ['controller', 'step'], ['controller']);
          const d = e.ctrl as DumpScheduler;
          return registry.stepped(e, 'weights', p, () => ({ weights: d.weights(), metrics: d.metrics() }));
        }
        checkParams(p, ['controller', 'uids', 'rolloutCounts', 'step'], ['controller', 'uids']);
        const uids = strArray(p.uids, 'uids');
        const opts = p.rolloutCounts === undefined ? undefined : { rolloutCounts: p.rolloutCounts as number[] };
        return registry.stepped(e, 'weights', p, () => (e.ctrl as PromptGdroSampler).weights(uids, opts));
      },
    },
  ],
  [
    'allocate',
    {
      mutating: true,
      run: (p, { registry }) => {
        const e = registry.get(p, 'allocate');
        checkParams(p, ['controller', 'uids', 'totalBudget', 'step'], ['controller', 'uids']);
        const uids = strArray(p.uids, 'uids');
        const opts = p.totalBudget === undefined ? undefined : { totalBudget: int(p.totalBudget, 'totalBudget') };
        return registry.stepped(e, 'allocate', p, () => (e.ctrl as RolloutGdroAllocator).allocate(uids, opts));
      },
    },
  ],
  [
    'update',
    {
      mutating: true,
      run: (p, { registry }) => {
        const e = registry.get(p, 'update');
        checkParams(p, ['controller', 'results', 'step'], ['controller', 'results']);
        const results = arr(p.results, 'results') as GroupResult[];
        return registry.stepped(e, 'update', p, () =>
          (e.ctrl as { update(r: GroupResult[]): unknown }).update(results),
        );
      },
    },
  ],
  [
    'classify',
    {
      mutating: false,
      run: (p, { registry }) => {
        const e = registry.get(p, 'classify');
        checkParams(p, ['controller', 'uids'], ['controller', 'uids']);
        const uids = strArray(p.uids, 'uids');
        const cls =
          e.ctrl instanceof OnlineDifficultyClassifier
            ? e.ctrl
            : (e.ctrl as PromptGdroSampler | RolloutGdroAllocator).classifier;
        return { bins: uids.map((u) => cls.peek(u)), accuracy: uids.map((u) => cls.accuracy(u)) };
      },
    },
  ],
  [
    'state',
    {
      mutating: false,
      run: (p, { registry }) => {
        const e = registry.get(p, 'state');
        checkParams(p, ['controller'], ['controller']);
        return { state: e.ctrl.getState(), calls: callsJson(e.calls) };
      },
    },
  ],
  [
    'load',
    {
      mutating: true,
      run: (p, { registry }) => {
        checkParams(p, ['controller', 'state', 'calls', 'replace'], ['controller', 'state']);
        const id = str(p.controller, 'controller');
        registry.checkReplace(id, p.replace);
        const [kind, ctrl] = restoreController(p.state);
        const calls = checkCalls(p.calls);
        registry.controllers.set(id, { kind, ctrl, calls, broken: false });
        return { controller: id, kind };
      },
    },
  ],
  [
    'drop',
    {
      mutating: true,
      run: (p, { registry }) => {
        registry.get(p, 'drop');
        checkParams(p, ['controller'], ['controller']);
        registry.controllers.delete(p.controller as string);
        return {};
      },
    },
  ],
];
