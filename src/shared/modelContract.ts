// The ONNX names the studio relies on (SD components' I/O, the sampler graphs' feeds), from modelContract.json,
// the file the Python exporters in models/ read too: a name changes in one place for both languages.
import contract from './modelContract.json';

/** Stable Diffusion's components' input and output names, as the public exports and the tiny model use them. */
export const SD_IO = contract.sd;

/** The studio's sampler step graph (public/graphs/step.onnx): guidance and one scheduler update, on the GPU. */
export const STEP_GRAPH = contract.stepGraph;

/** The latent scale graph (public/graphs/scale.onnx): y = x * factor. */
export const SCALE_GRAPH = contract.scaleGraph;

/**
 * The step graph's 7 scalars, by name (their order in its `coefs` input is the contract's):
 *   next        = latent * latents + eps * guided_eps + freshNoise * fresh_noise + previousX0 * prev_x0
 *   model_input = nextModelInputScale * next, broadcast to the denoiser's batch
 *   x0          = x0Latent * latents + x0Eps * guided_eps
 */
export interface StepCoefficients {
  latent: number;
  eps: number;
  freshNoise: number;
  nextModelInputScale: number;
  x0Latent: number;
  x0Eps: number;
  previousX0: number;
}

/** The step graph's `coefs` input: the named coefficients in the contract's order. */
export function stepCoefficientArray(coefficients: StepCoefficients): Float32Array {
  const byName: Record<string, number> = { ...coefficients };
  return Float32Array.from(STEP_GRAPH.coefficients, (name) => {
    const value = byName[name];
    if (value === undefined) throw new Error(`modelContract.json names a step coefficient "${name}" that StepCoefficients lacks.`);
    return value;
  });
}
