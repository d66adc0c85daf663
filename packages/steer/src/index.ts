/**
 * @drojs/steer — LinEAS activation steering for TensorFlow.js: per-neuron affine maps at chosen layers of a
 * frozen network, fitted end to end across layers with a sorted-W₂ loss and a sparse-group penalty.
 * @packageDocumentation
 */
export { activations, runWithMaps } from './activations.js';
export { affineOtMaps, meanShiftMaps } from './baselines.js';
export { type FitSteerOptions, type FitSteerResult, fitSteer } from './fit.js';
export { type HookedFunction, type LayerRef, resolveLayers, type SteerTarget } from './intercept.js';
export { type LineasLoss, type LineasLossOptions, lineasLoss } from './loss.js';
export { SteerMaps, type SteerMapsOptions, type SteerMapsState, type TouchedCount } from './maps.js';
export { type SteeringReport, steeringReport } from './metrics.js';
export { proxSparseGroup } from './prox.js';
