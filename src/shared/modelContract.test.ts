// The contract's names against the graphs the Python scripts wrote (tiny model, sampler graphs, real-model fixtures).
import { readFile } from 'node:fs/promises';
import * as ort from 'onnxruntime-web';
import { describe, expect, it } from 'vitest';
import { SCALE_GRAPH, SD_IO, STEP_GRAPH, stepCoefficientArray } from './modelContract';

const root = new URL('../../', import.meta.url);
async function io(path: string): Promise<{ inputs: string[]; outputs: string[] }> {
  const session = await ort.InferenceSession.create(new Uint8Array(await readFile(new URL(path, root))));
  const names = { inputs: [...session.inputNames], outputs: [...session.outputNames] };
  await session.release();
  return names;
}

describe('model contract', () => {
  it.each([
    'public/models/tiny-sd/',
    'models/tiny/random/',
    'models/fixtures/families/sd-turbo-ort-web-sdpa/',
    'models/fixtures/families/sd15-webnn/',
  ])('names the I/O of %s', async (dir) => {
    const { textEncoder, unet, vaeDecoder } = SD_IO;
    expect((await io(`${dir}text_encoder/model.onnx`)).inputs).toEqual([textEncoder.inputIds]);
    expect((await io(`${dir}text_encoder/model.onnx`)).outputs[0]).toBe(textEncoder.hiddenStates);
    expect(await io(`${dir}unet/model.onnx`)).toEqual({
      inputs: [unet.sample, unet.timestep, unet.textEmbeddings],
      outputs: [unet.noisePrediction],
    });
    expect(await io(`${dir}vae_decoder/model.onnx`)).toEqual({ inputs: [vaeDecoder.latents], outputs: [vaeDecoder.image] });
  });

  it("names the sampler graphs' I/O", async () => {
    expect(await io('public/graphs/step.onnx')).toEqual({
      inputs: Object.values(STEP_GRAPH.inputs),
      outputs: Object.values(STEP_GRAPH.outputs),
    });
    expect(await io('public/graphs/scale.onnx')).toEqual({
      inputs: Object.values(SCALE_GRAPH.inputs),
      outputs: Object.values(SCALE_GRAPH.outputs),
    });
  });

  it("packs the step coefficients in the contract's order, and every name it lists is one TypeScript fills", () => {
    const packed = stepCoefficientArray({ latent: 1, eps: 2, freshNoise: 3, nextModelInputScale: 4, x0Latent: 5, x0Eps: 6, previousX0: 7 });
    expect(STEP_GRAPH.coefficients).toEqual(['latent', 'eps', 'freshNoise', 'nextModelInputScale', 'x0Latent', 'x0Eps', 'previousX0']);
    expect([...packed]).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });
});
