/**
 * @drojs/rl-curriculum — GDRO, DUMP and DRPO controllers for RL post-training of language models, callable from Python trainers.
 * @packageDocumentation
 */
export { exampleLoss } from './example-loss.js';
