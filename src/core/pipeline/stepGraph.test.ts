// The sampler step graph run for real (public/graphs/step.onnx on onnxruntime-web's WASM backend), fed by name.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STEP_GRAPH, type StepCoefficients } from '../../shared/modelContract';
import { OrtRuntime, type ModelSession } from '../ort/runtime';
import type { SamplerStep } from '../schedulers/types';
import { stepCoefficients, stepGraphFeeds, stepGraphOutputs } from './stepGraph';
import { publicDir } from './testModel.test-support';

const SIZE = 4 * 2 * 2;
const DIMS = [1, 4, 2, 2];
const ZERO: StepCoefficients = { latent: 0, eps: 0, freshNoise: 0, nextModelInputScale: 0, x0Latent: 0, x0Eps: 0, previousX0: 0 };
// Distinct values per input, so a coefficient applied to the wrong tensor shows.
const LATENTS = 2;
const PRED = [3, 5]; // two batch rows
const GUIDANCE = [0.25, 0.75]; // guided eps = 0.25 * 3 + 0.75 * 5 = 4.5
const FRESH_NOISE = 7;
const PREVIOUS_X0 = 11;
const EPS = 4.5;

describe('step graph feeds', () => {
  let runtime: OrtRuntime;
  let graph: ModelSession;
  beforeAll(async () => {
    runtime = OrtRuntime.configure({ ep: 'wasm', numThreads: 1 });
    graph = await runtime.createSession('sampler step', new Uint8Array(await readFile(`${publicDir}graphs/step.onnx`)), {
      stage: 'denoise',
      outputsOnGpu: false,
    });
  });
  afterAll(() => graph.release());

  it('feeds exactly the inputs the graph declares and reads the outputs it has', () => {
    expect([...graph.inputNames].sort()).toEqual(Object.values(STEP_GRAPH.inputs).sort());
    expect([...graph.outputNames].sort()).toEqual(Object.values(STEP_GRAPH.outputs).sort());
  });

  async function runWith(coefficients: StepCoefficients) {
    const filled = (v: number) => runtime.tensor('float32', new Float32Array(SIZE).fill(v), DIMS);
    const pred = new Float32Array(2 * SIZE);
    pred.fill(PRED[0], 0, SIZE);
    pred.fill(PRED[1], SIZE);
    const out = stepGraphOutputs(
      await graph.run(
        stepGraphFeeds(
          runtime,
          {
            noisePrediction: runtime.tensor('float32', pred, [2, ...DIMS.slice(1)]),
            latents: filled(LATENTS),
            freshNoise: filled(FRESH_NOISE),
            previousX0: filled(PREVIOUS_X0),
            guidanceWeights: runtime.tensor('float32', Float32Array.from(GUIDANCE), [2]),
          },
          coefficients,
        ),
      ),
    );
    const first = async (t: typeof out.nextLatents) => (await runtime.readFloat32(t))[0];
    return {
      next: await first(out.nextLatents),
      modelInput: await first(out.nextModelInput),
      x0: await first(out.predictedX0),
      modelInputDims: out.nextModelInput.dims,
    };
  }

  // Each coefficient alone: which output it moves, and by which input.
  it.each([
    ['latent', { next: LATENTS }],
    ['eps', { next: EPS }],
    ['freshNoise', { next: FRESH_NOISE }],
    ['previousX0', { next: PREVIOUS_X0 }],
    ['x0Latent', { x0: LATENTS }],
    ['x0Eps', { x0: EPS }],
  ] as const)('%s reaches the graph in its place', async (name, expected) => {
    const r = await runWith({ ...ZERO, [name]: 1 });
    expect({ next: r.next, x0: r.x0 }).toEqual({ next: 0, x0: 0, ...expected });
  });

  it('nextModelInputScale scales the next latents into the next model input, broadcast to the batch', async () => {
    const r = await runWith({ ...ZERO, latent: 1, nextModelInputScale: 0.5 });
    expect(r.modelInput).toBe(LATENTS * 0.5);
    expect(r.modelInputDims).toEqual([2, ...DIMS.slice(1)]);
  });

  it('takes a plan step and its successor by field, the last step scaling the model input by 1', () => {
    const step = {
      latentCoef: 1,
      epsCoef: 2,
      noiseCoef: 3,
      x0LatentCoef: 4,
      x0EpsCoef: 5,
      prevX0Coef: 6,
      modelInputScale: 9,
    } as SamplerStep;
    const next = { modelInputScale: 0.7 } as SamplerStep;
    expect(stepCoefficients(step, next)).toEqual({
      latent: 1,
      eps: 2,
      freshNoise: 3,
      nextModelInputScale: 0.7,
      x0Latent: 4,
      x0Eps: 5,
      previousX0: 6,
    });
    expect(stepCoefficients(step, undefined).nextModelInputScale).toBe(1);
  });
});
