// The worker side of step-by-step mode: snapshots as previews for the UI, and the last run's x0 latents
// kept so any step can be decoded with the full VAE on demand.
import type { ModelManifest } from '../shared/manifest';
import type { StepView } from '../shared/protocol';
import { latentToRgba, type LatentRgbMap } from '../core/image/latentPreview';
import type { StepSnapshot } from '../core/pipeline/stepSnapshot';

/**
 * Used when a manifest has no fitted map: the widely used SD 1.x latent->RGB approximation
 * (community-derived factors, as in ComfyUI's latent previews for SD 1.5).
 */
const SD1_LATENT_RGB: LatentRgbMap = {
  matrix: [
    [0.3512, 0.2297, 0.3227],
    [0.325, 0.4974, 0.235],
    [-0.2829, 0.1762, 0.2721],
    [-0.212, -0.2616, -0.7177],
  ],
  bias: [0, 0, 0],
};

export function previewMap(manifest: ModelManifest): LatentRgbMap {
  return manifest.preview ? { matrix: manifest.preview.latentToRgb, bias: manifest.preview.bias } : SD1_LATENT_RGB;
}

export class TeachingRun {
  readonly x0ByStep: Float32Array[] = [];

  constructor(
    readonly generationId: number,
    private readonly map: LatentRgbMap,
    private readonly width: number,
    private readonly height: number,
  ) {}

  view(s: StepSnapshot): StepView {
    this.x0ByStep[s.index] = s.x0;
    const rgb = (latent: Float32Array | null) => (latent ? latentToRgba(latent, this.width, this.height, this.map) : null);
    return {
      index: s.index,
      timestep: s.timestep,
      sigma: s.sigma,
      alphaBar: s.alphaBar,
      width: this.width,
      height: this.height,
      noisy: rgb(s.noisy)!,
      x0: rgb(s.x0)!,
      x0Cond: rgb(s.x0Cond),
      x0Uncond: rgb(s.x0Uncond),
    };
  }
}
