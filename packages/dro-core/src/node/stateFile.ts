import { readFileSync } from 'node:fs';
import { DroError } from '../errors.js';
import { writeFileAtomic } from './writeFileAtomic.js';

/** Anything with the stateful contract's `getState()`. */
export interface Stateful {
  getState(): unknown;
}

/**
 * Saves `obj.getState()` as JSON at `path`, atomically (a temporary file in the same directory, then a
 * rename): a crash never leaves a half-written checkpoint. Serves every stateful class of every package.
 *
 * @throws DroError `E_SPEC` when `obj` has no `getState`, `E_IO` when the file cannot be written.
 */
export function saveState(path: string, obj: Stateful): void {
  if (typeof path !== 'string' || path.length === 0) {
    throw new DroError('E_SPEC', 'saveState: path must be a non-empty string', { argument: 'path' });
  }
  if (obj === null || typeof obj !== 'object' || typeof (obj as Stateful).getState !== 'function') {
    throw new DroError('E_SPEC', 'saveState: obj must have a getState() method', { argument: 'obj' });
  }
  writeFileAtomic(path, `${JSON.stringify(obj.getState())}\n`);
}

/**
 * Loads a state written by {@link saveState} and rebuilds the object with `fromState` (e.g.
 * `loadState('ckpt.json', GroupDroWeights.fromState)`).
 *
 * @throws DroError `E_IO` when the file cannot be read, `E_STATE_VERSION` when it is not JSON; whatever
 * `fromState` throws for a foreign or invalid state (`E_STATE_VERSION`).
 */
export function loadState<T>(path: string, fromState: (state: never) => T): T {
  if (typeof fromState !== 'function') {
    throw new DroError('E_SPEC', 'loadState: fromState must be a function', { argument: 'fromState' });
  }
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new DroError('E_IO', `loadState: could not read ${String(path)}`, { argument: 'path', cause: e });
  }
  let state: unknown;
  try {
    state = JSON.parse(text);
  } catch (e) {
    throw new DroError('E_STATE_VERSION', `loadState: ${path} is not a JSON state`, { argument: 'path', cause: e });
  }
  return fromState(state as never);
}
