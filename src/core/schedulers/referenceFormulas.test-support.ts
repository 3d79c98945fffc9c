// Independent float64 re-statements of the diffusers/paper formulas, used only by the scheduler tests as ground truth.

/** numpy.linspace(start, stop, num, endpoint) as documented: point j = start + j * step. */
export function referenceLinspace(start: number, stop: number, num: number, endpoint = true): number[] {
  const divisions = endpoint ? num - 1 : num;
  const points: number[] = [];
  for (let j = 0; j < num; j++) {
    points.push(endpoint && j === num - 1 ? stop : start + j * ((stop - start) / divisions));
  }
  return points;
}

/** Stable Diffusion's scaled_linear alpha-bars: beta_t = linspace(sqrt(0.00085), sqrt(0.012), 1000)[t]^2. */
export function referenceAlphasCumprod(): number[] {
  const roots = referenceLinspace(Math.sqrt(0.00085), Math.sqrt(0.012), 1000);
  const alphaBars: number[] = [];
  let running = 1;
  for (const root of roots) {
    running = running * (1 - root * root);
    alphaBars.push(running);
  }
  return alphaBars;
}

export function referenceSigma(alphaBar: number): number {
  return Math.sqrt((1 - alphaBar) / alphaBar);
}

/** numpy.interp(x, xp, fp) for increasing xp, clamping outside the range. */
export function referenceInterp(x: number, xp: number[], fp: number[]): number {
  if (x <= xp[0]) return fp[0];
  if (x >= xp[xp.length - 1]) return fp[fp.length - 1];
  let k = 0;
  while (xp[k + 1] < x) k++;
  const weight = (x - xp[k]) / (xp[k + 1] - xp[k]);
  return fp[k] * (1 - weight) + fp[k + 1] * weight;
}

/** A smooth, deterministic stand-in for the denoiser: eps depends on both its input and the timestep. */
export function toyEpsilon(modelInput: number, timestep: number): number {
  return 0.37 * modelInput + 0.21 * Math.sin(timestep / 97) - 0.05;
}

/** Tiny deterministic pseudo-random numbers for toy problems (Park–Miller LCG scaled to [-1, 1)). */
export function toyNumbers(count: number, seed: number): number[] {
  const values: number[] = [];
  let state = seed;
  for (let i = 0; i < count; i++) {
    state = (state * 48271) % 2147483647;
    values.push((state / 2147483647) * 2 - 1);
  }
  return values;
}

/**
 * diffusers EulerDiscreteScheduler.set_timesteps ('linspace' spacing, linear sigma interpolation,
 * trailing sigma 0), the schedule every sigma-space sampler here shares.
 */
export function referenceEulerSchedule(numSteps: number): { timesteps: number[]; sigmas: number[] } {
  const trainIndices = Array.from({ length: 1000 }, (_, t) => t);
  const trainSigmas = referenceAlphasCumprod().map(referenceSigma);
  const timesteps = referenceLinspace(0, 999, numSteps).reverse();
  const sigmas = timesteps.map((t) => referenceInterp(t, trainIndices, trainSigmas));
  return { timesteps, sigmas: [...sigmas, 0] };
}
