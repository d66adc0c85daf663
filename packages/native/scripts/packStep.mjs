// Run by packInstallCheck.sh inside the installed temp folder: initBackend must load the native kernels from
// the installed platform package, and one SGD step of a small MLP must run on them.
import { initBackend } from '@drojs/dro-core';
import * as tf from '@tensorflow/tfjs-core';

const info = await initBackend({ backend: 'wasm' });
if (!info.native.loaded) {
  console.log(`packInstallCheck: native NOT loaded (${info.native.reason})`);
  process.exit(1);
}
if (!info.native.binary.includes('node_modules/@drojs/native-linux-x64-gnu/')) {
  console.log(`packInstallCheck: the binary did not come from the installed package (${info.native.binary})`);
  process.exit(1);
}
console.log(`native loaded: ${info.native.binary} (${info.native.blas}), ${info.native.kernels.length} kernels`);

const x = tf.randomUniform([256, 784], 0, 1, 'float32', 1);
const y = tf.oneHot(
  tf.tensor1d(
    Array.from({ length: 256 }, (_, i) => i % 10),
    'int32',
  ),
  10,
);
const layers = [784, 256, 256, 10];
const params = [];
for (let l = 0; l + 1 < layers.length; l++) {
  params.push(tf.variable(tf.randomNormal([layers[l], layers[l + 1]], 0, Math.sqrt(2 / layers[l]), 'float32', l)));
  params.push(tf.variable(tf.zeros([layers[l + 1]])));
}
const loss = () =>
  tf.tidy(() => {
    let h = x;
    for (let l = 0; l < params.length; l += 2) {
      const last = l + 2 === params.length;
      h = tf.fused.matMul({ a: h, b: params[l], bias: params[l + 1], activation: last ? 'linear' : 'relu' });
    }
    return tf.losses.softmaxCrossEntropy(y, h);
  });
const optimizer = tf.train.sgd(0.1);
const before = (await loss().data())[0];
for (let i = 0; i < 5; i++) optimizer.minimize(loss);
const after = (await loss().data())[0];
if (!(after < before)) {
  console.log(`packInstallCheck: the loss did not fall (${before} -> ${after})`);
  process.exit(1);
}
console.log(`training step ran on native: loss ${before.toFixed(4)} -> ${after.toFixed(4)} after 5 SGD steps`);
