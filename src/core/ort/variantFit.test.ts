// The sentence a user reads when a variant cannot run here, decided before any download.
import { describe, expect, it } from 'vitest';
import type { ModelVariant } from '../../shared/manifest';
import { variantRefusal, variantRefusalFor, WASM_MAX_GRAPH_BYTES } from './variantFit';

const files = { textEncoder: 'te', unet: 'unet', vaeDecoder: 'vae' };
const fp16: ModelVariant = {
  id: 'fp16',
  dtype: 'fp16',
  requires: ['shader-f16'],
  files,
  limits: { maxBufferSize: 536870912, maxStorageBufferBindingSize: 536870912 },
};
const small = () => 100_000;
const big = (path: string) => (path === 'unet' ? 1.64e9 : 2.35e8);
const f16Gpu = {
  ep: 'webgpu' as const,
  adapterFeatures: ['shader-f16'],
  adapterLimits: { maxBufferSize: 2 ** 31, maxStorageBufferBindingSize: 2 ** 30 },
};

describe('variantRefusal', () => {
  it('WebGPU with shader-f16 and large enough buffers: runs', () => {
    expect(variantRefusal(fp16, f16Gpu, big)).toBeUndefined();
  });

  it('WebGPU without shader-f16: refused, pointing at WASM when the graphs fit it', () => {
    const gpu = { ep: 'webgpu' as const, adapterFeatures: ['timestamp-query'] };
    expect(variantRefusal(fp16, gpu, small)).toBe(
      'needs the GPU feature shader-f16, which this GPU lacks; switch the backend to WASM to run it on the CPU (slowly)',
    );
    expect(variantRefusal(fp16, gpu, big)).toMatch(
      /^needs the GPU feature shader-f16, which this GPU lacks, and at about 1\.5 GB its UNet is too large for the WASM \(CPU\) backend's memory$/,
    );
  });

  it('WebGPU whose buffers are smaller than the manifest limits: refused naming the limit', () => {
    const smallBuffers = { ...f16Gpu, adapterLimits: { maxBufferSize: 268435456, maxStorageBufferBindingSize: 134217728 } };
    expect(variantRefusal(fp16, smallBuffers, big)).toBe('needs GPU buffers of 512 MB (maxBufferSize), and this GPU allows 256 MB');
  });

  it('WASM: fp16 graphs that fit run on the CPU; a graph past the limit is refused with its size', () => {
    const wasm = { ep: 'wasm' as const, adapterFeatures: [] };
    expect(variantRefusal(fp16, wasm, small)).toBeUndefined();
    expect(variantRefusal(fp16, wasm, () => WASM_MAX_GRAPH_BYTES)).toBeUndefined();
    expect(variantRefusal(fp16, wasm, big)).toBe(
      "needs the GPU feature shader-f16, which this browser offers no GPU with; at about 1.5 GB its UNet is too large for the WASM (CPU) backend's memory",
    );
    expect(variantRefusal({ ...fp16, requires: [] }, wasm, big)).toMatch(/^it needs WebGPU: at about 1\.5 GB its UNet/);
  });

  it('unknown sizes do not refuse (they are checked once pinned)', () => {
    expect(variantRefusal(fp16, { ep: 'wasm', adapterFeatures: [] }, () => undefined)).toBeUndefined();
  });

  it('reads sizes from a manifest file list, the approximate size until the exact one is pinned', () => {
    const listed = [
      { path: 'te', approxSize: 708e6 },
      { path: 'unet', toBePinned: true, approxSize: 1.73e9 },
      { path: 'vae', size: 99e6 },
    ];
    expect(variantRefusalFor(listed, fp16, null)).toMatch(/at about 1\.6 GB its UNet is too large/);
    expect(variantRefusalFor(listed, fp16, { ep: 'webgpu', adapterFeatures: ['shader-f16'] })).toBeUndefined();
  });
});
