import { describe, expect, it } from 'vitest';
import { NEAR_CHANCE_THRESHOLD } from './constants.js';
import { reliabilityOf } from './reliability.js';

describe('reliabilityOf', () => {
  const base = { valid: false, isOod: false, ruleD: 0.3, isOodBySimilarity: false, ruleProbOfLabel: 0.9 };
  it('checks high, ood, insufficient-evidence, no-support, near-chance, low in that order', () => {
    expect(reliabilityOf({ ...base, valid: true, isOod: true, ruleD: 0, isOodBySimilarity: true })).toBe('high');
    expect(reliabilityOf({ ...base, isOod: true, ruleD: 0, isOodBySimilarity: true })).toBe('ood');
    expect(reliabilityOf({ ...base, ruleD: 0, isOodBySimilarity: true })).toBe('insufficient-evidence');
    expect(reliabilityOf({ ...base, isOodBySimilarity: true, ruleProbOfLabel: 0.1 })).toBe('no-support');
    expect(reliabilityOf({ ...base, ruleProbOfLabel: NEAR_CHANCE_THRESHOLD - 1e-9 })).toBe('near-chance');
    expect(reliabilityOf({ ...base, ruleProbOfLabel: NEAR_CHANCE_THRESHOLD })).toBe('low');
    expect(reliabilityOf(base)).toBe('low');
  });
});
