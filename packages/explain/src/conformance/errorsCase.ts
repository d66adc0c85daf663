import * as tf from '@tensorflow/tfjs-core';
import {
  type CometLossOptions,
  cometLoss,
  deletionInsertion,
  gradientSaliency,
  type IoUMode,
  integratedGradients,
  maskFromLogits,
  maskIoU,
  maskScores,
  occlusion,
  pointingGame,
} from '../index.js';
import { buildNets, nullToNaN } from './networks.js';

const OPTION_KEYS: Record<string, string[]> = {
  maskFromLogits: ['upsample', 'maskMode'],
  maskIoU: ['threshold', 'topK', 'soft'],
  pointingGame: ['tolerance'],
  deletionInsertion: ['steps', 'fill', 'output', 'batchSize'],
  integratedGradients: ['baseline', 'steps', 'rule', 'output', 'reduce', 'batchSize'],
  occlusion: ['window', 'strides', 'fill', 'output', 'batchSize'],
  gradientSaliency: ['output', 'reduce'],
  maskScores: ['fill', 'batchSize'],
};

function pick(input: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const k of keys) if (input[k] !== undefined) o[k] = input[k];
  return o;
}

// Arrays go to the API as given (nested arrays are TensorLike), with JSON nulls as NaN.
function call(input: Record<string, unknown>, nets: Record<string, unknown>): void {
  const a = (k: string) => nullToNaN(input[k]) as never;
  const name = input.call as string;
  const o = pick(input, OPTION_KEYS[name] ?? []) as never;
  switch (name) {
    case 'cometLoss': {
      const r = cometLoss(
        { predictor: nets.predictor as never, detector: nets.detector as never },
        a('x'),
        a('labels'),
        a('maskLogits'),
        input.options as CometLossOptions,
      );
      for (const t of Object.values(r)) if (t instanceof tf.Tensor) t.dispose();
      return;
    }
    case 'maskFromLogits':
      maskFromLogits(a('maskLogits'), input.size as [number, number], o).dispose();
      return;
    case 'maskIoU':
      maskIoU(a('map'), a('gt'), o as IoUMode);
      return;
    case 'pointingGame':
      pointingGame(a('map'), a('gt'), o);
      return;
    case 'deletionInsertion':
      deletionInsertion(nets.net as never, a('x'), a('targets'), a('map'), o);
      return;
    case 'integratedGradients': {
      const r = integratedGradients(nets.net as never, a('x'), a('targets'), o);
      r.attributions.dispose();
      r.map.dispose();
      return;
    }
    case 'occlusion':
      occlusion(nets.net as never, a('x'), a('targets'), o).map.dispose();
      return;
    case 'gradientSaliency': {
      const r = gradientSaliency(nets.net as never, a('x'), a('targets'), o);
      r.gradients.dispose();
      r.map.dispose();
      return;
    }
    case 'maskScores':
      maskScores(nets.net as never, a('x'), a('labels'), a('mask'), o);
      return;
    default:
      throw new Error(`unknown call ${name}`);
  }
}

/** `errors`: the call must throw a DroError; returns its code (or what happened instead). */
export function evalErrors(input: Record<string, unknown>): Record<string, unknown> {
  const built = buildNets(input, ['predictor', 'detector', 'net']);
  try {
    call(input, built.nets);
    return { error: 'no error' };
  } catch (e) {
    const err = e as { name?: string; code?: string; message?: string };
    return { error: err.name === 'DroError' ? err.code : `${err.name}: ${err.message}` };
  } finally {
    built.dispose();
  }
}
