// Feeds and outputs of the sampler step graph (guidance + one scheduler update on the GPU), by the contract's names.
import { STEP_GRAPH, stepCoefficientArray, type StepCoefficients } from '../../shared/modelContract';
import type { OrtRuntime, Tensor } from '../ort/runtime';
import type { SamplerStep } from '../schedulers/types';

export interface StepGraphInputs {
  /** The denoiser's predictions, one per batch row. */
  noisePrediction: Tensor;
  latents: Tensor;
  /** N(0,1) for samplers that re-noise (zeros otherwise). */
  freshNoise: Tensor;
  /** The previous step's x0 (zeros before the first step). */
  previousX0: Tensor;
  /** Each batch row's weight in the guided prediction (they sum to 1). */
  guidanceWeights: Tensor;
}

/** A plan step's scalars for the graph; `next` is the following step (its input scale), absent after the last. */
export function stepCoefficients(step: SamplerStep, next: SamplerStep | undefined): StepCoefficients {
  return {
    latent: step.latentCoef,
    eps: step.epsCoef,
    freshNoise: step.noiseCoef,
    nextModelInputScale: next?.modelInputScale ?? 1,
    x0Latent: step.x0LatentCoef,
    x0Eps: step.x0EpsCoef,
    previousX0: step.prevX0Coef,
  };
}

/** The step graph's feeds by name, the coefficients packed in the contract's order. */
export function stepGraphFeeds(runtime: OrtRuntime, inputs: StepGraphInputs, coefficients: StepCoefficients): Record<string, Tensor> {
  const names = STEP_GRAPH.inputs;
  return {
    [names.noisePrediction]: inputs.noisePrediction,
    [names.latents]: inputs.latents,
    [names.freshNoise]: inputs.freshNoise,
    [names.previousX0]: inputs.previousX0,
    [names.guidanceWeights]: inputs.guidanceWeights,
    [names.coefficients]: runtime.tensor('float32', stepCoefficientArray(coefficients), [STEP_GRAPH.coefficients.length]),
  };
}

/** The step graph's outputs by meaning. */
export function stepGraphOutputs(out: Record<string, Tensor>): { nextLatents: Tensor; nextModelInput: Tensor; predictedX0: Tensor } {
  const names = STEP_GRAPH.outputs;
  return { nextLatents: out[names.nextLatents], nextModelInput: out[names.nextModelInput], predictedX0: out[names.predictedX0] };
}
