// Export fidelity of the tiny SmolVLM: onnxruntime-web (WASM) against the PyTorch outputs the model script saved.
import { readFile } from 'node:fs/promises';
import * as ort from 'onnxruntime-web';
import { describe, expect, it } from 'vitest';

const dir = 'public/models/tiny-smolvlm/onnx/';

interface Reference {
  pixel_values_shape: number[];
  pixel_values: number[];
  image_features_shape: number[];
  image_features_head: number[];
  image_features_sum: number;
  input_ids: number[];
  inputs_embeds_sum: number;
  past_shape: number[];
  past: number[][];
  logits_shape: number[];
  last_logits_head: number[];
  logits_sum: number;
  present_shape: number[];
  present_0_key_sum: number;
}

const session = async (name: string) =>
  ort.InferenceSession.create(new Uint8Array(await readFile(dir + name)), { executionProviders: ['wasm'] });
const sum = (t: ort.Tensor) => (t.data as Float32Array).reduce((a, b) => a + b, 0);

// biome-ignore lint/correctness/usePlaywrightValidDescribeCallback: a Vitest suite (async collection is supported), not Playwright's
describe('tiny SmolVLM export (onnxruntime-web vs PyTorch)', async () => {
  ort.env.wasm.numThreads = 1;
  const ref = JSON.parse(await readFile('models/checker/reference.json', 'utf8')) as Reference;

  it('vision_encoder: 5-D pixel_values and a bool mask in, image features at the text width out', async () => {
    const s = await session('vision_encoder.onnx');
    expect(s.inputNames).toEqual(['pixel_values', 'pixel_attention_mask']);
    const [b, n, , h, w] = ref.pixel_values_shape;
    const out = await s.run({
      pixel_values: new ort.Tensor('float32', Float32Array.from(ref.pixel_values), ref.pixel_values_shape),
      pixel_attention_mask: new ort.Tensor('bool', new Uint8Array(b * n * h * w).fill(1), [b, n, h, w]),
    });
    const features = out.image_features;
    expect(features.dims).toEqual(ref.image_features_shape);
    Array.from((features.data as Float32Array).subarray(0, 32)).forEach((v, i) => expect(v).toBeCloseTo(ref.image_features_head[i], 4));
    expect(sum(features)).toBeCloseTo(ref.image_features_sum, 2);
  });

  it('decoder_model_merged: past_key_values.{i}.key/value in, logits and present.{i}.* out', async () => {
    const embed = await session('embed_tokens.onnx');
    const ids = new ort.Tensor('int64', BigInt64Array.from(ref.input_ids.map(BigInt)), [1, ref.input_ids.length]);
    const { inputs_embeds } = await embed.run({ input_ids: ids });
    expect(sum(inputs_embeds)).toBeCloseTo(ref.inputs_embeds_sum, 3);

    const decoder = await session('decoder_model_merged.onnx');
    const seq = ref.input_ids.length;
    const pastLen = ref.past_shape[2];
    const feeds: Record<string, ort.Tensor> = {
      inputs_embeds,
      attention_mask: new ort.Tensor('int64', new BigInt64Array(pastLen + seq).fill(1n), [1, pastLen + seq]),
      position_ids: new ort.Tensor(
        'int64',
        BigInt64Array.from({ length: seq }, (_, i) => BigInt(pastLen + i)),
        [1, seq],
      ),
    };
    ref.past.forEach((values, i) => {
      feeds[`past_key_values.${i >> 1}.${i % 2 ? 'value' : 'key'}`] = new ort.Tensor('float32', Float32Array.from(values), ref.past_shape);
    });
    expect(decoder.inputNames).toEqual(Object.keys(feeds));
    const out = await decoder.run(feeds);
    expect(out.logits.dims).toEqual(ref.logits_shape);
    const vocab = ref.logits_shape[2];
    const last = (out.logits.data as Float32Array).subarray((seq - 1) * vocab, (seq - 1) * vocab + 32);
    Array.from(last).forEach((v, i) => expect(v).toBeCloseTo(ref.last_logits_head[i], 3));
    expect(out['present.0.key'].dims).toEqual(ref.present_shape);
    expect(sum(out['present.0.key'])).toBeCloseTo(ref.present_0_key_sum, 2);
  });
});
