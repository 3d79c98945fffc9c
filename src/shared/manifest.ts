// Model manifest types: the data in models/ and public/models/*/manifest.json.

export type ComponentName = 'textEncoder' | 'unet' | 'vaeDecoder';

export interface ManifestFile {
  path: string;
  size: number;
  sha256?: string;
}

export interface ModelVariant {
  id: string;
  dtype: 'fp32' | 'fp16' | 'int8' | 'q4f16';
  /** WebGPU adapter features the variant needs, e.g. 'shader-f16'. */
  requires: string[];
  files: Record<ComponentName, string>;
}

export interface ModelManifest {
  id: string;
  name: string;
  description: string;
  licence: string;
  architecture: 'sd1' | 'sd2' | 'sd-turbo';
  randomWeights?: boolean;
  resolution: { width: number; height: number };
  latent: { channels: number; scalingFactor: number; downsample: number };
  text: { maxLength: number; hiddenSize: number };
  predictionType: 'epsilon' | 'v_prediction';
  defaults: { sampler: 'euler' | 'ddim' | 'lcm'; steps: number; guidance: number };
  tokenizer: { dir: string };
  /** Cheap x0 previews: latent channels -> RGB (models/fit-latent-preview.ts fits it for the tiny model). */
  preview?: { latentToRgb: number[][]; bias: [number, number, number]; fit: string };
  variants: ModelVariant[];
  files: ManifestFile[];
}
