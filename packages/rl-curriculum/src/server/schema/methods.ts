import type { JsonSchema } from './jsonSchema.js';

/** One error a method can answer: `error.code` and `error.reason`, and when. */
export interface ErrorSpec {
  code: string;
  reason: string;
  when: string;
}

/** The protocol description of one method. */
export interface MethodSchema {
  summary: string;
  params: JsonSchema;
  result: JsonSchema;
  /** Errors specific to the method (every method can also answer {@link COMMON_ERRORS}). */
  errors: ErrorSpec[];
}

/** Errors any request can get. */
export const COMMON_ERRORS: readonly ErrorSpec[] = [
  { code: 'E_SPEC', reason: 'parse', when: 'invalid JSON or UTF-8' },
  { code: 'E_SPEC', reason: 'request', when: 'not an object {id, method, params}, a bad id, an extra field' },
  { code: 'E_SPEC', reason: 'method', when: 'an unknown method' },
  { code: 'E_SPEC', reason: 'too-large', when: 'the line/body exceeds --max-bytes (HTTP 413)' },
  { code: 'E_SPEC / E_DTYPE', reason: 'params', when: 'an unknown, missing or ill-typed parameter (schema)' },
  { code: 'E_SPEC', reason: 'limit', when: 'a size over a serve limit (--max-items, …)' },
  { code: 'E_INTERNAL', reason: 'internal', when: 'a defect (the controller becomes unusable)' },
];

const empty: JsonSchema = { type: 'object', properties: {}, additionalProperties: false };
const obj = (properties: Record<string, JsonSchema>, required: string[] = [], description?: string): JsonSchema => ({
  type: 'object',
  ...(description ? { description } : {}),
  properties,
  required,
  additionalProperties: false,
});
const open = (description: string): JsonSchema => ({ type: 'object', description });
const controller: JsonSchema = { type: 'string', description: 'controller id' };
const step: JsonSchema = {
  type: 'integer',
  minimum: 0,
  description: 'step key: a retry with the same step and params answers the remembered reply',
};
const uids: JsonSchema = {
  type: 'array',
  items: { type: 'string' },
  description: 'prompt uids',
  'x-limit': '--max-items',
};
const results: JsonSchema = {
  type: 'array',
  items: open('a group result {uid, rewards (number | null)[], correct?, source?, bin?, advantages?, loss?}'),
  'x-limit': '--max-items',
};
const groups: JsonSchema = {
  type: 'array',
  items: { type: 'array', description: 'rewards (number | null)[] of one group' },
  'x-limit': '--max-items',
};
const numbers = (description: string): JsonSchema => ({ type: 'array', items: { type: 'number' }, description });

const noController: ErrorSpec = {
  code: 'E_SPEC',
  reason: 'controller',
  when: 'no controller of that id',
};
const wrongKind: ErrorSpec = { code: 'E_SPEC', reason: 'method', when: "the controller's kind lacks the method" };
const values: ErrorSpec = {
  code: 'E_DTYPE / E_SHAPE / E_NONFINITE / E_LABEL_RANGE / E_SPEC',
  reason: 'params',
  when: 'values the controller rejects',
};
const steps: ErrorSpec[] = [
  { code: 'E_SPEC', reason: 'step-conflict', when: 'the step was used with other params' },
  { code: 'E_SPEC', reason: 'stale-step', when: 'the step is older than the last remembered one' },
];
const io: ErrorSpec = {
  code: 'E_IO',
  reason: 'io',
  when: 'the --state-file snapshot could not be written (the change is kept in memory; the server keeps serving)',
};
const exists: ErrorSpec = { code: 'E_SPEC', reason: 'exists', when: 'the id is taken and replace is not true' };
const tooMany: ErrorSpec = { code: 'E_SPEC', reason: 'limit', when: 'a new id beyond --max-controllers' };

/**
 * The protocol, one entry per method of the handler table (`handlers/table.ts`): params (validated on every
 * request), result and errors. The README's method table and `protocol.schema.json` are generated from it.
 */
export const METHOD_SCHEMAS: Readonly<Record<string, MethodSchema>> = {
  hello: {
    summary: 'protocol version and method names',
    params: empty,
    result: obj({
      protocol: { type: 'integer' },
      package: { type: 'string' },
      methods: { type: 'array', items: { type: 'string' } },
    }),
    errors: [],
  },
  create: {
    summary: 'a new controller',
    params: obj(
      {
        controller,
        kind: { type: 'string', enum: ['classifier', 'promptGdro', 'rolloutGdro', 'dump'] },
        config: open(
          "the class's options (TSDoc of OnlineDifficultyClassifier, PromptGdroSampler, RolloutGdroAllocator, DumpScheduler)",
        ),
        replace: { type: 'boolean', default: false },
      },
      ['controller', 'kind'],
    ),
    result: obj({
      controller: { type: 'string' },
      kind: { type: 'string' },
      labels: { type: 'array', items: { type: 'string' } },
    }),
    errors: [exists, tooMany, { code: 'E_SPEC', reason: 'params', when: 'a bad config (named config.KEY)' }],
  },
  sample: {
    summary: 'next batch of uids (promptGdro resample, dump)',
    params: obj({ controller, batchSize: { type: 'integer', minimum: 1, 'x-limit': '--max-batch-size' }, step }, [
      'controller',
      'batchSize',
    ]),
    result: open('{uids, …} (PromptGdroSampler.sample / DumpScheduler.sample)'),
    errors: [noController, wrongKind, ...steps, io],
  },
  weights: {
    summary: 'per-prompt weights (promptGdro reweight; dump: source weights)',
    params: obj(
      {
        controller,
        uids: { ...uids, description: 'prompt uids (required for promptGdro, refused for dump)' },
        rolloutCounts: numbers('rollouts per uid'),
        step,
      },
      ['controller'],
    ),
    result: open('PromptGdroSampler.weights, or {weights, metrics} for dump'),
    errors: [noController, wrongKind, values, ...steps, io],
  },
  allocate: {
    summary: 'rollout counts for a batch (rolloutGdro)',
    params: obj({ controller, uids, totalBudget: { type: 'integer', 'x-limit': '--max-budget' }, step }, [
      'controller',
      'uids',
    ]),
    result: open('{counts, …} (RolloutGdroAllocator.allocate)'),
    errors: [noController, wrongKind, values, ...steps, io],
  },
  update: {
    summary: 'feed scored groups',
    params: obj({ controller, results, step }, ['controller', 'results']),
    result: open("the controller's update metrics"),
    errors: [noController, values, ...steps, io],
  },
  classify: {
    summary: 'difficulty bins and accuracies (no state change)',
    params: obj({ controller, uids }, ['controller', 'uids']),
    result: obj({ bins: { type: 'array' }, accuracy: { type: 'array' } }),
    errors: [noController, wrongKind, values],
  },
  advantages: {
    summary: 'GRPO-family advantages (stateless)',
    params: obj({ groups, options: open('grpoAdvantages options') }, ['groups']),
    result: obj({ advantages: { type: 'array' } }),
    errors: [values],
  },
  zeroVarianceMask: {
    summary: 'DAPO keep mask (stateless)',
    params: obj({ groups, tol: { type: 'number' } }, ['groups']),
    result: obj({ keep: { type: 'array', items: { type: 'boolean' } } }),
    errors: [values],
  },
  drpoWeights: {
    summary: 'DRPO per-rollout coefficients (stateless)',
    params: obj(
      {
        questions: {
          type: 'array',
          items: open('{lengths, correct | rewards (0/1), …} (drpoWeights)'),
          'x-limit': '--max-items',
        },
        options: open('drpoWeights options {maxLength, lambda?, tau?}'),
      },
      ['questions', 'options'],
    ),
    result: obj({ outputs: { type: 'array' }, batchLoss: { type: 'number' } }),
    errors: [values],
  },
  drpoKlPenalty: {
    summary: 'DRPO KL penalty (stateless)',
    params: obj({ kl: { type: 'number' }, beta: { type: 'number' }, delta: { type: 'number' } }, ['kl']),
    result: open('drpoKlPenalty result'),
    errors: [values],
  },
  state: {
    summary: "a controller's state and remembered steps",
    params: obj({ controller }, ['controller']),
    result: obj({ state: open('the class state'), calls: open('remembered step replies') }),
    errors: [noController],
  },
  load: {
    summary: 'a controller from a state',
    params: obj(
      {
        controller,
        state: open('a state from `state` (its kind picks the class)'),
        calls: { type: ['object', 'null'], description: 'remembered step replies from `state`' },
        replace: { type: 'boolean', default: false },
      },
      ['controller', 'state'],
    ),
    result: obj({ controller: { type: 'string' }, kind: { type: 'string' } }),
    errors: [exists, tooMany, { code: 'E_STATE_VERSION', reason: 'params', when: 'a foreign or invalid state' }, io],
  },
  drop: {
    summary: 'remove a controller',
    params: obj({ controller }, ['controller']),
    result: empty,
    errors: [noController, io],
  },
  list: {
    summary: 'controllers and kinds',
    params: empty,
    result: obj({
      controllers: { type: 'array', items: obj({ controller: { type: 'string' }, kind: { type: 'string' } }) },
    }),
    errors: [],
  },
  close: {
    summary: 'end the session (snapshot first with --state-file)',
    params: empty,
    result: empty,
    errors: [],
  },
  snapshot: {
    summary: 'write the --state-file now',
    params: empty,
    result: obj({ path: { type: 'string' } }),
    errors: [{ code: 'E_SPEC', reason: 'method', when: 'no --state-file' }, io],
  },
};
