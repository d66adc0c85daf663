import { describe, expect, it } from 'vitest';
import { reportConformance } from './report.js';

describe('reportConformance', () => {
  it('prints failures and the closing line, returns 1 on any failure', () => {
    const lines: string[] = [];
    const code = reportConformance(
      [
        { id: 'a', failure: null },
        { id: 'b', failure: 'value: expected 1, got 2' },
      ],
      'x',
      (l) => lines.push(l),
    );
    expect(code).toBe(1);
    expect(lines).toEqual(['FAIL b: value: expected 1, got 2', 'conformance: 1 passed, 1 failed']);
  });
  it('returns 0 when all pass and counts an empty file as a failure', () => {
    const lines: string[] = [];
    expect(reportConformance([{ id: 'a', failure: null }], 'x', (l) => lines.push(l))).toBe(0);
    expect(lines.at(-1)).toBe('conformance: 1 passed, 0 failed');
    expect(reportConformance([], 'x', (l) => lines.push(l))).toBe(1);
    expect(lines.at(-1)).toBe('conformance: 0 passed, 1 failed');
  });
});
