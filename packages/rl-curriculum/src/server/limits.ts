import { checkNumber, checkOptions, opt } from '@drojs/dro-core/host';
import { ProtocolError } from './protocol.js';

/**
 * Size limits of the service (options of `serve`). Each is checked on the parsed request before any handler
 * runs, so a request over a limit allocates nothing beyond its own (already `--max-bytes`-bounded) JSON.
 */
export interface ServiceLimits {
  /** Largest `sample` `batchSize` (`--max-batch-size`). */
  maxBatchSize: number;
  /** Largest number of difficulty bins: `numBins`, or `edges.length + 1`, anywhere in a config or state (`--max-bins`). */
  maxBins: number;
  /** Largest window / history length: `historyLen`, `window` (`--max-window`). */
  maxWindow: number;
  /** Largest rollout count per prompt and per batch: `nMax`, `nMin`, `meanBudget`, `totalBudget` (`--max-budget`). */
  maxBudget: number;
  /** Longest array anywhere in `params` (`uids`, `results`, `pool`, `groups`, rewards, …) (`--max-items`). */
  maxItems: number;
  /** Most controllers alive at once (`--max-controllers`). */
  maxControllers: number;
}

/** The defaults: generous for real training runs, far below what exhausts a 2 GB heap. */
export const DEFAULT_LIMITS: Readonly<ServiceLimits> = Object.freeze({
  maxBatchSize: 65_536,
  maxBins: 1_024,
  maxWindow: 1_000_000,
  maxBudget: 1_048_576,
  maxItems: 1_048_576,
  maxControllers: 1_024,
});

/** The CLI option of each limit (its name in error messages). */
export const LIMIT_OPTIONS: Readonly<Record<keyof ServiceLimits, string>> = Object.freeze({
  maxBatchSize: '--max-batch-size',
  maxBins: '--max-bins',
  maxWindow: '--max-window',
  maxBudget: '--max-budget',
  maxItems: '--max-items',
  maxControllers: '--max-controllers',
});

/** Which limit bounds a numeric field, by its key (wherever it appears: params, config, a loaded state). */
const FIELD_LIMIT: Readonly<Record<string, keyof ServiceLimits>> = {
  batchSize: 'maxBatchSize',
  numBins: 'maxBins',
  historyLen: 'maxWindow',
  window: 'maxWindow',
  nMax: 'maxBudget',
  nMin: 'maxBudget',
  meanBudget: 'maxBudget',
  totalBudget: 'maxBudget',
};

/** Completes and checks a partial limits object (each a positive safe integer). */
export function resolveLimits(o: Partial<ServiceLimits> = {}): ServiceLimits {
  const out = { ...DEFAULT_LIMITS };
  checkOptions(o, Object.fromEntries(Object.keys(DEFAULT_LIMITS).map((k) => [k, opt.any()])), 'limits');
  for (const [k, v] of Object.entries(o)) {
    if (v === undefined) continue;
    out[k as keyof ServiceLimits] = checkNumber(v, `limits.${k} (${LIMIT_OPTIONS[k as keyof ServiceLimits]})`, {
      min: 1,
      integer: true,
    });
  }
  return out;
}

function over(limits: ServiceLimits, key: keyof ServiceLimits, path: string, value: number): never {
  throw new ProtocolError(
    'E_SPEC',
    'limit',
    `params.${path} = ${value} exceeds the limit of ${limits[key]} (${LIMIT_OPTIONS[key]})`,
    path,
  );
}

/**
 * Walks `params` once (depth-first, iteratively: a deeply nested body cannot overflow the stack) and refuses the
 * first array longer than `maxItems` or size field over its limit. Non-numbers are left to the handlers' type checks.
 */
export function checkSizeLimits(params: Record<string, unknown>, limits: ServiceLimits): void {
  const stack: Array<[unknown, string]> = [[params, '']];
  while (stack.length > 0) {
    const [value, path] = stack.pop() as [unknown, string];
    if (Array.isArray(value)) {
      if (value.length > limits.maxItems) over(limits, 'maxItems', `${path}.length`, value.length);
      for (let i = value.length - 1; i >= 0; i--) stack.push([value[i], `${path}[${i}]`]);
    } else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        const p = path === '' ? k : `${path}.${k}`;
        const limit = FIELD_LIMIT[k];
        if (limit !== undefined && typeof v === 'number' && v > limits[limit]) over(limits, limit, p, v);
        if (k === 'edges' && Array.isArray(v) && v.length + 1 > limits.maxBins)
          over(limits, 'maxBins', `${p}.length`, v.length);
        stack.push([v, p]);
      }
    }
  }
}

/** Refuses a request that would add a controller beyond `maxControllers`. */
export function checkControllerCount(existing: number, isNew: boolean, limits: ServiceLimits): void {
  if (isNew && existing >= limits.maxControllers) {
    throw new ProtocolError(
      'E_SPEC',
      'limit',
      `${existing} controllers exist, the limit of ${limits.maxControllers} (${LIMIT_OPTIONS.maxControllers}); drop one first`,
      'controller',
    );
  }
}
