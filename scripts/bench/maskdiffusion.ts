// MaskDiffusion cost on the WASM backend: denoiser time with masking active / unpatched denoiser time,
// for the tiny model and for a graph with Stable Diffusion's attention shapes; and the patched denoiser with
// masking off / unpatched (what a plain generation saves on a small model's unmasked twin,
// core/pipeline/unmaskedUnet.ts). For the tiny model also the patch without self-attention masking (DenseDiffusion's
// term), to show what that part costs. Prints a JSON last line.
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-web';
import { buildCrossMask, buildSelfMask } from '../../src/core/maskdiffusion/conditionalMasks';
import { boxToMap } from '../../src/core/maskdiffusion/regions';
import { patchDenoiser } from '../../src/core/onnx/patchDenoiser';
import { PATCHED_INPUTS as IN } from '../../src/core/onnx/patchContract';
import { createRng } from '../../src/core/random';
import { makeSdAttentionBench } from '../../models/bench/sdAttentionBench';

const REPS = Number(process.env.BENCH_REPS ?? 7);
/** The tiny model runs in 12-30 ms, where run-to-run noise here is ~10%: 201 rounds (~15 s) hold its ratios within ~0.01. */
const TINY_REPS = Number(process.env.BENCH_TINY_REPS ?? 201);
ort.env.wasm.numThreads = Number(process.env.BENCH_THREADS ?? 2);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const tensor = (data: Float32Array, dims: number[]) => new ort.Tensor('float32', data, dims);
function normal(size: number, seed: number): Float32Array {
  const data = new Float32Array(size);
  createRng(seed).fillNormal(data);
  return data;
}

async function measure(name: string, bytes: Uint8Array, latent: number, textDim: number, reps: number, splitSelf = false) {
  const tokens = 77;
  const pixels = latent * latent;
  const plain = await ort.InferenceSession.create(bytes);
  const { bytes: patchedBytes } = patchDenoiser(bytes);
  const patched = await ort.InferenceSession.create(patchedBytes);
  const crossOnly = splitSelf
    ? await ort.InferenceSession.create(patchDenoiser(bytes, { selfMaskMinLevel: Number.POSITIVE_INFINITY }).bytes)
    : null;
  const base = {
    sample: tensor(normal(2 * 4 * pixels, 1), [2, 4, latent, latent]),
    timestep: tensor(new Float32Array([800, 800]), [2]),
    encoder_hidden_states: tensor(normal(2 * tokens * textDim, 2), [2, tokens, textDim]),
  };
  // Two objects ("a red cat and a blue dog"), boxed left and right, all MaskDiffusion terms active.
  const regions = [boxToMap({ x0: 0, y0: 0, x1: 0.5, y1: 1 }, latent, latent), boxToMap({ x0: 0.5, y0: 0, x1: 1, y1: 1 }, latent, latent)];
  const spans = [
    { start: 1, end: 4, keyTokens: [3] },
    { start: 5, end: 8, keyTokens: [7] },
  ];
  const self = buildSelfMask(regions, pixels);
  const hasSelfMask = patched.inputNames.includes(IN.selfMask);
  // Masking off, as a plain generation feeds the patched graph (pipeline/attentionControl.ts): zero strengths, unit gains.
  const idle = {
    ...base,
    [IN.crossMask]: tensor(new Float32Array(2 * tokens * pixels), [2, tokens, latent, latent]),
    [IN.crossStrength]: tensor(new Float32Array(2), [2]),
    [IN.crossSuppress]: tensor(new Float32Array(2), [2]),
    [IN.crossReference]: tensor(new Float32Array(2), [2]),
    [IN.tokenGain]: tensor(new Float32Array(2 * tokens).fill(1), [2, tokens]),
    ...(hasSelfMask
      ? { [IN.selfMask]: tensor(new Float32Array(2 * pixels), [2, 1, latent, latent]), [IN.selfStrength]: tensor(new Float32Array(2), [2]) }
      : {}),
  };
  const active = {
    ...base,
    [IN.crossMask]: tensor(buildCrossMask(spans, regions, 9, tokens, pixels), [2, tokens, latent, latent]),
    [IN.crossStrength]: tensor(new Float32Array([0, 0.5]), [2]),
    [IN.crossSuppress]: tensor(new Float32Array([0, 0.5]), [2]),
    [IN.crossReference]: tensor(new Float32Array([0, 0]), [2]),
    [IN.tokenGain]: tensor(new Float32Array(2 * tokens).fill(1), [2, tokens]),
    ...(hasSelfMask
      ? { [IN.selfMask]: tensor(self.data, [2, self.objects, latent, latent]), [IN.selfStrength]: tensor(new Float32Array([0, 0.15]), [2]) }
      : {}),
  };
  // The graphs timed, each with its feeds; every round runs each once.
  const variants: { session: ort.InferenceSession; feeds: Record<string, ort.Tensor>; times: number[] }[] = [
    { session: plain, feeds: base, times: [] },
    { session: patched, feeds: active, times: [] },
    { session: patched, feeds: idle, times: [] },
  ];
  const [unpatchedRun, maskedRun, idleRun] = variants;
  const crossOnlyRun = crossOnly
    ? {
        session: crossOnly,
        feeds: Object.fromEntries(Object.entries(active).filter(([input]) => crossOnly.inputNames.includes(input))),
        times: [],
      }
    : null;
  if (crossOnlyRun) variants.push(crossOnlyRun);
  const time = async ({ session, feeds }: (typeof variants)[number]) => {
    const t = performance.now();
    await session.run(feeds);
    return performance.now() - t;
  };
  for (let i = 0; i < 2; i++) for (const variant of variants) await time(variant); // warm-up
  // Rotating which graph runs first, so none always runs on caches another warmed.
  for (let i = 0; i < reps; i++) {
    for (let k = 0; k < variants.length; k++) {
      const variant = variants[(i + k) % variants.length];
      variant.times.push(await time(variant));
    }
  }
  const overUnpatched = (times: number[]) => median(times.map((m, i) => m / unpatchedRun.times[i]));
  const plainMs = median(unpatchedRun.times);
  const maskedMs = median(maskedRun.times);
  const ratio = overUnpatched(maskedRun.times);
  const idleRatio = overUnpatched(idleRun.times);
  const crossOnlyRatio = crossOnlyRun ? overUnpatched(crossOnlyRun.times) : null;
  console.log(
    `${name}: unpatched denoiser ${plainMs.toFixed(1)} ms, masking active ${maskedMs.toFixed(1)} ms, ratio ${ratio.toFixed(3)}; patched with masking off ${median(idleRun.times).toFixed(1)} ms, ratio ${idleRatio.toFixed(3)} (medians of ${reps} rounds, batch 2)${crossOnlyRatio === null ? '' : `; masking active without the self-attention term, ratio ${crossOnlyRatio.toFixed(3)}`}`,
  );
  await Promise.all([plain.release(), patched.release(), crossOnly?.release()]);
  return { plainMs, maskedMs, ratio, idleRatio, crossOnlyRatio };
}

const results: Record<string, number> = {};
const tiny = await measure('tiny model', new Uint8Array(readFileSync('public/models/tiny-sd/unet/model.onnx')), 16, 64, TINY_REPS, true);
results.maskdiffusion_tiny_ratio = Number(tiny.ratio.toFixed(3));
results.unet_patched_idle_tiny_ratio = Number(tiny.idleRatio.toFixed(3));
results.maskdiffusion_tiny_without_self_ratio = Number(tiny.crossOnlyRatio!.toFixed(3));
// Built in memory each run (models/bench/sdAttentionBench.ts): no Python, nothing cached that could go stale.
const sd = await measure(
  'SD-shaped attention graph (8 heads, head dims 40/80/160, 32x32 and 16x16, 77 tokens)',
  makeSdAttentionBench(),
  32,
  768,
  REPS,
);
results.maskdiffusion_sd_shaped_ratio = Number(sd.ratio.toFixed(3));
results.maskdiffusion_sd_shaped_unpatched_ms = Number(sd.plainMs.toFixed(1));
results.maskdiffusion_sd_shaped_masked_ms = Number(sd.maskedMs.toFixed(1));
console.log(JSON.stringify(results));
