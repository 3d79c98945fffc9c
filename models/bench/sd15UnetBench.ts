// An SD-1.5-sized UNet with random weights, for measuring install-time patching at full size (npm run bench:patch).
//
// diffusers' UNet2DConditionModel as SD 1.5 configures it: conv_in; four down blocks at 320/640/1280/1280 channels,
// each two ResNet blocks (the first three each followed by a transformer block) and a stride-2 conv but the last; a
// mid block (ResNet, transformer, ResNet) at 1280; four up blocks, each three ResNet blocks on the down path's skips
// (concatenated), the last three each with a transformer, and a 2x upsample but the last; GroupNorm, SiLU, conv_out.
// 16 transformer blocks, about 860M parameters: 1.7 GB in fp16. The ops are those of sdAttentionBench (the
// builder's torch-export patterns), so the patcher finds the 32 attentions as it does in a real export.
import { SD_IO } from '../../src/shared/modelContract';
import { TensorDataType, type ModelProto } from '../../src/core/onnx/onnxProto';
import { GraphBuilder, LATENT_CHANNELS, TEXT_DIM, TEXT_TOKENS, tensorInfo } from './graphBuilder';

/** SD 1.5's block widths; tests build narrower copies (each a multiple of 32, for GroupNorm and 8 heads). */
export const SD15_CHANNELS = [320, 640, 1280, 1280] as const;
const RESNETS_PER_DOWN_BLOCK = 2;
/** The time embedding is 4x the first block's width (1280), as in diffusers. */
const TIME_EMBED_FACTOR = 4;

export interface Sd15UnetOptions {
  channels?: readonly [number, number, number, number];
  /** FLOAT16 weights and I/O, as the fp16 exports the studio installs. */
  float16?: boolean;
}

/**
 * The UNet as a ModelProto whose initializers' raw_data are the builder's arrays (write it with writeModelFile, which
 * does not copy them). Deterministic. The latent input is [batch, 4, height, width], height and width multiples of 8.
 */
export function makeSd15Unet(options: Sd15UnetOptions = {}): ModelProto {
  const channels = options.channels ?? SD15_CHANNELS;
  const g = new GraphBuilder(options.float16 ?? false);
  const { sample, timestep, textEmbeddings: text, noisePrediction } = SD_IO.unet;
  const timeDim = channels[0] * TIME_EMBED_FACTOR;
  const projected = g.timestepProjection(timestep, sample, channels[0]);
  const temb = {
    tensor: g.linear(
      g.silu(g.linear(projected, 'time_embedding.linear_1', channels[0], timeDim)),
      'time_embedding.linear_2',
      timeDim,
      timeDim,
    ),
    dim: timeDim,
  };
  const last = channels.length - 1;

  let x = g.conv(sample, 'conv_in', LATENT_CHANNELS, channels[0], 3);
  let width = channels[0];
  const skips: { tensor: string; channels: number }[] = [{ tensor: x, channels: width }];
  channels.forEach((out, level) => {
    for (let i = 0; i < RESNETS_PER_DOWN_BLOCK; i++) {
      const name = `down_blocks.${level}.${i}`;
      x = g.resnet(x, `${name}.resnet`, width, out, temb);
      width = out;
      if (level < last) x = g.transformerBlock(x, `${name}.attention`, out, text);
      skips.push({ tensor: x, channels: out });
    }
    if (level < last) {
      x = g.conv(x, `down_blocks.${level}.downsample`, out, out, 3, 2);
      skips.push({ tensor: x, channels: out });
    }
  });

  x = g.resnet(x, 'mid_block.resnet0', width, width, temb);
  x = g.transformerBlock(x, 'mid_block.attention', width, text);
  x = g.resnet(x, 'mid_block.resnet1', width, width, temb);

  [...channels].reverse().forEach((out, block) => {
    for (let i = 0; i <= RESNETS_PER_DOWN_BLOCK; i++) {
      const name = `up_blocks.${block}.${i}`;
      const skip = skips.pop()!;
      x = g.resnet(g.op('Concat', [x, skip.tensor], { axis: 1 }), `${name}.resnet`, width + skip.channels, out, temb);
      width = out;
      if (block > 0) x = g.transformerBlock(x, `${name}.attention`, out, text);
    }
    if (block < last) x = g.conv(g.upsampleNearest2x(x, `up_blocks.${block}.up_scales`), `up_blocks.${block}.upsample`, out, out, 3);
  });

  g.conv(g.silu(g.groupNorm(x, 'conv_norm_out', width)), 'conv_out', width, LATENT_CHANNELS, 3);
  const io = (name: string, dims: (number | string)[]) => tensorInfo(name, dims, g.floatType);
  return g.model(
    { graph: 'sd15_unet_bench', producer: 'studio-sd15-unet-bench' },
    [io(sample, ['batch', LATENT_CHANNELS, 'height', 'width']), io(timestep, ['batch']), io(text, ['batch', TEXT_TOKENS, TEXT_DIM])],
    io(noisePrediction, ['batch', LATENT_CHANNELS, 'height', 'width']),
  );
}

/** Float weight elements of a model built here (its weights are all raw_data). */
export function floatParameterCount(model: ModelProto): number {
  const bytesPerElement = new Map<number, number>([
    [TensorDataType.FLOAT, 4],
    [TensorDataType.FLOAT16, 2],
  ]);
  return model.graph.initializer.reduce((n, t) => n + (t.raw_data?.byteLength ?? 0) / (bytesPerElement.get(t.data_type) ?? Infinity), 0);
}
