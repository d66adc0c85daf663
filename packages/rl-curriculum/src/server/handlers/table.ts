import { bestOfNHandlers } from './bestOfNHandler.js';
import type { Handler } from './context.js';
import { controllerHandlers } from './controllerHandlers.js';
import { sessionHandlers } from './sessionHandlers.js';
import { statelessHandlers } from './statelessHandlers.js';

const byName = new Map<string, Handler>([
  ...sessionHandlers,
  ...controllerHandlers,
  ...statelessHandlers,
  ...bestOfNHandlers,
]);

// The order `hello` lists the methods in (the protocol's documented order, §13.2).
const ORDER = [
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
  'bestOfN',
  'state',
  'load',
  'drop',
  'list',
  'close',
  'snapshot',
] as const;

/**
 * The one dispatch table of the protocol: method name → handler. A `Map`, so that a name the table does not
 * hold (`constructor`, `toString`, `__proto__`) is an unknown method rather than an inherited property.
 */
export const HANDLERS: ReadonlyMap<string, Handler> = new Map(
  ORDER.map((name) => {
    const h = byName.get(name);
    if (!h) throw new Error(`no handler for ${name}`);
    return [name, h] as const;
  }),
);
