// Helpers shared by the case families of the vectors format (§17.1).
/** A runner replays one case and returns its mismatches (empty when it passes). */
export type CaseRunner = (c: unknown, tol: number) => string[];
type Obj = Record<string, unknown>;

export function obj(x: unknown, what: string): Obj {
  if (x === null || typeof x !== 'object' || Array.isArray(x)) throw new Error(`${what} must be an object`);
  return x as Obj;
}

/** Maps snake_case config keys to camelCase options; unknown keys are an error (never silently ignored). */
export function mapKeys(config: unknown, map: Record<string, string>, what: string): Obj {
  const c = obj(config, what);
  const o: Obj = {};
  for (const k of Object.keys(c)) {
    const to = map[k];
    if (to === undefined) throw new Error(`${what}: unknown key ${JSON.stringify(k)}`);
    if (to !== '') o[to] = c[k];
  }
  return o;
}

export const classifierMap = {
  edges: 'edges',
  num_bins: 'numBins',
  history_len: 'historyLen',
  hysteresis: 'hysteresis',
  extremes: 'extremes',
  indicator: 'indicator',
  correct_threshold: 'correctThreshold',
};

// The reference's PromptGdroAdversary config keys (the z-score case adds its own three).
export const adversaryMap = {
  eta: 'eta',
  gamma: 'gamma',
  ema_beta: 'emaBeta',
  max_weight: 'maxWeight',
  norm_by_share: 'normalizeByShare',
};

export const ucbOf = (mu: Obj, n: Obj, cfg: Obj): Obj => {
  const N = Math.max(
    1,
    Object.values(n).reduce((a: number, b) => a + (b as number), 0),
  );
  return Object.fromEntries(
    Object.keys(mu).map((s) => [
      s,
      (mu[s] as number) + (cfg.c as number) * Math.sqrt((2 * Math.log(N + 1)) / ((n[s] as number) + 1)),
    ]),
  );
};
