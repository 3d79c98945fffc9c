// Which loads are warmed up, and with settings a generation accepts.
import { describe, expect, it } from 'vitest';
import tinyManifest from '../../../public/models/tiny-sd/manifest.json';
import type { ModelManifest } from '../../shared/manifest';
import { validateSettings } from '../../shared/settings';
import { shouldWarmUp, warmUpSettings } from './warmUp';

const builtIn = tinyManifest as unknown as ModelManifest;
const sd15 = {
  ...builtIn,
  resolution: { width: 512, height: 512 },
  defaults: { sampler: 'ddim', steps: 30, guidance: 0 },
} as ModelManifest;

describe('warm-up', () => {
  it('runs on WebGPU for any model and on WASM only for small ones', () => {
    expect(shouldWarmUp('wasm', builtIn)).toBe(true);
    expect(shouldWarmUp('wasm', sd15)).toBe(false);
    expect(shouldWarmUp('webgpu', sd15)).toBe(true);
  });

  it("uses one step with the model's own sampler and guidance, settings a generation accepts", () => {
    const settings = warmUpSettings(sd15);
    expect(settings).toMatchObject({ steps: 1, sampler: 'ddim', guidance: 0, maskDiffusion: { enabled: false } });
    expect(() => validateSettings(settings)).not.toThrow();
    expect(warmUpSettings(builtIn).prompt).toBe(builtIn.examplePrompts?.[0]);
  });
});
