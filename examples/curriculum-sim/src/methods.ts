// The compared methods of §15.3, each driven through the package's public controllers at an equal
// rollout budget. A run is a pure function of (method, seed, preset); --checkpoint-at rebuilds every
// object from JSON mid-run to show that the continuation is identical.
import { createRng, type Rng, Rng as RngClass, type RngState } from '@drojs/dro-core/host';
import { DumpScheduler, type GroupResult, PromptGdroSampler, RolloutGdroAllocator } from '@drojs/rl-curriculum';
import { drawOutcomes, learn, type Occurrence, type Preset, presetConfig, World, type WorldState } from './world.js';

export const METHODS = [
  'grpo',
  'dapo_ds',
  'pgdro_rw_surr',
  'pgdro_rw_fail',
  'pgdro_resample_fail',
  'rgdro_exp3p_surr',
  'rgdro_exp3p_fail',
  'rgdro_sqrt',
  'dump',
] as const;
export type Method = (typeof METHODS)[number];

const C = {
  edges: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9],
  historyLen: 50,
  hysteresis: 0.03,
  extremes: 'bin' as const,
  indicator: 'anyOfN' as const,
};
const GDRO = { form: 'code' as const, eta: 0.65, gamma: 0.01, emaBeta: 0.12, maxWeight: 15 };

type Ctrl = PromptGdroSampler | RolloutGdroAllocator | DumpScheduler | null;

function makeController(m: Method, world: World, seed: number): Ctrl {
  const ctrlSeed = 7919 * (seed + 1);
  switch (m) {
    case 'pgdro_rw_surr':
    case 'pgdro_rw_fail':
      return new PromptGdroSampler({ mode: 'reweight', ...GDRO, normalizeByShare: true, classifier: C });
    case 'pgdro_resample_fail':
      return new PromptGdroSampler({
        mode: 'resample',
        ...GDRO,
        normalizeByShare: false,
        classifier: C,
        pool: world.uids,
        seed: ctrlSeed,
      });
    case 'rgdro_exp3p_surr':
    case 'rgdro_exp3p_fail':
      return new RolloutGdroAllocator({
        mode: 'exp3p',
        variant: 'code',
        nMin: 2,
        nMax: 12,
        meanBudget: 4,
        eta: 0.65,
        gamma: 0.01,
        dualLr: 0.05,
        classifier: C,
      });
    case 'rgdro_sqrt':
      return new RolloutGdroAllocator({
        mode: 'sqrt',
        nMin: 2,
        nMax: 12,
        meanBudget: 4,
        vEmaBeta: 0.2,
        vPrior: 0.25,
        classifier: C,
      });
    case 'dump':
      return new DumpScheduler({
        sources: world.cfg.sizes.map((_, d) => String(d)),
        window: 300,
        c: 1,
        tau: 0.1,
        pool: world.uids.map((uid, i) => ({ uid, source: String(world.level[i]) })),
        seed: ctrlSeed,
      });
    default:
      return null;
  }
}

function restoreController(m: Method, state: unknown): Ctrl {
  if (state === null) return null;
  if (m.startsWith('pgdro')) return PromptGdroSampler.fromState(state as never);
  if (m.startsWith('rgdro')) return RolloutGdroAllocator.fromState(state as never);
  return DumpScheduler.fromState(state as never);
}

export interface RunResult {
  method: Method;
  seed: number;
  natural: number;
  macro: number;
  mean1: number;
  auc: number;
  perLevel: number[];
  steps: number;
  rollouts: number;
  /** Per learning step: rollouts per level (the sampling mix). */
  mix: number[][];
  /** Per learning step: mean level of the batch's prompts. */
  meanLevel: number[];
  /** Rollout-GDRO: every step's total and min/max count. */
  allocations: Array<{ total: number; min: number; max: number }>;
  /** Prompt-GDRO lead–lag: [weight mean bin, data mean bin] per step. */
  leadLag: Array<[number, number]>;
  /** Rollout-GDRO: rollouts and prompts per bin label, summed over the last 100 steps. */
  perBin: Record<string, { rollouts: number; prompts: number }>;
  curve: Array<[number, number]>;
}

interface Snapshot {
  world: WorldState;
  rollout: RngState;
  batch: RngState;
  ctrl: unknown;
  used: number;
  step: number;
}

export function runMethod(m: Method, seed: number, preset: Preset, o: { checkpointAt?: number } = {}): RunResult {
  const cfg = presetConfig(preset);
  let world = new World(cfg, seed);
  let rollout: Rng = createRng(`rollout:${seed}`);
  let batchRng: Rng = createRng(`batch:${seed}`);
  let ctrl = makeController(m, world, seed);
  let used = 0;
  let step = 0;
  const L = cfg.sizes.length;
  const res: RunResult = {
    method: m,
    seed,
    natural: 0,
    macro: 0,
    mean1: 0,
    auc: 0,
    perLevel: [],
    steps: 0,
    rollouts: 0,
    mix: [],
    meanLevel: [],
    allocations: [],
    leadLag: [],
    perBin: {},
    curve: [],
  };
  const auc: number[] = [];
  const uniform = (): number[] => Array.from(batchRng.choice(world.N, cfg.batch));
  const totalSteps = cfg.budget / (cfg.batch * cfg.meanN);

  while (used < cfg.budget) {
    if (o.checkpointAt !== undefined && step === o.checkpointAt) {
      // Save everything as JSON, rebuild fresh objects from it, continue.
      const snap: Snapshot = JSON.parse(
        JSON.stringify({
          world: world.getState(),
          rollout: rollout.getState(),
          batch: batchRng.getState(),
          ctrl: ctrl ? ctrl.getState() : null,
          used,
          step,
        }),
      );
      world = new World(cfg, seed);
      world.setState(snap.world);
      rollout = RngClass.fromState(snap.rollout);
      batchRng = RngClass.fromState(snap.batch);
      ctrl = restoreController(m, snap.ctrl);
      used = snap.used;
      step = snap.step;
    }
    let idx: number[];
    let counts: number[];
    let weights: number[] | null = null;
    let occ: Occurrence[];
    let bins: string[] | null = null;
    if (m === 'dapo_ds') {
      const kept: Occurrence[] = [];
      while (kept.length < cfg.batch && used < cfg.budget) {
        for (const i of uniform()) {
          if (kept.length >= cfg.batch || used >= cfg.budget) break;
          const y = drawOutcomes(world, i, cfg.meanN, rollout);
          used += cfg.meanN;
          const s = y.reduce((a, b) => a + b, 0);
          if (s > 0 && s < cfg.meanN) kept.push({ index: i, y, w: 1 });
        }
      }
      if (kept.length === 0) break;
      occ = kept;
      idx = kept.map((k) => k.index);
      counts = kept.map((k) => k.y.length);
    } else {
      if (m === 'pgdro_resample_fail') {
        const r = (ctrl as PromptGdroSampler).sample(cfg.batch);
        idx = r.uids.map(Number);
        bins = r.bins;
        if (step < totalSteps) {
          const K = Object.keys(r.q);
          const wMean = K.reduce((a, b) => a + Number(b) * (r.q[b] as number), 0);
          let poolMean = 0;
          if (step < 25 || step >= 150) {
            const cls = (ctrl as PromptGdroSampler).classifier;
            for (const u of world.uids) poolMean += Number(cls.peek(u));
            poolMean /= world.N;
          }
          res.leadLag.push([wMean, poolMean]);
        }
      } else if (m === 'dump') {
        idx = (ctrl as DumpScheduler).sample(cfg.batch).uids.map(Number);
      } else idx = uniform();
      counts = idx.map(() => cfg.meanN);
      const uids = idx.map(String);
      if (m.startsWith('rgdro')) {
        const a = (ctrl as RolloutGdroAllocator).allocate(uids, { totalBudget: cfg.batch * cfg.meanN });
        counts = a.counts;
        bins = a.bins;
        res.allocations.push({
          total: counts.reduce((x, y) => x + y, 0),
          min: Math.min(...counts),
          max: Math.max(...counts),
        });
        if (step >= totalSteps - 100) {
          a.bins.forEach((b, k) => {
            const e = res.perBin[b] ?? { rollouts: 0, prompts: 0 };
            e.rollouts += counts[k] as number;
            e.prompts += 1;
            res.perBin[b] = e;
          });
        }
      }
      if (m.startsWith('pgdro_rw')) {
        const wr = (ctrl as PromptGdroSampler).weights(uids, { rolloutCounts: counts });
        weights = wr.weights;
        bins = wr.bins;
        const K = Object.keys(wr.q);
        const qs = K.reduce((a, b) => a + (wr.q[b] as number), 0);
        const wMean = K.reduce((a, b) => a + Number(b) * (wr.q[b] as number), 0) / qs;
        const dMean = wr.bins.reduce((a, b) => a + Number(b), 0) / wr.bins.length;
        res.leadLag.push([wMean, dMean]);
      }
      occ = idx.map((i, k) => ({
        index: i,
        y: drawOutcomes(world, i, counts[k] as number, rollout),
        w: weights ? (weights[k] as number) : 1,
      }));
      used += counts.reduce((a, b) => a + b, 0);
    }
    const mix = new Array<number>(L).fill(0);
    occ.forEach((oc) => {
      mix[world.level[oc.index] as number]! += oc.y.length;
    });
    res.mix.push(mix);
    res.meanLevel.push(idx.reduce((a, i) => a + (world.level[i] as number), 0) / idx.length);
    const out = learn(world, occ);
    step++;
    if (ctrl) {
      const useSurr = m.endsWith('_surr');
      const results: GroupResult[] = occ.map((oc, k) => {
        const r: GroupResult = { uid: String(oc.index), rewards: oc.y };
        if (m === 'dump') {
          r.advantages = out.adv[k] as number[];
          r.source = String(world.level[oc.index]);
        } else {
          r.loss = useSurr ? (out.surrogate[k] as number) : (out.failure[k] as number);
          if (bins) r.bin = bins[k] as string;
        }
        return r;
      });
      ctrl.update(results);
    }
    if (step % 25 === 0) {
      const e = world.evaluate();
      auc.push(e.natural);
      res.curve.push([used, e.natural]);
    }
  }
  const e = world.evaluate();
  if (step % 25 !== 0) {
    auc.push(e.natural);
    res.curve.push([used, e.natural]);
  }
  res.natural = e.natural;
  res.macro = e.macro;
  res.mean1 = e.mean1;
  res.perLevel = e.perLevel;
  res.auc = auc.reduce((a, b) => a + b, 0) / auc.length;
  res.steps = step;
  res.rollouts = used;
  return res;
}
