// Step-by-step mode in the pipeline: pausing changes nothing in the result; snapshots and previews are sound.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withDefaultBlocks, type GenerationSettings } from '../../shared/settings';
import { StepGate } from '../../worker/stepGate';
import { downsampleRgba, latentToRgba } from '../image/latentPreview';
import { releasePipeline, type LoadedPipeline } from './loadPipeline';
import type { StepSnapshot } from './stepSnapshot';
import { generateImage } from './textToImage';
import { loadTinyPipeline } from './testModel.test-support';

const settings: GenerationSettings = withDefaultBlocks({
  prompt: 'a yellow star above a purple heart',
  negativePrompt: 'blurry',
  seed: 21,
  steps: 6,
  guidance: 6,
  sampler: 'euler',
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('step-by-step generation', () => {
  let p: LoadedPipeline;
  beforeAll(async () => {
    p = await loadTinyPipeline();
  });
  afterAll(() => releasePipeline(p));

  it.each(['euler', 'lcm'] as const)(
    'a paused, single-stepped and resumed %s run ends byte-identical to an uninterrupted one',
    async (sampler) => {
      const s = { ...settings, sampler, steps: sampler === 'lcm' ? 4 : 6 };
      const uninterrupted = await generateImage(p, s);
      const gate = new StepGate(true, () => undefined);
      const snapshots: StepSnapshot[] = [];
      const run = generateImage(p, s, { beforeStep: (i) => gate.wait(i), onStepSnapshot: (x) => snapshots.push(x) });
      await sleep(20);
      expect(snapshots).toHaveLength(0); // held before the first step
      gate.step();
      await sleep(50);
      gate.step();
      await sleep(50);
      expect(snapshots.map((x) => x.index)).toEqual([0, 1]);
      await sleep(50); // paused again: nothing moves
      expect(snapshots).toHaveLength(2);
      gate.resume();
      const stepped = await run;
      expect(Buffer.from(stepped.rgba).equals(Buffer.from(uninterrupted.rgba))).toBe(true);
      expect(snapshots.map((x) => x.index)).toEqual(Array.from({ length: s.steps }, (_, i) => i));
    },
  );

  it('snapshots carry falling noise levels and the guidance split', async () => {
    const snapshots: StepSnapshot[] = [];
    await generateImage(p, settings, { onStepSnapshot: (x) => snapshots.push(x) });
    const sigmas = snapshots.map((x) => x.sigma);
    expect([...sigmas].sort((a, b) => b - a)).toEqual(sigmas);
    for (const x of snapshots) {
      expect(x.x0Cond && x.x0Uncond).toBeTruthy();
      // Guided x0 = uncond + g (cond - uncond) when the x0 map is linear in eps.
      for (let i = 0; i < x.x0.length; i += 37) {
        expect(x.x0[i]).toBeCloseTo(x.x0Uncond![i] + settings.guidance * (x.x0Cond![i] - x.x0Uncond![i]), 3);
      }
    }
  });

  it("an AND prompt's steps show the guidance split too: its parts combined against the negative prompt", async () => {
    const snapshots: StepSnapshot[] = [];
    await generateImage(
      p,
      { ...settings, prompt: 'a yellow star :1.2 AND a purple heart :0.6', steps: 3 },
      { onStepSnapshot: (x) => snapshots.push(x) },
    );
    expect(snapshots).toHaveLength(3);
    for (const x of snapshots) {
      expect(x.x0Cond && x.x0Uncond).toBeTruthy();
      // The prompt side is what guidance 1 gives, so guided = uncond + g (prompt side - uncond) still holds.
      for (let i = 0; i < x.x0.length; i += 37) {
        expect(x.x0[i]).toBeCloseTo(x.x0Uncond![i] + settings.guidance * (x.x0Cond![i] - x.x0Uncond![i]), 3);
      }
    }
  });

  it('shows no split without guidance (one row: nothing to split)', async () => {
    const snapshots: StepSnapshot[] = [];
    await generateImage(p, { ...settings, guidance: 1, steps: 2 }, { onStepSnapshot: (x) => snapshots.push(x) });
    expect(snapshots.map((x) => [x.x0Cond, x.x0Uncond])).toEqual([
      [null, null],
      [null, null],
    ]);
  });

  it("the last step's linear preview is closer to the VAE decode than the mean colour is", async () => {
    const map = { matrix: p.manifest.preview!.latentToRgb, bias: p.manifest.preview!.bias };
    let previewError = 0;
    let flatError = 0;
    for (const seed of [501, 502, 503, 504]) {
      let last: StepSnapshot | null = null;
      const image = await generateImage(p, { ...settings, seed, steps: 8 }, { onStepSnapshot: (x) => (last = x) });
      const target = downsampleRgba(image.rgba, 128, 128, 8);
      const preview = latentToRgba(last!.x0, 16, 16, map);
      const mean = [0, 1, 2].map((c) => target.filter((_, i) => i % 4 === c).reduce((a, v) => a + v, 0) / 256);
      for (let i = 0; i < target.length; i++) {
        if (i % 4 === 3) continue;
        previewError += Math.abs(preview[i] - target[i]);
        flatError += Math.abs(mean[i % 4] - target[i]);
      }
    }
    const pixels = 4 * 256 * 3;
    console.log(
      `last-step preview vs VAE decode (8x8 blocks): MAE ${(previewError / pixels).toFixed(1)}/255; per-image mean colour: ${(flatError / pixels).toFixed(1)}/255`,
    );
    expect(previewError).toBeLessThan(flatError);
  });
});
