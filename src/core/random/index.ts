// Public entry point of the seeded random-number module.

export { createRng, randomSeed } from './rng';
export type { Rng, RngState } from './rng';
