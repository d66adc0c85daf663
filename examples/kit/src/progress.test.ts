import { describe, expect, it } from 'vitest';
import { progress, renderBar, renderLine } from './progress.js';

describe('progress', () => {
  it('off a TTY prints whole lines, throttled, and a final line', () => {
    const out: string[] = [];
    let t = 0;
    const p = progress('train', 100, { tty: false, minLineSeconds: 5, write: (s) => out.push(s), now: () => t });
    for (let i = 0; i < 100; i++) {
      t += 100; // 0.1 s per step: 10 s in all, so at most 2 throttled lines plus the final one
      p.tick(1, `loss ${i}`);
    }
    p.done();
    expect(out.every((s) => s.endsWith('\n') && !s.includes('\r'))).toBe(true);
    expect(out.length).toBeGreaterThanOrEqual(2);
    expect(out.length).toBeLessThanOrEqual(4);
    expect(out.at(-1)).toBe('train: 100/100 (100%) after 10.0 s — loss 99\n');
  });

  it('on a TTY redraws one bar with carriage returns', () => {
    const out: string[] = [];
    const p = progress('eval', 4, { tty: true, write: (s) => out.push(s), now: () => 0 });
    p.tick();
    p.tick(3);
    p.done();
    expect(out).toHaveLength(3);
    expect(out.every((s) => s.startsWith('\r'))).toBe(true);
    expect(out.at(-1)!.endsWith('\n')).toBe(true);
    expect(out[0]).toContain('1/4 25%');
  });

  it('renders bar and line text', () => {
    expect(renderBar('x', 12, 24, 1.5)).toBe(`x [${'#'.repeat(12)}${'.'.repeat(12)}] 12/24 50% 1.5 s`);
    expect(renderLine('x', 1, 3, 75)).toBe('x: 1/3 (33%) after 1 min 15 s');
  });
});
