import { ProtocolError } from '../protocol.js';

/**
 * The subset of JSON Schema (draft 2020-12) the protocol schema uses: `type` (one or a list; `integer` is a
 * safe integer), `properties`, `required`, `additionalProperties` (boolean), `items`, `enum`, `minimum`,
 * `minItems`, plus the annotations `description`, `title`, `default`, `$comment`, `x-limit`. The validator
 * below implements exactly this subset and rejects a schema using anything else (so the document can never
 * claim a constraint the server does not check).
 */
export interface JsonSchema {
  type?: JsonType | JsonType[];
  description?: string;
  title?: string;
  $comment?: string;
  default?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean;
  items?: JsonSchema;
  enum?: readonly (string | number | boolean | null)[];
  minimum?: number;
  minItems?: number;
  /** Annotation: the `serve` limit that bounds this value (checked by `limits.ts`, not by the validator). */
  'x-limit'?: string;
}

export type JsonType = 'object' | 'array' | 'string' | 'number' | 'integer' | 'boolean' | 'null';

const KEYWORDS = new Set([
  'type',
  'description',
  'title',
  '$comment',
  'default',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'enum',
  'minimum',
  'minItems',
  'x-limit',
]);

/** Throws for a keyword outside the subset (a test runs this over the whole protocol schema). */
export function checkSubset(schema: JsonSchema, where: string): void {
  for (const k of Object.keys(schema)) if (!KEYWORDS.has(k)) throw new Error(`${where}: unsupported keyword ${k}`);
  for (const [k, s] of Object.entries(schema.properties ?? {})) checkSubset(s, `${where}.properties.${k}`);
  if (schema.items) checkSubset(schema.items, `${where}.items`);
}

function typeOf(x: unknown): JsonType {
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'array';
  if (typeof x === 'number') return Number.isSafeInteger(x) ? 'integer' : 'number';
  return typeof x as JsonType;
}

function matchesType(x: unknown, types: JsonType[]): boolean {
  const t = typeOf(x);
  return types.includes(t) || (t === 'integer' && types.includes('number'));
}

const show = (x: unknown): string => {
  const s = JSON.stringify(x) ?? String(x);
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
};

/**
 * Validates `value` against `schema`; the first violation is a `ProtocolError` with reason `params`, the path
 * (`results[1].uid`) and the package's codes: a wrong JSON type is `E_DTYPE`, everything else `E_SPEC`.
 */
export function validate(value: unknown, schema: JsonSchema, path: string): void {
  const at = path === '' ? 'params' : `params.${path}`;
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    if (!matchesType(value, types))
      throw new ProtocolError(
        'E_DTYPE',
        'params',
        `${at} must be ${types.join(' or ')} (received ${show(value)})`,
        path,
      );
  }
  if (schema.enum !== undefined && !schema.enum.includes(value as never))
    throw new ProtocolError(
      'E_SPEC',
      'params',
      `${at} must be one of ${schema.enum.map((e) => JSON.stringify(e)).join(' | ')} (received ${show(value)})`,
      path,
    );
  if (typeof value === 'number' && schema.minimum !== undefined && value < schema.minimum)
    throw new ProtocolError('E_SPEC', 'params', `${at} must be ≥ ${schema.minimum} (received ${value})`, path);
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems)
      throw new ProtocolError('E_SPEC', 'params', `${at} needs at least ${schema.minItems} entries`, path);
    if (schema.items) for (let i = 0; i < value.length; i++) validate(value[i], schema.items, `${path}[${i}]`);
  } else if (value !== null && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    const props = schema.properties ?? {};
    if (schema.additionalProperties === false) {
      for (const k of Object.keys(o)) {
        if (!Object.hasOwn(props, k)) {
          const accepted = Object.keys(props);
          throw new ProtocolError(
            'E_SPEC',
            'params',
            `${path === '' ? `params.${k}` : `${at}.${k}`} is not a parameter of this method (accepted: ${accepted.length ? accepted.join(', ') : 'none'})`,
            path === '' ? k : `${path}.${k}`,
          );
        }
      }
    }
    for (const k of schema.required ?? []) {
      if (o[k] === undefined) {
        const p = path === '' ? k : `${path}.${k}`;
        throw new ProtocolError('E_SPEC', 'params', `params.${p} is required`, p);
      }
    }
    for (const [k, s] of Object.entries(props)) {
      if (Object.hasOwn(o, k) && o[k] !== undefined) validate(o[k], s, path === '' ? k : `${path}.${k}`);
    }
  }
}
