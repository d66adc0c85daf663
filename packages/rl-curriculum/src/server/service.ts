import { checkState, DroError, stateKind } from '@drojs/dro-core/host';
import { arr, fail, isPlainObject, str } from '../check.js';
import type { HandlerContext } from './handlers/context.js';
import { HANDLERS } from './handlers/table.js';
import { checkControllerCount, checkSizeLimits, resolveLimits, type ServiceLimits } from './limits.js';
import { DEFAULT_MAX_BYTES, ProtocolError } from './protocol.js';
import {
  type CallsJson,
  type ControllerKind,
  ControllerRegistry,
  callsJson,
  checkCalls,
  type Entry,
  restoreController,
} from './registry.js';
import { validate } from './schema/jsonSchema.js';
import { METHOD_SCHEMAS } from './schema/methods.js';

export { DEFAULT_LIMITS, type ServiceLimits } from './limits.js';
export { canonicalJson, DEFAULT_MAX_BYTES, PROTOCOL } from './protocol.js';
export type { CallsJson, ControllerKind } from './registry.js';

/** State kind of a service snapshot; the pre-platform `'rl-curriculum/ServiceSnapshot'` still loads. */
export const SERVICE_SNAPSHOT_KIND = stateKind('rl-curriculum', 'ServiceSnapshot');
const LEGACY_SNAPSHOT_KIND = 'rl-curriculum/ServiceSnapshot';

/** Snapshot of every controller (what `--state-file` stores). */
export interface ServiceSnapshot {
  kind: typeof SERVICE_SNAPSHOT_KIND | typeof LEGACY_SNAPSHOT_KIND;
  version: 1;
  controllers: Array<{
    controller: string;
    kind: ControllerKind;
    state: unknown;
    calls: CallsJson;
  }>;
}

/** Options of {@link createCurriculumService}. */
export interface CurriculumServiceOptions {
  /** Bound of one request line/body in bytes (default 64 MiB). */
  maxBytes?: number;
  /** Size limits (defaults: {@link DEFAULT_LIMITS}); each is a positive integer. */
  limits?: Partial<ServiceLimits>;
}

/** Transport-free dispatcher of the curriculum protocol (§13.2). */
export interface CurriculumService {
  /** The size limits in force. */
  readonly limits: Readonly<ServiceLimits>;
  /** Handles one request line (or HTTP body) and returns the reply line (without newline). */
  handle(line: string, where?: string): string;
  /** True after a `close` request. */
  readonly closed: boolean;
  /** Successful state-changing requests so far. */
  readonly mutations: number;
  /** Every controller's state and remembered calls. */
  snapshot(): ServiceSnapshot;
  /** The same as {@link CurriculumService.snapshot} (the stateful contract's name). */
  getState(): ServiceSnapshot;
  /** Replaces all controllers by a snapshot (validated completely first). */
  restore(s: ServiceSnapshot): void;
  /** Optional hook of the `snapshot` method (the CLI's `--state-file`). */
  onSnapshot?: () => string;
  /** Reply for an input that was too large to read (transports call this instead of `handle`). */
  tooLarge(size: number | null, where?: string): string;
  /** Reply for undecodable bytes. */
  badEncoding(where?: string): string;
}

function errorReply(id: unknown, e: ProtocolError): string {
  const error: Record<string, unknown> = { code: e.code, message: e.message, reason: e.reason };
  if (e.path !== undefined) error.path = e.path;
  return JSON.stringify({ id, error });
}

/**
 * Creates the protocol dispatcher. Every request is validated completely, then executed synchronously,
 * so concurrent transports see a serial order and a rejected request changes nothing. Methods are looked up
 * only in the handler table (`handlers/table.ts`).
 */
export function createCurriculumService(o: CurriculumServiceOptions = {}): CurriculumService {
  const maxBytes = o.maxBytes ?? DEFAULT_MAX_BYTES;
  let limits: ServiceLimits;
  try {
    limits = resolveLimits(o.limits);
  } catch (e) {
    throw new DroError('E_SPEC', `createCurriculumService options.limits: ${(e as Error).message}`, {
      argument: 'options.limits',
    });
  }
  const registry = new ControllerRegistry();
  let closed = false;
  let mutations = 0;
  const methods = [...HANDLERS.keys()];

  const ctx: HandlerContext = {
    registry,
    methods,
    close: () => {
      closed = true;
    },
    get onSnapshot() {
      return service.onSnapshot;
    },
  };

  const execute = (id: unknown, method: string, p: Record<string, unknown>): string => {
    const handler = HANDLERS.get(method);
    if (!handler)
      throw new ProtocolError(
        'E_SPEC',
        'method',
        `unknown method ${JSON.stringify(method)} (known: ${methods.join(', ')})`,
      );
    // Before the handler: the method's schema (types, names, required params), then the size limits, so an
    // oversized request is refused before a controller allocates anything for it.
    const schema = Object.hasOwn(METHOD_SCHEMAS, method) ? METHOD_SCHEMAS[method] : undefined;
    if (schema) validate(p, schema.params, '');
    checkSizeLimits(p, limits);
    if ((method === 'create' || method === 'load') && typeof p.controller === 'string')
      checkControllerCount(registry.controllers.size, !registry.controllers.has(p.controller), limits);
    try {
      const result = handler.run(p, ctx);
      if (handler.mutating) mutations++;
      return JSON.stringify({ id, result });
    } catch (err) {
      if (err instanceof ProtocolError) throw err;
      if (err instanceof DroError) throw new ProtocolError(err.code, 'params', err.message, err.argument);
      // A bug: mark the controller unusable (its state may be half-updated) and keep serving.
      const entry = typeof p.controller === 'string' ? registry.controllers.get(p.controller) : undefined;
      if (entry) entry.broken = true;
      throw new ProtocolError(
        'E_INTERNAL',
        'internal',
        `internal error in ${method}: ${(err as Error)?.message ?? String(err)}`,
      );
    }
  };

  const snapshot = (): ServiceSnapshot => ({
    kind: SERVICE_SNAPSHOT_KIND,
    version: 1,
    controllers: [...registry.controllers].map(([controller, e]) => ({
      controller,
      kind: e.kind,
      state: e.ctrl.getState(),
      calls: callsJson(e.calls),
    })),
  });

  const service: CurriculumService = {
    limits: Object.freeze({ ...limits }),
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
    snapshot,
    getState: snapshot,
    restore(s: ServiceSnapshot): void {
      // A non-object is a foreign state here (E_STATE_VERSION), as before the platform.
      if (!isPlainObject(s)) {
        throw new DroError('E_STATE_VERSION', `snapshot is not a ${SERVICE_SNAPSHOT_KIND} state`, {
          argument: 'snapshot',
        });
      }
      checkState(s, SERVICE_SNAPSHOT_KIND, [1], [LEGACY_SNAPSHOT_KIND]);
      const next = new Map<string, Entry>();
      arr(s.controllers, 'snapshot.controllers').forEach((c0, i) => {
        if (!isPlainObject(c0)) fail('E_SPEC', `snapshot.controllers[${i}]`, 'must be an object', 'an object', c0);
        const cid = str(c0.controller, `snapshot.controllers[${i}].controller`);
        const [kind, ctrl] = restoreController(c0.state);
        next.set(cid, { kind, ctrl, calls: checkCalls(c0.calls), broken: false });
      });
      registry.controllers.clear();
      for (const [k, v] of next) registry.controllers.set(k, v);
    },
  };
  return service;
}

/** A service restored from a snapshot (the stateful contract's `fromState`). */
export function curriculumServiceFromState(s: ServiceSnapshot, o: CurriculumServiceOptions = {}): CurriculumService {
  const service = createCurriculumService(o);
  service.restore(s);
  return service;
}
