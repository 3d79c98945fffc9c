// Builds denoiser/text-encoder input tensors in the element type and shape each export declares.
import { StudioError } from '../../shared/errors';
import { SD_IO } from '../../shared/modelContract';
import { float32ToFloat16Bits } from '../ort/float16';
import type { ModelSession, OrtRuntime, Tensor } from '../ort/runtime';

/**
 * `timestep` is int64 [B] in optimum exports (a symbolic dim, `steps` in SD-Turbo's), float16 [1] in the
 * SD-Turbo WebNN export and float [1] or [B] in others: follow the model. A float16 timestep holds every
 * integer to 2048 exactly; Euler's fractional timesteps round to the nearest half (at most 0.25 off above 512).
 */
export function timestepTensor(runtime: OrtRuntime, unet: ModelSession, timestep: number, batch: number): Tensor {
  const info = unet.input(SD_IO.unet.timestep);
  const length = info.shape.length === 0 ? 1 : info.shape[0] === 1 ? 1 : batch;
  const dims = info.shape.length === 0 ? [] : [length];
  switch (info.type) {
    case 'float32':
      return runtime.tensor('float32', new Float32Array(length).fill(timestep), dims);
    case 'float16':
      return runtime.tensor('float16', float32ToFloat16Bits(new Float32Array(length).fill(timestep)), dims);
    case 'int64':
      return runtime.tensor('int64', new BigInt64Array(length).fill(BigInt(Math.round(timestep))), dims);
    default:
      throw unsupported(`a ${info.type} timestep`);
  }
}

export function inputIdsTensor(runtime: OrtRuntime, textEncoder: ModelSession, ids: Int32Array, batch: number, maxLength: number): Tensor {
  const info = textEncoder.input(SD_IO.textEncoder.inputIds);
  if (info.type === 'int32') return runtime.tensor('int32', ids, [batch, maxLength]);
  if (info.type === 'int64')
    return runtime.tensor(
      'int64',
      BigInt64Array.from(ids, (v) => BigInt(v)),
      [batch, maxLength],
    );
  throw unsupported(`${info.type} input_ids`);
}

function unsupported(what: string): StudioError {
  return new StudioError({
    code: 'model-load',
    stage: 'load',
    message: `This model's denoiser takes ${what}, which the studio does not support yet.`,
    remedy: 'Choose another variant of the model.',
  });
}
