import { PROTOCOL } from '../protocol.js';
import type { JsonSchema } from './jsonSchema.js';
import { COMMON_ERRORS, type ErrorSpec, METHOD_SCHEMAS } from './methods.js';

/**
 * The protocol as one JSON Schema document (`protocol.schema.json`): a request is `{id, method, params}` where
 * `params` follows `$defs.<method>.properties.params`; each method's `$defs` entry also holds its `result` and
 * its `errors` (as `x-errors`, an annotation).
 */
export function protocolDocument(): Record<string, unknown> {
  const methods = Object.keys(METHOD_SCHEMAS);
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: `https://drojs.dev/rl-curriculum/protocol-${PROTOCOL}.schema.json`,
    title: `@drojs/rl-curriculum service protocol ${PROTOCOL}`,
    description:
      'One request {id, method, params} per JSON line (stdio) or POST /rpc body (HTTP); a reply is {id, result} or {id, error: {code, message, reason, path?}}.',
    type: 'object',
    properties: {
      id: { type: ['string', 'number', 'null'] },
      method: { type: 'string', enum: methods },
      params: { type: 'object' },
    },
    required: ['method'],
    additionalProperties: false,
    'x-common-errors': COMMON_ERRORS,
    $defs: Object.fromEntries(
      methods.map((m) => {
        const s = METHOD_SCHEMAS[m] as (typeof METHOD_SCHEMAS)[string];
        return [m, { description: s.summary, params: s.params, result: s.result, 'x-errors': s.errors }];
      }),
    ),
  };
}

function typeText(s: JsonSchema): string {
  const t = Array.isArray(s.type) ? s.type.join(' \\| ') : (s.type ?? 'any');
  if (s.enum) return s.enum.map((e) => `'${e}'`).join(' \\| ');
  if (t === 'array' && s.items?.type && !Array.isArray(s.items.type)) return `${s.items.type}[]`;
  return t;
}

function paramsText(p: JsonSchema): string {
  const props = Object.entries(p.properties ?? {});
  if (props.length === 0) return '—';
  const required = new Set(p.required ?? []);
  return props
    .map(([k, s]) => {
      const bits = [typeText(s)];
      if (s.minimum !== undefined) bits.push(`≥ ${s.minimum}`);
      if (s['x-limit']) bits.push(`≤ ${s['x-limit']}`);
      return `\`${k}${required.has(k) ? '' : '?'}\`: ${bits.join(' ')}`;
    })
    .join(', ');
}

function resultText(r: JsonSchema): string {
  const props = Object.keys(r.properties ?? {});
  if (r.properties && props.length === 0) return '`{}`';
  if (props.length > 0) return `\`{${props.join(', ')}}\``;
  return r.description ?? 'object';
}

const errorText = (errors: ErrorSpec[]): string =>
  errors.length === 0 ? '—' : [...new Set(errors.map((e) => `${e.code} \`${e.reason}\``))].join('; ');

/** The README's method table (between `<!-- protocol-table:start -->` and `<!-- protocol-table:end -->`). */
export function readmeTable(): string {
  const rows = Object.entries(METHOD_SCHEMAS).map(
    ([m, s]) =>
      `| \`${m}\` | ${s.summary} | ${paramsText(s.params)} | ${resultText(s.result)} | ${errorText(s.errors)} |`,
  );
  const common = errorText([...COMMON_ERRORS]);
  return [
    '| method | does | params (`?` optional) | result | errors (besides the common ones) |',
    '|---|---|---|---|---|',
    ...rows,
    '',
    `Common errors of every request: ${common}. Generated from \`src/server/schema/methods.ts\` (\`pnpm --filter @drojs/rl-curriculum protocol:docs\`); the full JSON Schema is \`protocol.schema.json\`.`,
  ].join('\n');
}
