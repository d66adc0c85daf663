import { checkOptions, DroError, describeValue, opt } from '@drojs/dro-core';
import { ABSTAIN } from '../certificate.js';
import { checkAlpha, checkCount } from '../checks.js';

/** One certified example; `prediction = -1` is an abstention (radius 0). */
export interface CertRecord {
  index?: number;
  label: number;
  prediction: number;
  radius: number;
  timeMs?: number;
}

/** A record is correct iff it did not abstain and predicts its label. */
export function isCorrect(r: CertRecord): boolean {
  return r.prediction !== ABSTAIN && r.prediction === r.label;
}

/** @internal Validates a non-empty record list. */
export function checkRecords(records: unknown, argument = 'records', numClasses?: number): CertRecord[] {
  if (!Array.isArray(records))
    throw new DroError('E_SPEC', `${argument} must be an array`, { argument, received: describeValue(records) });
  if (records.length === 0)
    throw new DroError('E_EMPTY', `${argument} is empty`, { argument, expected: 'at least one record' });
  records.forEach((r, i) => {
    const a = `${argument}[${i}]`;
    if (!r || typeof r !== 'object') throw new DroError('E_SPEC', `${a} must be a record`, { argument: a });
    const { label, prediction, radius } = r as CertRecord;
    if (!Number.isInteger(label) || label < 0 || (numClasses !== undefined && label >= numClasses)) {
      throw new DroError('E_LABEL_RANGE', `${a}.label is not a valid class`, {
        argument: `${a}.label`,
        received: describeValue(label),
      });
    }
    if (!Number.isInteger(prediction) || prediction < -1 || (numClasses !== undefined && prediction >= numClasses)) {
      throw new DroError('E_LABEL_RANGE', `${a}.prediction is not −1 or a class`, {
        argument: `${a}.prediction`,
        received: describeValue(prediction),
      });
    }
    if (typeof radius !== 'number' || Number.isNaN(radius) || radius < 0) {
      throw new DroError(Number.isNaN(radius) ? 'E_NONFINITE' : 'E_SPEC', `${a}.radius must be ≥ 0`, {
        argument: `${a}.radius`,
        received: describeValue(radius),
      });
    }
  });
  return records as CertRecord[];
}

/**
 * Approximate certified accuracy at each radius: the fraction of ALL records that are correct and
 * have radius ≥ r (abstentions count as failures).
 */
export function certifiedAccuracy(records: CertRecord[], radii: number[]): number[] {
  checkRecords(records);
  if (!Array.isArray(radii)) throw new DroError('E_SPEC', 'radii must be an array', { argument: 'radii' });
  radii.forEach((r, i) => {
    if (typeof r !== 'number' || Number.isNaN(r))
      throw new DroError('E_NONFINITE', `radii[${i}] is not a number`, { argument: 'radii' });
  });
  const m = records.length;
  return radii.map((r) => {
    let c = 0;
    for (const rec of records) if (isCorrect(rec) && rec.radius >= r) c++;
    return c / m;
  });
}

/** Average certified radius: mean over all records of radius·1[correct]. */
export function averageCertifiedRadius(records: CertRecord[]): number {
  checkRecords(records);
  let s = 0;
  for (const r of records) if (isCorrect(r)) s += r.radius;
  return s / records.length;
}

/** Fraction of records with prediction −1. */
export function abstentionRate(records: CertRecord[]): number {
  checkRecords(records);
  return records.filter((r) => r.prediction === ABSTAIN).length / records.length;
}

/**
 * The certified-accuracy curve on the grid r_j = j·step, j = 0..ceil(maxRadius/step); default maxRadius
 * is the largest finite radius plus one step, so the final drop to 0 shows. Non-increasing by construction.
 */
export function certifiedAccuracyCurve(
  records: CertRecord[],
  opts: { step?: number; maxRadius?: number } = {},
): { radius: number[]; accuracy: number[] } {
  checkRecords(records);
  checkOptions(opts, { step: opt.any(), maxRadius: opt.any() }, 'certifiedAccuracyCurve');
  const step = opts.step ?? 0.01;
  if (typeof step !== 'number' || !(step > 0) || !Number.isFinite(step)) {
    throw new DroError('E_SPEC', 'step must be a finite number > 0', {
      argument: 'step',
      received: describeValue(step),
    });
  }
  let top = 0;
  for (const r of records) if (Number.isFinite(r.radius)) top = Math.max(top, r.radius);
  const maxRadius = opts.maxRadius ?? top + step;
  if (typeof maxRadius !== 'number' || !(maxRadius >= 0) || !Number.isFinite(maxRadius)) {
    throw new DroError('E_SPEC', 'maxRadius must be a finite number ≥ 0', {
      argument: 'maxRadius',
      received: describeValue(maxRadius),
    });
  }
  const count = Math.ceil(maxRadius / step - 1e-9) + 1;
  if (count > 1e6)
    throw new DroError('E_SPEC', 'too many grid points', { argument: 'step', received: `${count} points` });
  const radius: number[] = [];
  for (let j = 0; j < count; j++) radius.push(j * step);
  return { radius, accuracy: certifiedAccuracy(records, radius) };
}

/**
 * (1 − rho) lower bound on the true certified accuracy from `m` certificates each wrong with probability
 * at most alpha (Bernstein; locuslab `analyze.py`): acc − α − √(α(1−α)ln(1/ρ)/m) − ln(1/ρ)/(3m). Not clipped.
 */
export function highProbCertifiedAccuracy(acc: number, m: number, alpha: number, rho: number): number {
  if (typeof acc !== 'number' || !(acc >= 0 && acc <= 1))
    throw new DroError('E_SPEC', 'acc must be in [0, 1]', { argument: 'acc', received: describeValue(acc) });
  checkCount(m, 'm');
  checkAlpha(alpha);
  checkAlpha(rho, 'rho');
  const l = Math.log(1 / rho);
  return acc - alpha - Math.sqrt((alpha * (1 - alpha) * l) / m) - l / (3 * m);
}
