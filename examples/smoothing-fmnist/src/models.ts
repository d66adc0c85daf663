import * as tfl from '@tensorflow/tfjs-layers';

/** Fashion-MNIST pixel mean and standard deviation: normalisation is the model's first layer (§1.2). */
const MEAN = 0.286;
const STD = 0.353;

/**
 * MLP `inputShape → flatten → normalise → 256 → 256 → 10` with a first hidden layer as wide as the
 * input (784 for RS, 392 for a DRS half), ReLU, as in the spec's protocol.
 */
export function buildMlp(inputShape: number[], seed: number): tfl.Sequential {
  const d = inputShape.reduce((a, b) => a * b, 1);
  const init = (k: number) => tfl.initializers.glorotUniform({ seed: seed * 10 + k });
  return tfl.sequential({
    layers: [
      tfl.layers.flatten({ inputShape }),
      tfl.layers.rescaling({ scale: 1 / STD, offset: -MEAN / STD }),
      tfl.layers.dense({ units: d, activation: 'relu', kernelInitializer: init(1) }),
      tfl.layers.dense({ units: 256, activation: 'relu', kernelInitializer: init(2) }),
      tfl.layers.dense({ units: 256, activation: 'relu', kernelInitializer: init(3) }),
      tfl.layers.dense({ units: 10, kernelInitializer: init(4) }),
    ],
  });
}
