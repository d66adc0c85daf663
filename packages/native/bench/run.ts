/**
 * @drojs/native quick benchmark (`pnpm --filter @drojs/native bench`): wasm (with dro-core's fixes) against wasm +
 * native kernels, in one process, interleaved over rounds (the machine is shared; load drifts). Workloads:
 * SGD step of the 784-256-256-10 ReLU MLP (softmax cross-entropy) at batch 256 and 1024; a conv train step
 * (64×28×28×1 → conv 3×3×32 same + ReLU → dense 10); MLP forward samples/s at batch 1000. Reports process CPU
 * time per step (median over rounds). The PyTorch comparison lives in the repository's `pnpm bench`.
 *
 * dro-core is imported from its build (../../dro-core/dist): a package dependency would make a cycle, since
 * dro-core depends on @drojs/native for its own tests. Flags: --quick, --rounds=N.
 */
import { cpus, loadavg } from 'node:os';
import * as tf from '@tensorflow/tfjs-core';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const ROUNDS = Number(args.find((a) => a.startsWith('--rounds='))?.split('=')[1] ?? (quick ? 3 : 5));

interface CoreLike {
  initBackend(o: { backend: 'wasm'; native: boolean }): Promise<{ native: { loaded: boolean; reason: string } }>;
}
const corePath = new URL('../../dro-core/dist/index.js', import.meta.url).href;
const core = (await import(corePath)) as CoreLike;
tf.env().set('PROD', true);

function seeded(shape: number[], seed: number, scale: number): tf.Tensor {
  let s = seed >>> 0;
  const n = shape.reduce((p, d) => p * d, 1);
  const v = Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return scale * (s / 2 ** 31 - 1);
  });
  return tf.tensor(v, shape);
}

interface Workload {
  name: string;
  unit: 'ms/step' | 'samples/s';
  samples: number;
  run(): void;
  dispose(): void;
}

function mlp(batch: number, train: boolean): Workload {
  const sizes = [784, 256, 256, 10];
  const params: tf.Variable[] = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    params.push(tf.variable(seeded([sizes[l]!, sizes[l + 1]!], l + 1, Math.sqrt(6 / sizes[l]!))));
    params.push(tf.variable(tf.zeros([sizes[l + 1]!])));
  }
  const x = seeded([batch, 784], 7, 1);
  const y = tf.tidy(() =>
    tf.oneHot(
      tf.tensor1d(
        Array.from({ length: batch }, (_, i) => i % 10),
        'int32',
      ),
      10,
    ),
  );
  const forward = () => {
    let h: tf.Tensor = x;
    for (let l = 0; l < params.length; l += 2) {
      const act = l + 2 === params.length ? 'linear' : 'relu';
      h = tf.fused.matMul({ a: h, b: params[l] as tf.Tensor, bias: params[l + 1], activation: act });
    }
    return h;
  };
  const opt = tf.train.sgd(0.01);
  return {
    name: train ? `MLP 784-256-256-10 SGD step, batch ${batch}` : `MLP forward, batch ${batch}`,
    unit: train ? 'ms/step' : 'samples/s',
    samples: batch,
    run: () => {
      if (train) opt.minimize(() => tf.losses.softmaxCrossEntropy(y, forward()) as tf.Scalar)?.dispose();
      else tf.tidy(() => forward().dataSync());
    },
    dispose: () => tf.dispose([...params, x, y, opt]),
  };
}

function conv(): Workload {
  const f = tf.variable(seeded([3, 3, 1, 32], 3, 0.3));
  const b = tf.variable(tf.zeros([32]));
  const w = tf.variable(seeded([28 * 28 * 32, 10], 4, 0.01));
  const x = seeded([64, 28, 28, 1], 5, 1);
  const y = tf.tidy(() =>
    tf.oneHot(
      tf.tensor1d(
        Array.from({ length: 64 }, (_, i) => i % 10),
        'int32',
      ),
      10,
    ),
  );
  const opt = tf.train.sgd(0.01);
  return {
    name: 'conv step (64×28×28×1, 3×3×32 same + ReLU, dense 10)',
    unit: 'ms/step',
    samples: 64,
    run: () =>
      opt
        .minimize(() => {
          const h = tf.fused.conv2d({
            x: x as tf.Tensor4D,
            filter: f as tf.Tensor4D,
            strides: 1,
            pad: 'same',
            bias: b,
            activation: 'relu',
          });
          return tf.losses.softmaxCrossEntropy(y, tf.matMul(tf.reshape(h, [64, -1]), w)) as tf.Scalar;
        })
        ?.dispose(),
    dispose: () => tf.dispose([f, b, w, x, y, opt]),
  };
}

/** CPU ms per run of `w`, over `reps` runs after `warm` untimed ones. */
function time(w: Workload, reps: number, warm: number): number {
  for (let i = 0; i < warm; i++) w.run();
  const t0 = process.cpuUsage();
  for (let i = 0; i < reps; i++) w.run();
  const dt = process.cpuUsage(t0);
  return (dt.user + dt.system) / 1000 / reps;
}

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;

const makers: [() => Workload, number][] = [
  [() => mlp(256, true), quick ? 10 : 30],
  [() => mlp(1024, true), quick ? 4 : 10],
  [conv, quick ? 4 : 10],
  [() => mlp(1000, false), quick ? 10 : 30],
];
const info = await core.initBackend({ backend: 'wasm', native: true });
if (!info.native.loaded) console.log(`native not loaded (${info.native.reason}): both columns are wasm`);
console.log(
  `${cpus()[0]?.model ?? 'cpu?'} ×${cpus().length}, Node ${process.version}, load ${loadavg()[0]!.toFixed(2)}, ${new Date().toISOString()}`,
);
console.log('| workload | wasm + fixes | + native | speed-up |\n|---|---|---|---|');
for (const [make, reps] of makers) {
  const per: Record<'wasm' | 'native', number[]> = { wasm: [], native: [] };
  let name = '';
  let unit: Workload['unit'] = 'ms/step';
  let samples = 1;
  for (let r = 0; r < ROUNDS; r++) {
    for (const mode of r % 2 === 0 ? (['wasm', 'native'] as const) : (['native', 'wasm'] as const)) {
      await core.initBackend({ backend: 'wasm', native: mode === 'native' });
      const w = make();
      ({ name, unit, samples } = w);
      per[mode].push(time(w, reps, r === 0 ? 3 : 1));
      w.dispose();
    }
  }
  const ms = { wasm: median(per.wasm), native: median(per.native) };
  const show = (v: number) => (unit === 'ms/step' ? `${v.toFixed(2)} ms` : `${Math.round((1000 * samples) / v)} /s`);
  console.log(`| ${name} | ${show(ms.wasm)} | ${show(ms.native)} | ${(ms.wasm / ms.native).toFixed(2)}× |`);
}
