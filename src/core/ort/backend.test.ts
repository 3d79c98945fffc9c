// Backend and variant choice: WebGPU only with an adapter, fp16 on WebGPU only with shader-f16, on WASM what fits.
import { describe, expect, it } from 'vitest';
import type { ModelManifest } from '../../shared/manifest';
import { chooseBackend, chooseVariant, probeAdapter, usableVariants, type AdapterSummary } from './backend';

const files = { textEncoder: 't', unet: 'u', vaeDecoder: 'v' };
const manifest = {
  name: 'Test model',
  variants: [
    { id: 'fp32', dtype: 'fp32', requires: [], files },
    { id: 'fp16', dtype: 'fp16', requires: ['shader-f16'], files },
    { id: 'int8', dtype: 'int8', requires: [], files },
  ],
  files: [
    { path: 't', size: 1000 },
    { path: 'u', size: 5000 },
    { path: 'v', size: 1000 },
  ],
} as unknown as ModelManifest;
/** The same variants with a 1.7 GB UNet, like SD-Turbo's. */
const bigManifest = {
  ...manifest,
  files: [
    { path: 't', size: 1000 },
    { path: 'u', size: 1.73e9 },
    { path: 'v', size: 1000 },
  ],
} as ModelManifest;

const swiftshader: AdapterSummary = {
  available: true,
  features: ['float32-filterable'],
  vendor: 'google',
  architecture: 'swiftshader',
  isFallback: true,
};
const realGpu: AdapterSummary = { available: true, features: ['shader-f16', 'timestamp-query'], vendor: 'nvidia', architecture: 'ampere' };
const none: AdapterSummary = { available: false, features: [], unavailableReason: 'the browser found no WebGPU adapter' };

describe('chooseBackend', () => {
  it('uses WebGPU when an adapter exists and says whether fp16 is possible', () => {
    const c = chooseBackend(realGpu);
    expect(c.ep).toBe('webgpu');
    expect(c.shaderF16).toBe(true);
    expect(c.reason).toContain('with shader-f16');
    const s = chooseBackend(swiftshader);
    expect(s.ep).toBe('webgpu');
    expect(s.shaderF16).toBe(false);
    expect(s.reason).toMatch(/without shader-f16.*software \(fallback\) adapter/);
  });

  it('falls back to WASM with the reason when there is no adapter, and honours a forced choice', () => {
    expect(chooseBackend(none)).toMatchObject({ ep: 'wasm', reason: 'WASM (CPU) because the browser found no WebGPU adapter.' });
    expect(chooseBackend(realGpu, 'wasm')).toMatchObject({ ep: 'wasm', reason: 'WASM (CPU) because you chose it in settings.' });
  });
});

describe('variant choice', () => {
  it('never offers fp16 on a WebGPU adapter without shader-f16 (it would silently output zeros)', () => {
    expect(usableVariants(manifest, chooseBackend(swiftshader)).map((v) => v.id)).toEqual(['fp32', 'int8']);
    expect(() => chooseVariant(manifest, chooseBackend(swiftshader), 'fp16')).not.toThrow();
    expect(chooseVariant(manifest, chooseBackend(swiftshader), 'fp16').id).toBe('fp32');
  });

  it('on WASM offers fp16 last (the CPU runs fp16 graphs), unless a graph is too large for the wasm heap', () => {
    expect(usableVariants(manifest, chooseBackend(none)).map((v) => v.id)).toEqual(['fp32', 'int8', 'fp16']);
    expect(usableVariants(bigManifest, chooseBackend(none)).map((v) => v.id)).toEqual([]);
  });

  it('prefers fp16 on a GPU that has shader-f16, and honours an explicit usable request', () => {
    expect(chooseVariant(manifest, chooseBackend(realGpu)).id).toBe('fp16');
    expect(chooseVariant(manifest, chooseBackend(realGpu), 'int8').id).toBe('int8');
    expect(chooseVariant(bigManifest, chooseBackend(realGpu)).id).toBe('fp16');
  });

  it('explains when no variant can run', () => {
    const fp16Only = { ...bigManifest, variants: [manifest.variants[1]] } as ModelManifest;
    expect(() => chooseVariant(fp16Only, chooseBackend(none))).toThrow(/fp16 needs shader-f16/);
  });
});

describe('probeAdapter', () => {
  it('reports a missing navigator.gpu and a null adapter as unavailable, with the reason', async () => {
    expect(await probeAdapter(undefined)).toMatchObject({ available: false, unavailableReason: expect.stringContaining('navigator.gpu') });
    const noAdapter = { requestAdapter: async () => null } as unknown as GPU;
    expect(await probeAdapter(noAdapter)).toMatchObject({ available: false, unavailableReason: 'the browser found no WebGPU adapter' });
  });
});
