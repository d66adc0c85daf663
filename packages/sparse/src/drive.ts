import { checkAborted } from '@drojs/dro-core/host';
import type { Progress } from './types.js';

/** A long computation as a generator yielding (done, total) between units of work. @internal */
export type Steps<T> = Generator<[number, number], T, void>;

/** Runs the steps to completion without yielding to the event loop. @internal */
export function runSync<T>(steps: Steps<T>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/**
 * Runs the steps, yielding to the event loop between units, reporting progress and rejecting with
 * `DroError('E_ABORTED')` once the signal is aborted. @internal
 */
export async function runAsync<T>(steps: Steps<T>, progress: Progress, what: string): Promise<T> {
  checkAborted(progress.signal, what);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    progress.onProgress?.(r.value[0], r.value[1]);
    await new Promise<void>((resolve) => setImmediate(resolve));
    checkAborted(progress.signal, what);
  }
}
