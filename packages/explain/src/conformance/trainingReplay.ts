import * as tf from '@tensorflow/tfjs-core';
import { CometTrainer, type CometTrainerOptions } from '../index.js';
import { buildNets, plain } from './networks.js';

/** True for a case of the training-replay family (recognised by its shape, not its name). */
export function isTrainingReplay(c: unknown): boolean {
  const i = (c as { input?: Record<string, unknown> })?.input;
  return (
    !!i &&
    ['selector', 'predictor', 'detector', 'x', 'labels', 'optimizer', 'steps'].every((k) => i[k] !== undefined) &&
    typeof (c as { expected?: { trace?: unknown } }).expected?.trace === 'object'
  );
}

/** Replays `steps` trainer steps on the whole batch; returns the trace and the parameters after the run. */
export function evalTrainingReplay(input: Record<string, unknown>): Record<string, unknown> {
  const built = buildNets(input, ['selector', 'predictor', 'detector']);
  const { selector, predictor, detector } = built.nets;
  const x = tf.tensor(input.x as number[]) as tf.Tensor4D;
  const labels = input.labels as number[];
  const trainer = new CometTrainer(
    { selector: selector!, predictor: predictor!, detector: detector! },
    {
      ...((input.options ?? {}) as CometTrainerOptions),
      optimizer: input.optimizer as CometTrainerOptions['optimizer'],
      ...(input.detectorMode !== undefined ? { detectorMode: input.detectorMode as 'frozen' | 'adversarial' } : {}),
      batchSize: x.shape[0],
    },
  );
  try {
    const trace: Record<string, unknown>[] = [];
    for (let s = 0; s < (input.steps as number); s++) {
      const t = trainer.trainStep(x, labels);
      let area = 0;
      for (const v of t.area) area += v;
      trace.push({
        sufficiency: t.sufficiency,
        complement: t.complement,
        completenessTerm: t.completenessTerm,
        areaMean: area / t.area.length,
        areaTerm: t.areaTerm,
        tvTerm: t.tvTerm,
        total: t.total,
      });
    }
    const params = (m: typeof selector) => plain(m!.trainableWeights.map((w) => w.read()));
    return {
      trace,
      selectorParams: params(selector),
      predictorParams: params(predictor),
      detectorParams: params(detector),
    };
  } finally {
    trainer.dispose();
    x.dispose();
    built.dispose();
  }
}
