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
    bin: { [`drojs-${name}-conformance`]: './dist/conformance.js' },
    files: ['dist'],
    scripts: {
      build: 'tsup',
      typecheck: 'tsc --noEmit -p tsconfig.json',
      test: 'vitest run --reporter=default --reporter=json --outputFile.json=reports/vitest.json',
      'check:package': 'publint --strict && attw --pack . --profile node16',
    },
    dependencies: { '@drojs/dro-core': 'workspace:^' },
    peerDependencies: tfPeers,
    devDependencies: { ...tfPeers },
  }),
);
write(
  join(pkgDir, 'tsconfig.json'),
  json({ extends: '../../tsconfig.base.json', include: ['src'], compilerOptions: { noEmit: true } }),
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
export { exampleLoss } from './example-loss.js';
`,
);
write(
  join(pkgDir, 'src/example-loss.ts'),
  `import * as tf from '@tensorflow/tfjs-core';
import { type RobustSpec, robustLoss } from '@drojs/dro-core';

/**
 * Placeholder method: the robust aggregate of per-sample squared errors. Replace with the method.
 * @param errors - per-sample residuals, float32, 1-D.
 * @param spec - the uncertainty set (see dro-core's RobustSpec).
 */
export function exampleLoss(errors: tf.Tensor1D, spec: RobustSpec): tf.Scalar {
  return tf.tidy(() => robustLoss(tf.square(errors) as tf.Tensor1D, spec));
}
`,
);
write(
  join(pkgDir, 'src/example-loss.test.ts'),
  `import * as tf from '@tensorflow/tfjs-core';
import { describeBackends, expectNoLeak } from '@drojs/dro-core/testing';
import { expect, it } from 'vitest';
import { exampleLoss } from './example-loss.js';

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
  join(pkgDir, 'src/conformance.ts'),
  `#!/usr/bin/env node
// Conformance runner: node packages/${name}/dist/conformance.js FILE
// Evaluates every case of a vectors file through the public API and ends with
// "conformance: N passed, M failed" (exit 1 when M > 0).
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@drojs/dro-core';
import { exampleLoss } from './index.js';

interface Case { id: string; errors: number[]; spec: Parameters<typeof exampleLoss>[1]; expected: number }

async function main(): Promise<void> {
  const file = process.argv[2];
  if (!file) throw new Error('usage: conformance FILE');
  tf.env().set('PROD', true); // no "install tfjs-node" banner in the runner's output
  await initBackend({ backend: 'cpu' });
  const data = JSON.parse(readFileSync(file, 'utf8')) as { cases: Case[] };
  let passed = 0;
  let failed = 0;
  for (const c of data.cases) {
    const got = tf.tidy(() => exampleLoss(tf.tensor1d(c.errors), c.spec).arraySync() as number);
    if (Math.abs(got - c.expected) <= 1e-5 + 1e-4 * Math.abs(c.expected)) passed++;
    else {
      failed++;
      console.log(\`FAIL \${c.id}: expected \${c.expected}, got \${got}\`);
    }
  }
  console.log(\`conformance: \${passed} passed, \${failed} failed\`);
  process.exitCode = failed > 0 ? 1 : 0;
}
main().catch((e) => {
  console.error(e);
  console.log('conformance: 0 passed, 1 failed');
  process.exitCode = 1;
});
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
      dependencies: { [`@drojs/${name}`]: 'workspace:*', '@drojs/dro-core': 'workspace:*', ...tfPeers },
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

const info = await initBackend();
const errors = tf.tensor1d([0.5, -1, 2, 0.25]);
const rows = (['erm', 'cvar'] as const).map((kind) => ({
  kind,
  loss: exampleLoss(errors, kind === 'erm' ? { kind } : { kind, alpha: 0.5 }).arraySync(),
}));
console.log(\`${name} demo on \${info.name}\`);
console.table(rows);
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
