import { createHash } from 'node:crypto';
import { DroError, isDroError } from '@drojs/dro-core/host';
import { grpoAdvantages } from '../advantages.js';
import { arr, fail, int, isPlainObject, num, str, strArray } from '../check.js';
import { OnlineDifficultyClassifier } from '../classifier.js';
import { type DrpoOutput, drpoBatchLoss, drpoKlPenalty, drpoWeights } from '../drpo.js';
import { DumpScheduler } from '../dump.js';
import { PromptGdroSampler } from '../promptGdro/sampler.js';
import type { GroupResult } from '../results.js';
import { RolloutGdroAllocator } from '../rolloutGdro/allocator.js';
import { zeroVarianceMask } from '../zeroVariance.js';

/** Protocol version of the JSON-lines / HTTP service (§13). */
export const PROTOCOL = 1;
/** Default bound of one request line/body: 64 MiB. */
export const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;
const REMEMBERED_STEPS = 8;

export type ControllerKind = 'classifier' | 'promptGdro' | 'rolloutGdro' | 'dump';
type Controller = OnlineDifficultyClassifier | PromptGdroSampler | RolloutGdroAllocator | DumpScheduler;
type Reason =
  | 'parse'
  | 'request'
  | 'method'
  | 'params'
  | 'controller'
  | 'exists'
  | 'too-large'
  | 'step-conflict'
  | 'stale-step'
  | 'internal';

/** A protocol failure with its `reason` (§13.2). */
class ProtocolError extends Error {
  constructor(
    readonly code: string,
    readonly reason: Reason,
    message: string,
    readonly path?: string,
  ) {
    super(message);
  }
}

interface Remembered {
  step: number;
  digest: string;
  result: unknown;
}

interface Entry {
  kind: ControllerKind;
  ctrl: Controller;
  calls: Map<string, Remembered[]>;
  broken: boolean;
}

/** Snapshot of every controller (what `--state-file` stores). */
export interface ServiceSnapshot {
  kind: 'rl-curriculum/ServiceSnapshot';
  version: 1;
  controllers: Array<{
    controller: string;
    kind: ControllerKind;
    state: unknown;
    calls: Record<string, Array<[number, string, unknown]>>;
  }>;
}

const STATE_KINDS: Record<string, ControllerKind> = {
  'rl-curriculum/OnlineDifficultyClassifier': 'classifier',
  'rl-curriculum/PromptGdroSampler': 'promptGdro',
  'rl-curriculum/RolloutGdroAllocator': 'rolloutGdro',
  'rl-curriculum/DumpScheduler': 'dump',
};

const KIND_METHODS: Record<ControllerKind, string[]> = {
  classifier: ['update', 'classify', 'state', 'load', 'drop'],
  promptGdro: ['sample', 'weights', 'update', 'classify', 'state', 'load', 'drop'],
  rolloutGdro: ['allocate', 'update', 'classify', 'state', 'load', 'drop'],
  dump: ['sample', 'weights', 'update', 'state', 'load', 'drop'],
};

const METHODS = [
  'hello',
  'create',
  'sample',
  'weights',
  'allocate',
  'update',
  'classify',
  'advantages',
  'zeroVarianceMask',
  'drpoWeights',
  'drpoKlPenalty',
  'state',
  'load',
  'drop',
  'list',
  'close',
  'snapshot',
];

/** Methods that change controller state (counted for snapshots). */
const MUTATING = new Set(['create', 'sample', 'weights', 'allocate', 'update', 'load', 'drop']);
const STEPPED = new Set(['sample', 'weights', 'allocate', 'update']);

/** Canonical JSON: object keys sorted recursively, no whitespace, numbers as JSON.stringify prints them. */
export function canonicalJson(x: unknown): string {
  if (x === null || typeof x !== 'object') return JSON.stringify(x) ?? 'null';
  if (Array.isArray(x)) return `[${x.map(canonicalJson).join(',')}]`;
  const o = x as Record<string, unknown>;
  return `{${Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
    .join(',')}}`;
}

function params(p: Record<string, unknown>, allowed: readonly string[], required: readonly string[]): void {
  for (const k of Object.keys(p)) {
    if (!allowed.includes(k))
      throw new ProtocolError(
        'E_SPEC',
        'params',
        `params.${k} is not a parameter of this method (accepted: ${allowed.join(', ')})`,
        k,
      );
  }
  for (const k of required) {
    if (p[k] === undefined) throw new ProtocolError('E_SPEC', 'params', `params.${k} is required`, k);
  }
}

function createController(kind: ControllerKind, config: unknown): Controller {
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

function restoreController(state: unknown): [ControllerKind, Controller] {
  if (!isPlainObject(state)) fail('E_SPEC', 'state', 'must be a controller state object', 'an object', state);
  const kind = STATE_KINDS[state.kind as string];
  if (!kind)
    fail(
      'E_STATE_VERSION',
      'state.kind',
      'is not a controller state kind',
      Object.keys(STATE_KINDS).join(' | '),
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

function checkCalls(calls: unknown): Map<string, Remembered[]> {
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

function callsJson(calls: Map<string, Remembered[]>): Record<string, Array<[number, string, unknown]>> {
  const out: Record<string, Array<[number, string, unknown]>> = {};
  for (const k of [...calls.keys()].sort())
    out[k] = (calls.get(k) as Remembered[]).map((r) => [r.step, r.digest, r.result]);
  return out;
}

/** Transport-free dispatcher of the curriculum protocol (§13.2). */
export interface CurriculumService {
  /** Handles one request line (or HTTP body) and returns the reply line (without newline). */
  handle(line: string, where?: string): string;
  /** True after a `close` request. */
  readonly closed: boolean;
  /** Successful state-changing requests so far. */
  readonly mutations: number;
  /** Every controller's state and remembered calls. */
  snapshot(): ServiceSnapshot;
  /** Replaces all controllers by a snapshot (validated completely first). */
  restore(s: ServiceSnapshot): void;
  /** Optional hook of the `snapshot` method (the CLI's `--state-file`). */
  onSnapshot?: () => string;
  /** Reply for an input that was too large to read (transports call this instead of `handle`). */
  tooLarge(size: number | null, where?: string): string;
  /** Reply for undecodable bytes. */
  badEncoding(where?: string): string;
}

/**
 * Creates the protocol dispatcher. Every request is validated completely, then executed synchronously,
 * so concurrent transports see a serial order and a rejected request changes nothing.
 */
export function createCurriculumService(o: { maxBytes?: number } = {}): CurriculumService {
  const maxBytes = o.maxBytes ?? DEFAULT_MAX_BYTES;
  const controllers = new Map<string, Entry>();
  let closed = false;
  let mutations = 0;

  const errorReply = (id: unknown, e: ProtocolError): string => {
    const error: Record<string, unknown> = { code: e.code, message: e.message, reason: e.reason };
    if (e.path !== undefined) error.path = e.path;
    return JSON.stringify({ id, error });
  };

  const getEntry = (p: Record<string, unknown>, method: string): [string, Entry] => {
    const id = p.controller;
    if (typeof id !== 'string')
      throw new ProtocolError('E_DTYPE', 'params', 'params.controller must be a string', 'controller');
    const e = controllers.get(id);
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
    return [id, e];
  };

  // create and load share one rule for taking an id: an existing controller is only overwritten on request.
  const checkReplace = (id: string, replace: unknown): void => {
    if (replace !== undefined && typeof replace !== 'boolean')
      fail('E_DTYPE', 'replace', 'must be a boolean', 'true or false', replace);
    if (controllers.has(id) && replace !== true) {
      throw new ProtocolError(
        'E_SPEC',
        'exists',
        `params.controller ${JSON.stringify(id)} exists; pass replace: true`,
        'controller',
      );
    }
  };

  const stepped = (e: Entry, method: string, p: Record<string, unknown>, exec: () => unknown): unknown => {
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
  };

  const handlers: Record<string, (p: Record<string, unknown>) => unknown> = {
    hello: (p) => {
      params(p, [], []);
      return { protocol: PROTOCOL, package: '@drojs/rl-curriculum', methods: METHODS };
    },
    create: (p) => {
      params(p, ['controller', 'kind', 'config', 'replace'], ['controller', 'kind']);
      const id = str(p.controller, 'controller');
      const kind = p.kind as ControllerKind;
      if (!(kind in KIND_METHODS))
        fail('E_SPEC', 'kind', 'is not a controller kind', Object.keys(KIND_METHODS).join(' | '), p.kind);
      checkReplace(id, p.replace);
      let ctrl: Controller;
      try {
        ctrl = createController(kind, p.config ?? {});
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
      controllers.set(id, { kind, ctrl, calls: new Map(), broken: false });
      const labels = ctrl instanceof DumpScheduler ? undefined : [...(ctrl as { labels: readonly string[] }).labels];
      return labels ? { controller: id, kind, labels } : { controller: id, kind };
    },
    sample: (p) => {
      const [, e] = getEntry(p, 'sample');
      params(p, ['controller', 'batchSize', 'step'], ['controller', 'batchSize']);
      const bs = int(p.batchSize, 'batchSize', 1);
      return stepped(e, 'sample', p, () => (e.ctrl as PromptGdroSampler | DumpScheduler).sample(bs));
    },
    weights: (p) => {
      const [, e] = getEntry(p, 'weights');
      if (e.kind === 'dump') {
        params(p, ['controller', 'step'], ['controller']);
        const d = e.ctrl as DumpScheduler;
        return stepped(e, 'weights', p, () => ({ weights: d.weights(), metrics: d.metrics() }));
      }
      params(p, ['controller', 'uids', 'rolloutCounts', 'step'], ['controller', 'uids']);
      const uids = strArray(p.uids, 'uids');
      const opts = p.rolloutCounts === undefined ? undefined : { rolloutCounts: p.rolloutCounts as number[] };
      return stepped(e, 'weights', p, () => (e.ctrl as PromptGdroSampler).weights(uids, opts));
    },
    allocate: (p) => {
      const [, e] = getEntry(p, 'allocate');
      params(p, ['controller', 'uids', 'totalBudget', 'step'], ['controller', 'uids']);
      const uids = strArray(p.uids, 'uids');
      const opts = p.totalBudget === undefined ? undefined : { totalBudget: int(p.totalBudget, 'totalBudget') };
      return stepped(e, 'allocate', p, () => (e.ctrl as RolloutGdroAllocator).allocate(uids, opts));
    },
    update: (p) => {
      const [, e] = getEntry(p, 'update');
      params(p, ['controller', 'results', 'step'], ['controller', 'results']);
      const results = arr(p.results, 'results') as GroupResult[];
      return stepped(e, 'update', p, () => (e.ctrl as { update(r: GroupResult[]): unknown }).update(results));
    },
    classify: (p) => {
      const [, e] = getEntry(p, 'classify');
      params(p, ['controller', 'uids'], ['controller', 'uids']);
      const uids = strArray(p.uids, 'uids');
      const cls =
        e.ctrl instanceof OnlineDifficultyClassifier
          ? e.ctrl
          : (e.ctrl as PromptGdroSampler | RolloutGdroAllocator).classifier;
      return { bins: uids.map((u) => cls.peek(u)), accuracy: uids.map((u) => cls.accuracy(u)) };
    },
    advantages: (p) => {
      params(p, ['groups', 'options'], ['groups']);
      return { advantages: grpoAdvantages(p.groups as number[][], p.options as never) };
    },
    zeroVarianceMask: (p) => {
      params(p, ['groups', 'tol'], ['groups']);
      return {
        keep: zeroVarianceMask(p.groups as number[][], p.tol === undefined ? undefined : { tol: p.tol as number }),
      };
    },
    drpoWeights: (p) => {
      params(p, ['questions', 'options'], ['questions', 'options']);
      const qs = arr(p.questions, 'questions').map((q0, i) => {
        if (!isPlainObject(q0)) fail('E_DTYPE', `questions[${i}]`, 'must be an object', 'an object', q0);
        const { rewards, correct, ...rest } = q0;
        if ((rewards === undefined) === (correct === undefined)) {
          fail('E_SPEC', `questions[${i}]`, 'needs exactly one of correct and rewards', 'correct | rewards');
        }
        if (rewards !== undefined) {
          const c = arr(rewards, `questions[${i}].rewards`).map((r, j) => {
            const v = num(r, `questions[${i}].rewards[${j}]`);
            if (v !== 0 && v !== 1)
              fail('E_LABEL_RANGE', `questions[${i}].rewards[${j}]`, 'must be exactly 0 or 1', '0 | 1', v);
            return v === 1;
          });
          return { ...rest, correct: c };
        }
        return { ...rest, correct };
      });
      const outputs: DrpoOutput[] = qs.map((q) => drpoWeights(q as never, p.options as never));
      const canLoss = outputs.length > 0 && outputs.every((x) => !x.valid || x.loss !== undefined);
      return canLoss ? { outputs, batchLoss: drpoBatchLoss(outputs) } : { outputs };
    },
    drpoKlPenalty: (p) => {
      params(p, ['kl', 'beta', 'delta'], ['kl']);
      const o: { beta?: number; delta?: number } = {};
      if (p.beta !== undefined) o.beta = p.beta as number;
      if (p.delta !== undefined) o.delta = p.delta as number;
      return drpoKlPenalty(p.kl as number, o);
    },
    state: (p) => {
      const [, e] = getEntry(p, 'state');
      params(p, ['controller'], ['controller']);
      return { state: e.ctrl.getState(), calls: callsJson(e.calls) };
    },
    load: (p) => {
      params(p, ['controller', 'state', 'calls', 'replace'], ['controller', 'state']);
      const id = str(p.controller, 'controller');
      checkReplace(id, p.replace);
      const [kind, ctrl] = restoreController(p.state);
      const calls = checkCalls(p.calls);
      controllers.set(id, { kind, ctrl, calls, broken: false });
      return { controller: id, kind };
    },
    drop: (p) => {
      getEntry(p, 'drop');
      params(p, ['controller'], ['controller']);
      controllers.delete(p.controller as string);
      return {};
    },
    list: (p) => {
      params(p, [], []);
      return { controllers: [...controllers].map(([controller, e]) => ({ controller, kind: e.kind })) };
    },
    close: (p) => {
      params(p, [], []);
      closed = true;
      return {};
    },
    snapshot: (p) => {
      params(p, [], []);
      if (!service.onSnapshot)
        throw new ProtocolError('E_SPEC', 'method', 'snapshot needs a server started with --state-file');
      return { path: service.onSnapshot() };
    },
  };

  const execute = (id: unknown, method: string, p: Record<string, unknown>): string => {
    const handler = handlers[method];
    if (!handler)
      throw new ProtocolError(
        'E_SPEC',
        'method',
        `unknown method ${JSON.stringify(method)} (known: ${METHODS.join(', ')})`,
      );
    try {
      const result = handler(p);
      if (MUTATING.has(method)) mutations++;
      return JSON.stringify({ id, result });
    } catch (err) {
      if (err instanceof ProtocolError) throw err;
      if (err instanceof DroError) throw new ProtocolError(err.code, 'params', err.message, err.argument);
      // A bug: mark the controller unusable (its state may be half-updated) and keep serving.
      const entry = typeof p.controller === 'string' ? controllers.get(p.controller) : undefined;
      if (entry) entry.broken = true;
      throw new ProtocolError(
        'E_INTERNAL',
        'internal',
        `internal error in ${method}: ${(err as Error)?.message ?? String(err)}`,
      );
    }
  };

  const service: CurriculumService = {
    get closed() {
      return closed;
    },
    get mutations() {
      return mutations;
    },
    handle(line: string, where = 'request'): string {
      if (Buffer.byteLength(line, 'utf8') > maxBytes) return service.tooLarge(Buffer.byteLength(line, 'utf8'), where);
      let req: unknown;
      try {
        req = JSON.parse(line);
      } catch (err) {
        return errorReply(
          null,
          new ProtocolError('E_SPEC', 'parse', `${where}: invalid JSON (${(err as Error).message})`),
        );
      }
      if (!isPlainObject(req)) {
        return errorReply(
          null,
          new ProtocolError('E_SPEC', 'request', `${where}: a request must be a JSON object {id, method, params}`),
        );
      }
      const id = req.id === undefined ? null : req.id;
      if (id !== null && typeof id !== 'string' && !(typeof id === 'number' && Number.isFinite(id))) {
        return errorReply(
          null,
          new ProtocolError('E_SPEC', 'request', `${where}: id must be a string, a number or null`, 'id'),
        );
      }
      try {
        for (const k of Object.keys(req)) {
          if (k !== 'id' && k !== 'method' && k !== 'params')
            throw new ProtocolError('E_SPEC', 'request', `${where}: unknown request field ${JSON.stringify(k)}`, k);
        }
        if (typeof req.method !== 'string')
          throw new ProtocolError('E_SPEC', 'request', `${where}: method must be a string`, 'method');
        const p = req.params === undefined ? {} : req.params;
        if (!isPlainObject(p))
          throw new ProtocolError('E_SPEC', 'request', `${where}: params must be an object`, 'params');
        return execute(id, req.method, p);
      } catch (err) {
        if (err instanceof ProtocolError) return errorReply(id, err);
        return errorReply(
          id,
          new ProtocolError('E_INTERNAL', 'internal', `internal error: ${(err as Error)?.message ?? String(err)}`),
        );
      }
    },
    tooLarge(size: number | null, where = 'request'): string {
      return errorReply(
        null,
        new ProtocolError(
          'E_SPEC',
          'too-large',
          `${where}: ${size === null ? 'more than' : `${size} bytes exceeds`} the limit of ${maxBytes} bytes (--max-bytes)`,
        ),
      );
    },
    badEncoding(where = 'request'): string {
      return errorReply(null, new ProtocolError('E_SPEC', 'parse', `${where}: invalid UTF-8`));
    },
    snapshot(): ServiceSnapshot {
      return {
        kind: 'rl-curriculum/ServiceSnapshot',
        version: 1,
        controllers: [...controllers].map(([controller, e]) => ({
          controller,
          kind: e.kind,
          state: e.ctrl.getState(),
          calls: callsJson(e.calls),
        })),
      };
    },
    restore(s: ServiceSnapshot): void {
      if (!isPlainObject(s) || s.kind !== 'rl-curriculum/ServiceSnapshot' || s.version !== 1) {
        throw new DroError('E_STATE_VERSION', 'snapshot is not an rl-curriculum/ServiceSnapshot version 1', {
          argument: 'snapshot',
        });
      }
      const next = new Map<string, Entry>();
      arr(s.controllers, 'snapshot.controllers').forEach((c0, i) => {
        if (!isPlainObject(c0)) fail('E_SPEC', `snapshot.controllers[${i}]`, 'must be an object', 'an object', c0);
        const id = str(c0.controller, `snapshot.controllers[${i}].controller`);
        const [kind, ctrl] = restoreController(c0.state);
        next.set(id, { kind, ctrl, calls: checkCalls(c0.calls), broken: false });
      });
      controllers.clear();
      for (const [k, v] of next) controllers.set(k, v);
    },
  };
  return service;
}
