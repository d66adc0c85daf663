export * from './plot.js';
export * from './progress.js';
export * from './verdict.js';
