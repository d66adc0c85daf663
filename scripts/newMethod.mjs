#!/usr/bin/env node
// Scaffolds a method package (packages/NAME) and its example (examples/NAME-demo), wired into build,
// typecheck, test (cpu + wasm through describeBackends), conformance, changesets, typedoc and `pnpm demo`.
// Usage: pnpm new-method NAME [--description "..."] [--no-example] [--force]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const name = args.find((a) => !a.startsWith('--'));
const flag = (f) => args.includes(f);
const opt = (f, d) => {
  const i = args.indexOf(f);
  return i >= 0 && args[i + 1] ? args[i + 1] : d;
};
if (!name || !/^[a-z][a-z0-9-]*$/.test(name)) {
  console.error('usage: pnpm new-method NAME   (NAME: lower-case letters, digits and dashes, e.g. "doro")');
  process.exit(2);
}
const pkgDir = join(root, 'packages', name);
const exDir = join(root, 'examples', `${name}-demo`);
if (existsSync(pkgDir) && !flag('--force')) {
  console.error(`packages/${name} exists already (use --force to overwrite the scaffold files)`);
  process.exit(2);
}
const rootPkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const tfVersion = rootPkg.devDependencies['@tensorflow/tfjs-core'];
const description = opt('--description', `${name}: a robust-ML method for TensorFlow.js`);

function write(path, text) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  console.log(`  wrote ${path.slice(root.length + 1)}`);
}
const json = (o) => `${JSON.stringify(o, null, 2)}\n`;
const tfPeers = {
  '@tensorflow/tfjs-core': tfVersion,
  '@tensorflow/tfjs-backend-cpu': tfVersion,
  '@tensorflow/tfjs-backend-wasm': tfVersion,
  '@tensorflow/tfjs-layers': tfVersion,
};

write(
  join(pkgDir, 'package.json'),
  json({
    name: `@drojs/${name}`,
    version: '0.0.0',
    description,
    license: 'MIT',
    repository: { type: 'git', url: 'git+https://github.com/drojs/drojs.git', directory: `packages/${name}` },
    homepage: `https://github.com/drojs/drojs/tree/main/packages/${name}#readme`,
    bugs: { url: 'https://github.com/drojs/drojs/issues' },
    type: 'module',
    sideEffects: false,
    engines: { node: '>=20.19' },
    exports: {
      '.': {
        import: { types: './dist/index.d.ts', default: './dist/index.js' },
        require: { types: './dist/index.d.cts', default: './dist/index.cjs' },
      },
      './package.json': './package.json',
    },
    main: './dist/index.cjs',
    module: './dist/index.js',
    types: './dist/index.d.ts',
    bin: { [`drojs-${name}-conformance`]: './bin/conformance.mjs' },
    files: ['dist', 'bin', 'LICENSE'],
    scripts: {
      build: 'tsup',
      typecheck: 'tsc --noEmit -p tsconfig.json',
      test: 'vitest run --reporter=default --reporter=json --outputFile.json=reports/vitest.json',
      'check:package': 'publint --strict && attw --pack . --profile node16',
      bench: 'tsx bench/run.ts',
    },
    dependencies: { '@drojs/dro-core': 'workspace:^' },
    peerDependencies: tfPeers,
    devDependencies: { ...tfPeers },
  }),
);
// The bin shim (present before the build, so installs link it without a warning) and the licence, as dro-core's.
write(
  join(pkgDir, 'bin/conformance.mjs'),
  readFileSync(join(root, 'packages/dro-core/bin/conformance.mjs'), 'utf8').replaceAll(
    '@drojs/dro-core',
    `@drojs/${name}`,
  ),
);
write(join(pkgDir, 'LICENSE'), readFileSync(join(root, 'LICENSE'), 'utf8'));
write(
  join(pkgDir, 'tsconfig.json'),
  json({ extends: '../../tsconfig.base.json', include: ['src', 'bench'], compilerOptions: { noEmit: true } }),
);
write(
  join(pkgDir, 'tsup.config.ts'),
  `import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', conformance: 'src/conformance.ts' },
  format: ['esm', 'cjs'],
  dts: { entry: { index: 'src/index.ts' } },
  clean: true,
  sourcemap: true,
  target: 'es2022',
});
`,
);
write(
  join(pkgDir, 'vitest.config.ts'),
  `import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: '@drojs/${name}',
    include: ['src/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 60_000,
  },
});
`,
);
write(
  join(pkgDir, 'src/index.ts'),
  `/**
 * @drojs/${name} — ${description}.
 * @packageDocumentation
 */
export { exampleLoss } from './exampleLoss.js';
export { RunningRobustLoss, type RunningRobustLossOptions, type RunningRobustLossState } from './runningRobustLoss.js';
`,
);
write(
  join(pkgDir, 'src/exampleLoss.ts'),
  `import * as tf from '@tensorflow/tfjs-core';
import { type RobustSpec, robustLoss, toTensor, validateSpec } from '@drojs/dro-core';

/**
 * Placeholder method: the robust aggregate of per-sample squared errors. Replace with the method.
 * @param errors - per-sample residuals, float32, 1-D (a tensor or an array).
 * @param spec - the uncertainty set (see dro-core's RobustSpec).
 * @throws DroError \`E_DTYPE\` for a non-numeric \`errors\`, \`E_SHAPE\` for a wrong rank, \`E_SPEC\` for a bad spec.
 */
export function exampleLoss(errors: tf.Tensor1D | number[], spec: RobustSpec): tf.Scalar {
  validateSpec(spec);
  return tf.tidy(() => {
    const e = toTensor(errors, 'errors', 'exampleLoss', { rank: 1 }) as tf.Tensor1D;
    return robustLoss(tf.square(e) as tf.Tensor1D, spec);
  });
}
`,
);
write(
  join(pkgDir, 'src/runningRobustLoss.ts'),
  `import {
  checkOptions,
  checkSeed,
  checkState,
  checkStateValues,
  createRng,
  type Rng,
  type RngState,
  Rng as RngClass,
  type Seed,
  solveWeights,
  stateKind,
  toHostVector,
  opt,
} from '@drojs/dro-core/host';

const KIND = stateKind('${name}', 'RunningRobustLoss');

export interface RunningRobustLossOptions {
  /** CVaR level in (0, 1]; default 0.5. */
  alpha?: number;
  /** Fraction of each batch kept by seeded subsampling, in (0, 1]; default 1. */
  keep?: number;
  /** Seed of the subsampling stream; default 0. */
  seed?: Seed;
}

export interface RunningRobustLossState {
  kind: string;
  version: 1;
  options: { alpha: number; keep: number; seed: Seed };
  total: number;
  count: number;
  rng: RngState;
}

const OPTIONS = {
  alpha: opt.number({ min: 0, minExclusive: true, max: 1 }),
  keep: opt.number({ min: 0, minExclusive: true, max: 1 }),
  seed: opt.seed(),
};

/**
 * Placeholder stateful class, wired to the shared contract: options checked by schema, a seeded RNG, \`update\`
 * per batch, JSON state with a \`@drojs/<package>/<Class>\` kind. Replace with the method's own state.
 */
export class RunningRobustLoss {
  private readonly opts: RunningRobustLossState['options'];
  private rng: Rng;
  private total = 0;
  private count = 0;

  constructor(opts: RunningRobustLossOptions = {}) {
    checkOptions(opts, OPTIONS, 'RunningRobustLoss');
    this.opts = { alpha: opts.alpha ?? 0.5, keep: opts.keep ?? 1, seed: checkSeed(opts.seed ?? 0) };
    this.rng = createRng(this.opts.seed);
  }

  /** Advances by one batch of losses: returns this batch's CVaR and the running mean of batch CVaRs. */
  update(losses: ArrayLike<number>): { loss: number; mean: number } {
    const l = toHostVector(losses, 'losses', 'RunningRobustLoss.update');
    const kept = l.filter(() => this.opts.keep === 1 || this.rng.uniform() < this.opts.keep);
    const loss = kept.length > 0 ? solveWeights(kept, { kind: 'cvar', alpha: this.opts.alpha }).value : 0;
    this.total += loss;
    this.count += 1;
    return { loss, mean: this.total / this.count };
  }

  getState(): RunningRobustLossState {
    return { kind: KIND, version: 1, options: { ...this.opts }, total: this.total, count: this.count, rng: this.rng.getState() };
  }

  static fromState(state: RunningRobustLossState): RunningRobustLoss {
    checkState(state, KIND, [1]);
    checkStateValues([state.total, state.count], 'state.total/count', { min: 0 });
    const r = new RunningRobustLoss(state.options);
    r.total = state.total;
    r.count = state.count;
    r.rng = RngClass.fromState(state.rng);
    return r;
  }
}
`,
);
write(
  join(pkgDir, 'src/runningRobustLoss.test.ts'),
  `import { checkStatefulContract } from '@drojs/dro-core/testing';
import { RunningRobustLoss } from './runningRobustLoss.js';

checkStatefulContract({
  name: 'RunningRobustLoss',
  make: () => new RunningRobustLoss({ alpha: 0.5, keep: 0.7, seed: 3 }),
  step: (r, i) => r.update([1 + i, 2, 0.5 * i, 4]),
  fromState: RunningRobustLoss.fromState,
  badOptions: { key: 'alfa', make: () => new RunningRobustLoss({ alfa: 0.5 } as never) },
  badStep: (r) => r.update([1, Number.NaN]),
  leakRepeats: 0,
});
`,
);
write(
  join(pkgDir, 'src/errors.test.ts'),
  `import * as tf from '@tensorflow/tfjs-core';
import { describeBackends, expectDroError } from '@drojs/dro-core/testing';
import { it } from 'vitest';
import { exampleLoss } from './exampleLoss.js';
import { RunningRobustLoss } from './runningRobustLoss.js';

// One fault, one code: the codes of dro-core's table, through this package's public API.
describeBackends('${name} errors', ['cpu'], () => {
  it('not numeric → E_DTYPE; wrong rank → E_SHAPE; bad option or typo → E_SPEC; NaN → E_NONFINITE', () => {
    expectDroError(() => exampleLoss('x' as never, { kind: 'erm' }), 'E_DTYPE', 'errors');
    const m = tf.tensor2d([[1, 2]]);
    expectDroError(() => exampleLoss(m as never, { kind: 'erm' }), 'E_SHAPE', 'errors');
    m.dispose();
    expectDroError(() => exampleLoss([1], { kind: 'cvar', alpha: 2 }), 'E_SPEC', 'alpha');
    expectDroError(() => new RunningRobustLoss({ alpha: 0 }), 'E_SPEC', 'alpha');
    expectDroError(() => new RunningRobustLoss({ seed: -1 }), 'E_SPEC', 'seed');
    expectDroError(() => new RunningRobustLoss().update([Number.NaN]), 'E_NONFINITE', 'losses');
  });
});
`,
);
write(
  join(pkgDir, 'src/exampleLoss.test.ts'),
  `import * as tf from '@tensorflow/tfjs-core';
import { describeBackends, expectNoLeak } from '@drojs/dro-core/testing';
import { expect, it } from 'vitest';
import { exampleLoss } from './exampleLoss.js';

describeBackends('exampleLoss', ['cpu', 'wasm'], () => {
  it('is the mean of squares for ERM and the max for CVaR with tiny alpha', () => {
    const e = tf.tensor1d([1, -2, 3]);
    expect(exampleLoss(e, { kind: 'erm' }).arraySync()).toBeCloseTo(14 / 3, 5);
    expect(exampleLoss(e, { kind: 'cvar', alpha: 0.01 }).arraySync()).toBeCloseTo(9, 5);
    e.dispose();
  });
  it('leaks no tensors', () => {
    const e = tf.tensor1d([1, -2, 3]);
    expectNoLeak(() => exampleLoss(e, { kind: 'cvar', alpha: 0.5 }));
    e.dispose();
  });
});
`,
);
write(
  join(pkgDir, 'vectors', `${name}.json`),
  json({
    format: `${name}-vectors-1`,
    cases: [
      { id: 'erm', errors: [1, -2, 3], spec: { kind: 'erm' }, expected: 14 / 3 },
      { id: 'cvar-max', errors: [1, -2, 3], spec: { kind: 'cvar', alpha: 0.01 }, expected: 9 },
      { id: 'cvar-half', errors: [1, -2, 3, 0], spec: { kind: 'cvar', alpha: 0.5 }, expected: 6.5 },
    ],
  }),
);
write(
  join(pkgDir, 'src/conformance/evaluate.ts'),
  `import * as tf from '@tensorflow/tfjs-core';
import type { RobustSpec } from '@drojs/dro-core';
import { type ConformanceOutcome, findMismatch } from '@drojs/dro-core/conformance';
import { exampleLoss } from '../exampleLoss.js';

interface Case {
  id: string;
  errors: number[];
  spec: RobustSpec;
  expected: number;
}

/** Float32 tensors: the conventions' tolerance. */
const TOL = { abs: 1e-5, rel: 1e-4 };

/** Evaluates every case of a vectors file through the public API (a crash in one case fails that case). */
export function evaluateVectors(data: unknown): ConformanceOutcome[] {
  const cases = (data as { cases?: Case[] })?.cases;
  if (!Array.isArray(cases)) return [];
  return cases.map((c) => {
    try {
      const got = tf.tidy(() => exampleLoss(c.errors, c.spec).arraySync() as number);
      return { id: c.id, failure: findMismatch(got, c.expected, TOL, c.id) };
    } catch (e) {
      return { id: String(c?.id), failure: \`threw \${(e as Error).message}\` };
    }
  });
}
`,
);
write(
  join(pkgDir, 'src/conformance.ts'),
  `#!/usr/bin/env node
// Conformance runner: node packages/${name}/dist/conformance.js FILE
// Evaluates every case of a vectors file through the public API and ends with
// "conformance: N passed, M failed" (exit 1 when M > 0).
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@drojs/dro-core';
import { reportConformance, reportConformanceCrash } from '@drojs/dro-core/conformance';
import { evaluateVectors } from './conformance/evaluate.js';

async function main(): Promise<void> {
  const file = process.argv[2];
  if (!file) throw new Error('usage: node packages/${name}/dist/conformance.js FILE');
  tf.env().set('PROD', true); // no "install tfjs-node" banner in the runner's output
  await initBackend({ backend: 'cpu' });
  process.exitCode = reportConformance(evaluateVectors(JSON.parse(readFileSync(file, 'utf8'))), '${name}');
}

main().catch((e: unknown) => {
  process.exitCode = reportConformanceCrash(e);
});
`,
);
write(
  join(pkgDir, 'src/conformance/vectors.test.ts'),
  `import { fileURLToPath } from 'node:url';
import { describeBackends, loadVectors } from '@drojs/dro-core/testing';
import { expect, it } from 'vitest';
import { evaluateVectors } from './evaluate.js';

const file = fileURLToPath(new URL('../../vectors/${name}.json', import.meta.url));

describeBackends('${name} vectors', ['cpu'], () => {
  it('every vendored case passes', () => {
    const out = evaluateVectors(loadVectors(file));
    expect(out.length).toBeGreaterThan(0);
    expect(out.filter((o) => o.failure !== null)).toEqual([]);
  });
  it('a corrupted expected value fails', () => {
    const data = loadVectors<{ cases: { expected: number }[] }>(file);
    data.cases[0]!.expected += 0.01;
    expect(evaluateVectors(data)[0]!.failure).not.toBeNull();
  });
});
`,
);
write(
  join(pkgDir, 'bench/run.ts'),
  `// Benchmark stub: time the method here (never in tests). Prints a table; JSON results go to bench/results/.
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@drojs/dro-core';
import { exampleLoss } from '../src/index.js';

const info = await initBackend();
const e = tf.randomNormal([4096]) as tf.Tensor1D;
const reps = 50;
const t0 = performance.now();
for (let i = 0; i < reps; i++) exampleLoss(e, { kind: 'cvar', alpha: 0.1 }).dispose();
console.table([{ backend: info.name, 'ms per call (n = 4096)': (performance.now() - t0) / reps }]);
e.dispose();
`,
);
write(
  join(pkgDir, 'README.md'),
  `# @drojs/${name}

${description}.

\`\`\`sh
pnpm add @drojs/${name} @drojs/dro-core @tensorflow/tfjs-core@${tfVersion} @tensorflow/tfjs-backend-cpu@${tfVersion} @tensorflow/tfjs-backend-wasm@${tfVersion} @tensorflow/tfjs-layers@${tfVersion}
\`\`\`

## Choices

- (Name the decisions the paper leaves open here.)

## Reproduction

\`pnpm --filter ${name}-demo demo\` — (measured table, machine and date).
`,
);
write(
  join(root, '.changeset', `new-${name}.md`),
  `---\n'@drojs/${name}': minor\n---\n\nNew package @drojs/${name}: ${description}.\n`,
);

if (!flag('--no-example')) {
  write(
    join(exDir, 'package.json'),
    json({
      name: `${name}-demo`,
      private: true,
      type: 'module',
      scripts: { demo: 'tsx index.ts --quick', full: 'tsx index.ts', typecheck: 'tsc --noEmit -p tsconfig.json' },
      dependencies: {
        [`@drojs/${name}`]: 'workspace:*',
        '@drojs/dro-core': 'workspace:*',
        '@drojs/example-kit': 'workspace:*',
        ...tfPeers,
      },
    }),
  );
  write(
    join(exDir, 'tsconfig.json'),
    json({ extends: '../../tsconfig.base.json', include: ['*.ts'], compilerOptions: { noEmit: true } }),
  );
  write(
    join(exDir, 'index.ts'),
    `// Demo of @drojs/${name}. \`--quick\` is the mode \`pnpm demo\` runs.
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@drojs/dro-core';
import { exampleLoss } from '@drojs/${name}';
import { exitOnFail, verdict } from '@drojs/example-kit';

const info = await initBackend();
const errors = tf.tensor1d([0.5, -1, 2, 0.25]);
const rows = (['erm', 'cvar'] as const).map((kind) => ({
  kind,
  loss: exampleLoss(errors, kind === 'erm' ? { kind } : { kind, alpha: 0.5 }).arraySync(),
}));
console.log(\`${name} demo on \${info.name}\`);
console.table(rows);
// Every example ends with machine-readable verdicts through the example kit (examples/kit): a VERDICT line per
// claim and out/verdicts.json, which \`pnpm demo\` collects into its summary table and HTML report.
const cvar = rows[1]!.loss as number;
const erm = rows[0]!.loss as number;
verdict({
  claim: 'the robust loss is at least the average loss',
  measured: cvar - erm,
  criterion: 'cvar - erm >= 0',
  status: cvar >= erm,
});
exitOnFail();
`,
  );
  write(
    join(exDir, 'README.md'),
    `# ${name}-demo

Reproduction of @drojs/${name}: \`pnpm --filter ${name}-demo demo\` (quick, what \`pnpm demo\` runs) or \`full\`.
It ends with \`VERDICT {...}\` lines through \`@drojs/example-kit\` (claim, measured value, criterion,
PASS/FAIL/INFO, mode, seconds, plots) and writes \`out/verdicts.json\` for \`pnpm demo\`'s report.

| claim | measured | criterion | status | machine, date |
|---|---|---|---|---|
| (fill in from a run) | | | | |
`,
  );
}
// Generated code follows the repository's lint and format rules.
try {
  const paths = [`packages/${name}`, ...(flag('--no-example') ? [] : [`examples/${name}-demo`])];
  execFileSync('pnpm', ['exec', 'biome', 'check', '--write', ...paths], { cwd: root, stdio: 'ignore' });
} catch {
  console.log('  (run `pnpm exec biome check --write` on the new folders once dependencies are installed)');
}
console.log(`\nNext: pnpm install && pnpm build && pnpm --filter @drojs/${name} test`);
