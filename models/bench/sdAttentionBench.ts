// Builds the SD-shaped attention bench graph (random weights) in TypeScript, so the bench needs no Python.
//
// Three transformer blocks (GroupNorm, proj_in, self-attention, cross-attention on 77 tokens of width 768,
// GEGLU feed-forward, proj_out) with 8 heads: 320 channels (head 40) and 640 channels (head 80) at 32x32 latents,
// and 1280 channels (head 160) at 16x16 after a stride-2 conv, then a nearest 2x upsample back to the 4-channel
// output. Node for node it is what torch.onnx (opset 17) exported from the former
// make_sd_attention_bench.py: GroupNorm as Reshape -> InstanceNormalization -> Reshape -> Mul -> Add, attention
// as MatMul -> Mul(scale) -> Softmax -> MatMul on [B, heads, N, d], GEGLU as two Slices and an Erf GELU. The
// graph has the UNet's I/O names (sample, timestep, encoder_hidden_states -> out_sample), so the attention
// patcher and the bench treat it as a denoiser. About 231 MB of fp32 weights.
import { SD_IO } from '../../src/shared/modelContract';
import { encodeModel, TensorDataType } from '../../src/core/onnx/onnxProto';
import { GraphBuilder, LATENT_CHANNELS, TEXT_DIM, TEXT_TOKENS, tensorInfo } from './graphBuilder';

const LATENT_SIZE = 32;
const floatInput = (name: string, dims: (number | string)[]) => tensorInfo(name, dims, TensorDataType.FLOAT);

/** SD 1.x's channel widths at its three resolutions; tests build narrower copies of the same structure. */
export const SD_CHANNELS = [320, 640, 1280] as const;

/**
 * The bench graph as ONNX bytes, on an ArrayBuffer of its own. Deterministic: the same bytes every call.
 * `channels` (each a multiple of 32, for GroupNorm and 8 heads) defaults to SD's widths.
 */
export function makeSdAttentionBench(channels: readonly [number, number, number] = SD_CHANNELS): Uint8Array<ArrayBuffer> {
  const [c0, c1, c2] = channels;
  const g = new GraphBuilder();
  const { sample, timestep, textEmbeddings: text, noisePrediction } = SD_IO.unet;
  const temb = g.timestepProjection(timestep, sample, c0);
  const tBias = g.op('Unsqueeze', [temb, g.int64('temb_axes', [2, 3])]);
  let x = g.op('Add', [g.conv(sample, 'conv_in', LATENT_CHANNELS, c0, 3), tBias]);
  x = g.conv(g.transformerBlock(x, 'block0', c0, text), 'widen', c0, c1, 1);
  x = g.conv(g.transformerBlock(x, 'block1', c1, text), 'down', c1, c2, 3, 2);
  x = g.transformerBlock(x, 'block2', c2, text);
  x = g.conv(g.upsampleNearest2x(x, 'up_scales'), 'up', c2, c0, 3);
  g.conv(x, 'conv_out', c0, LATENT_CHANNELS, 3);
  const model = g.model(
    { graph: 'sd_attention_bench', producer: 'studio-sd-attention-bench' },
    [
      floatInput(sample, ['batch', LATENT_CHANNELS, LATENT_SIZE, LATENT_SIZE]),
      floatInput(timestep, ['batch']),
      floatInput(text, ['batch', TEXT_TOKENS, TEXT_DIM]),
    ],
    floatInput(noisePrediction, ['batch', LATENT_CHANNELS, LATENT_SIZE, LATENT_SIZE]),
  );
  return encodeModel(model).slice();
}
