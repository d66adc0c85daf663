import { createHash } from 'node:crypto';
import { arr, fail, int, isPlainObject, str } from '../check.js';
import { OnlineDifficultyClassifier } from '../classifier.js';
import { DumpScheduler } from '../dump.js';
import { PromptGdroSampler } from '../promptGdro/sampler.js';
import { RolloutGdroAllocator } from '../rolloutGdro/allocator.js';
import { canonicalJson, ProtocolError } from './protocol.js';

const REMEMBERED_STEPS = 8;

/** The controller kinds a `create` request names. */
export type ControllerKind = 'classifier' | 'promptGdro' | 'rolloutGdro' | 'dump';
export type Controller = OnlineDifficultyClassifier | PromptGdroSampler | RolloutGdroAllocator | DumpScheduler;

interface Remembered {
  step: number;
  digest: string;
  result: unknown;
}

/** One live controller with the results of its recent stepped calls (for idempotent retries). */
export interface Entry {
  kind: ControllerKind;
  ctrl: Controller;
  calls: Map<string, Remembered[]>;
  broken: boolean;
}

/** Remembered calls as JSON: method → [step, digest, result] entries. */
export type CallsJson = Record<string, Array<[number, string, unknown]>>;

// State kinds → controller kind; the pre-platform 'rl-curriculum/X' kinds still load.
const STATE_KINDS = new Map<string, ControllerKind>([
  ['@drojs/rl-curriculum/OnlineDifficultyClassifier', 'classifier'],
  ['@drojs/rl-curriculum/PromptGdroSampler', 'promptGdro'],
  ['@drojs/rl-curriculum/RolloutGdroAllocator', 'rolloutGdro'],
  ['@drojs/rl-curriculum/DumpScheduler', 'dump'],
  ['rl-curriculum/OnlineDifficultyClassifier', 'classifier'],
  ['rl-curriculum/PromptGdroSampler', 'promptGdro'],
  ['rl-curriculum/RolloutGdroAllocator', 'rolloutGdro'],
  ['rl-curriculum/DumpScheduler', 'dump'],
]);

/** The methods each controller kind answers. */
export const KIND_METHODS: Readonly<Record<ControllerKind, readonly string[]>> = {
  classifier: ['update', 'classify', 'state', 'load', 'drop'],
  promptGdro: ['sample', 'weights', 'update', 'classify', 'state', 'load', 'drop'],
  rolloutGdro: ['allocate', 'update', 'classify', 'state', 'load', 'drop'],
  dump: ['sample', 'weights', 'update', 'state', 'load', 'drop'],
};

/** Methods whose calls take a `step` key and are remembered. */
const STEPPED = new Set(['sample', 'weights', 'allocate', 'update']);

export function isControllerKind(kind: unknown): kind is ControllerKind {
  return typeof kind === 'string' && Object.hasOwn(KIND_METHODS, kind);
}

export function createController(kind: ControllerKind, config: unknown): Controller {
  switch (kind) {
    case 'classifier':
      return new OnlineDifficultyClassifier(config as never);
    case 'promptGdro':
      return new PromptGdroSampler(config as never);
    case 'rolloutGdro':
      return new RolloutGdroAllocator(config as never);
    case 'dump':
      return new DumpScheduler(config as never);
  }
}

/** A controller from its state, dispatched on the state's kind (E_STATE_VERSION for another kind). */
export function restoreController(state: unknown): [ControllerKind, Controller] {
  if (!isPlainObject(state)) fail('E_SPEC', 'state', 'must be a controller state object', 'an object', state);
  const kind = STATE_KINDS.get(state.kind as string);
  if (!kind)
    fail(
      'E_STATE_VERSION',
      'state.kind',
      'is not a controller state kind',
      [...STATE_KINDS.keys()].join(' | '),
      state.kind,
    );
  const s = state as never;
  switch (kind) {
    case 'classifier':
      return [kind, OnlineDifficultyClassifier.fromState(s)];
    case 'promptGdro':
      return [kind, PromptGdroSampler.fromState(s)];
    case 'rolloutGdro':
      return [kind, RolloutGdroAllocator.fromState(s)];
    case 'dump':
      return [kind, DumpScheduler.fromState(s)];
  }
}

/** Validates remembered calls of a `load` request or a snapshot. */
export function checkCalls(calls: unknown): Map<string, Remembered[]> {
  const m = new Map<string, Remembered[]>();
  if (calls === undefined || calls === null) return m;
  if (!isPlainObject(calls))
    fail('E_SPEC', 'calls', 'must be an object of method → [step, digest, result] entries', 'an object', calls);
  for (const method of Object.keys(calls)) {
    if (!STEPPED.has(method))
      fail('E_SPEC', `calls.${method}`, 'is not a method with step keys', [...STEPPED].join(', '), method);
    const list = arr(calls[method], `calls.${method}`).map((e, i) => {
      const a = arr(e, `calls.${method}[${i}]`);
      if (a.length !== 3)
        fail('E_SHAPE', `calls.${method}[${i}]`, 'must be [step, digest, result]', '3 entries', `${a.length}`);
      return {
        step: int(a[0], `calls.${method}[${i}][0]`, 0),
        digest: str(a[1], `calls.${method}[${i}][1]`),
        result: a[2],
      };
    });
    m.set(method, list.slice(-REMEMBERED_STEPS));
  }
  return m;
}

export function callsJson(calls: Map<string, Remembered[]>): CallsJson {
  const out: CallsJson = {};
  for (const k of [...calls.keys()].sort())
    out[k] = (calls.get(k) as Remembered[]).map((r) => [r.step, r.digest, r.result]);
  return out;
}

/** The service's live controllers by id, with the protocol rules for reaching and replacing them. */
export class ControllerRegistry {
  readonly controllers = new Map<string, Entry>();

  /** The controller named by `params.controller`, if it answers `method` and is usable. */
  get(p: Record<string, unknown>, method: string): Entry {
    const id = p.controller;
    if (typeof id !== 'string')
      throw new ProtocolError('E_DTYPE', 'params', 'params.controller must be a string', 'controller');
    const e = this.controllers.get(id);
    if (!e)
      throw new ProtocolError(
        'E_SPEC',
        'controller',
        `params.controller: unknown controller ${JSON.stringify(id)}`,
        'controller',
      );
    if (!KIND_METHODS[e.kind].includes(method)) {
      throw new ProtocolError(
        'E_SPEC',
        'method',
        `method ${JSON.stringify(method)} is not supported by a ${e.kind} controller`,
      );
    }
    if (e.broken && method !== 'drop' && method !== 'load') {
      throw new ProtocolError(
        'E_INTERNAL',
        'internal',
        `controller ${JSON.stringify(id)} is unusable after an internal error; load or drop it`,
      );
    }
    return e;
  }

  /** create and load share one rule for taking an id: an existing controller is only overwritten on request. */
  checkReplace(id: string, replace: unknown): void {
    if (replace !== undefined && typeof replace !== 'boolean')
      fail('E_DTYPE', 'replace', 'must be a boolean', 'true or false', replace);
    if (this.controllers.has(id) && replace !== true) {
      throw new ProtocolError(
        'E_SPEC',
        'exists',
        `params.controller ${JSON.stringify(id)} exists; pass replace: true`,
        'controller',
      );
    }
  }

  /**
   * Runs `exec` once per `params.step`: a retry with the same step and params answers the remembered result;
   * the same step with other params is a `step-conflict`, an older unremembered step is `stale-step`.
   */
  stepped(e: Entry, method: string, p: Record<string, unknown>, exec: () => unknown): unknown {
    if (p.step === undefined) return exec();
    const step = int(p.step, 'step', 0);
    const { step: _s, controller: _c, ...rest } = p;
    const digest = createHash('sha256').update(canonicalJson(rest)).digest('hex');
    const list = e.calls.get(method) ?? [];
    const hit = list.find((r) => r.step === step);
    if (hit) {
      if (hit.digest === digest) return hit.result;
      throw new ProtocolError(
        'E_SPEC',
        'step-conflict',
        `params.step ${step} was already used for ${method} with different params`,
        'step',
      );
    }
    const maxStep = list.reduce((m, r) => Math.max(m, r.step), -1);
    if (step <= maxStep) {
      throw new ProtocolError(
        'E_SPEC',
        'stale-step',
        `params.step ${step} is not after the last remembered ${method} step ${maxStep}`,
        'step',
      );
    }
    const result = JSON.parse(JSON.stringify(exec()));
    e.calls.set(method, [...list, { step, digest, result }].slice(-REMEMBERED_STEPS));
    return result;
  }
}
