// A shipped scheduler_config.json's timestep_spacing wins over the manifest's value; a bad one is refused by name.
import { describe, expect, it } from 'vitest';
import type { ModelManifest } from '../../shared/manifest';
import type { ModelFileReader } from './modelFiles';
import { resolveTimestepSpacing } from './schedulerConfig';

const files = (json: object): ModelFileReader => ({ origin: 'memory', read: async () => new TextEncoder().encode(JSON.stringify(json)) });
const manifest = (scheduler: ModelManifest['scheduler']) => ({ scheduler }) as ModelManifest;

describe('resolveTimestepSpacing', () => {
  it('no facts: undefined, so each sampler keeps its own default', async () => {
    expect(await resolveTimestepSpacing(manifest(undefined), files({}))).toBeUndefined();
  });
  it('the manifest value when no config is shipped', async () => {
    expect(await resolveTimestepSpacing(manifest({ timestepSpacing: 'trailing' }), files({}))).toBe('trailing');
  });
  it('the shipped config wins over the manifest', async () => {
    const m = manifest({ timestepSpacing: 'linspace', config: 'scheduler/scheduler_config.json' });
    expect(await resolveTimestepSpacing(m, files({ timestep_spacing: 'trailing' }))).toBe('trailing');
    expect(await resolveTimestepSpacing(m, files({ beta_start: 0.00085 }))).toBe('linspace');
  });
  it('refuses a spacing it does not know, naming the file', async () => {
    const m = manifest({ config: 'scheduler/scheduler_config.json' });
    await expect(resolveTimestepSpacing(m, files({ timestep_spacing: 'karras' }))).rejects.toThrow(
      /scheduler\/scheduler_config.json sets timestep_spacing "karras"/,
    );
  });
});
