/**
 * @drojs/dro-core — distributionally robust optimisation primitives for TensorFlow.js.
 * Importing this module registers the cpu and wasm backends and every tfjs gradient (through
 * `@tensorflow/tfjs-layers`), a documented side effect.
 * @packageDocumentation
 */
export * from './errors.js';
export * from './types.js';
export * from './state.js';
export * from './spec.js';
export * from './rng.js';
export * from './backend.js';
export { applyWasmFixes } from './wasm-fixes.js';
