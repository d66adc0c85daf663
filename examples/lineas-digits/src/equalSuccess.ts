import type { Point } from './protocol.js';

/**
 * Off-target accuracy of a strength sweep interpolated to a given success: the first grid segment whose
 * two success values bracket it, linear in between (spec §7.7). `null` when no segment reaches it.
 */
export function offTargetAtSuccess(sweep: readonly Point[], success: number): number | null {
  for (let i = 0; i + 1 < sweep.length; i++) {
    const a = sweep[i]!;
    const b = sweep[i + 1]!;
    const lo = Math.min(a.success, b.success);
    const hi = Math.max(a.success, b.success);
    if (success < lo || success > hi) continue;
    if (a.success === b.success) return a.offTarget;
    const w = (success - a.success) / (b.success - a.success);
    return a.offTarget + w * (b.offTarget - a.offTarget);
  }
  return null;
}
