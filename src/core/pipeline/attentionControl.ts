// Feeds the patched denoiser's attention inputs step by step: neutral when masking is off; MaskDiffusion
// masks from user boxes, from the averaged maps of the first steps, or from a probe pass.
import type { MaskDiffusionSettings, MaskState } from '../../shared/settings';
import { proposeRegions } from '../maskdiffusion/autoRegions';
import { buildCrossMask, buildSelfMask } from '../maskdiffusion/conditionalMasks';
import { boxToMap, clampBox, type Box } from '../maskdiffusion/regions';
import { maskBuildingSteps, NO_MODULATION, stepStrengths } from '../maskdiffusion/schedule';
import type { TokenSpan } from '../maskdiffusion/tokenSpans';
import { PATCHED_INPUTS as IN, PATCHED_OUTPUTS as OUT } from '../onnx/patchContract';
import type { OrtRuntime, Tensor } from '../ort/runtime';
import type { BatchLayout } from './batchLayout';

export type { MaskState };

/** Cross-attention maps of the conditional batch entry: [tokens, height, width]. */
export interface ConditionalMaps {
  data: Float32Array;
  tokens: number;
  width: number;
  height: number;
}

/** Reads the patched denoiser's attn_maps output and keeps the prompt's (first part's) batch row. */
export async function readConditionalMaps(
  runtime: OrtRuntime,
  outputs: Record<string, Tensor>,
  layout: BatchLayout,
): Promise<ConditionalMaps | null> {
  const maps = outputs[OUT.attnMaps];
  if (!maps) return null;
  const [, tokens, height, width] = maps.dims as number[];
  const all = await runtime.readFloat32(maps);
  const size = tokens * height * width;
  const row = layout.conditionalRows[0].row;
  return { data: all.slice(row * size, (row + 1) * size), tokens, width, height };
}

interface Geometry {
  layout: BatchLayout;
  tokens: number;
  width: number;
  height: number;
  usedTokens: number;
  hasSelfMask: boolean;
}

export class AttentionControl {
  readonly state: MaskState;
  private crossMask: Tensor;
  private selfMask: Tensor | null;
  private gain: Tensor;
  private mapSum: Float32Array | null = null;
  private mapCount = 0;

  constructor(
    private readonly runtime: OrtRuntime,
    private readonly geo: Geometry,
    private readonly settings: MaskDiffusionSettings,
    private readonly spans: TokenSpan[],
    /** The model's scale on the suppression term (manifest maskDiffusion.suppression); stepStrengths' default when absent. */
    private readonly suppression?: number,
  ) {
    const pixels = geo.width * geo.height;
    const rows = geo.layout.rows;
    this.crossMask = runtime.tensor('float32', new Float32Array(rows * geo.tokens * pixels), [rows, geo.tokens, geo.height, geo.width]);
    this.selfMask = geo.hasSelfMask ? runtime.tensor('float32', new Float32Array(rows * pixels), [rows, 1, geo.height, geo.width]) : null;
    this.gain = runtime.tensor('float32', new Float32Array(rows * geo.tokens).fill(1), [rows, geo.tokens]);
    const boxes = settings.boxes;
    const allBoxed = spans.length > 0 && spans.every((_, i) => boxes[i]);
    this.state = { boxes: spans.map(() => null), activeFromStep: null, source: null };
    if (settings.enabled && allBoxed)
      this.setRegions(
        spans.map((_, i) => clampBox(boxes[i]!)),
        'boxes',
        0,
      );
  }

  get active(): boolean {
    return this.settings.enabled && this.spans.length > 0;
  }

  /** True when masks must come from a probe pass: too few steps to learn them from the first ones. */
  needsProbe(totalSteps: number): boolean {
    return this.active && this.state.source === null && maskBuildingSteps(totalSteps) === 0;
  }

  /** Whether this step's attention maps must be read (only during the first steps, to build masks). */
  wantsMaps(stepIndex: number, totalSteps: number): boolean {
    return this.active && this.state.source === null && stepIndex < maskBuildingSteps(totalSteps);
  }

  feeds(stepIndex: number, totalSteps: number, timestep: number): Record<string, Tensor> {
    const s =
      this.state.source !== null
        ? stepStrengths(stepIndex, totalSteps, timestep, this.settings.strength, this.settings.variant, this.suppression)
        : NO_MODULATION;
    const feeds: Record<string, Tensor> = {
      [IN.crossMask]: this.crossMask,
      [IN.crossStrength]: this.perBatch(s.cross),
      [IN.crossSuppress]: this.perBatch(s.suppress),
      [IN.crossReference]: this.perBatch(s.reference),
      [IN.tokenGain]: this.gain,
    };
    if (this.selfMask) {
      feeds[IN.selfMask] = this.selfMask;
      feeds[IN.selfStrength] = this.perBatch(s.self);
    }
    return feeds;
  }

  /** Accumulates the conditional entry's maps; after the last mask-building step, proposes the regions. */
  observe(maps: ConditionalMaps, stepIndex: number, totalSteps: number, source: 'auto' | 'probe' = 'auto'): void {
    this.mapSum ??= new Float32Array(maps.data.length);
    for (let i = 0; i < maps.data.length; i++) this.mapSum[i] += maps.data[i];
    this.mapCount += 1;
    if (source === 'probe' || stepIndex + 1 >= maskBuildingSteps(totalSteps)) {
      const averaged = this.mapSum.map((v) => v / this.mapCount);
      const given = this.settings.boxes.map((b) => (b ? clampBox(b) : null));
      const boxes = proposeRegions(
        averaged,
        maps.width,
        maps.height,
        this.spans.map((s) => s.keyTokens),
        this.spans.map((_, i) => given[i] ?? null),
      );
      this.setRegions(boxes, source, source === 'probe' ? 0 : stepIndex + 1);
    }
  }

  /** Per-token attention gains [batch, T] (emphasis in attention-gain mode; Prompt-to-Prompt re-weighting). */
  setTokenGains(gains: Float32Array): void {
    this.gain = this.runtime.tensor('float32', gains, [this.geo.layout.rows, this.geo.tokens]);
  }

  /** Averaged attention maps seen so far (conditional entry), for heatmaps. */
  get averagedMaps(): Float32Array | null {
    // biome-ignore lint/complexity/useOptionalChain: the result is null, not undefined, before any map was summed
    return this.mapSum && this.mapSum.map((v) => v / this.mapCount);
  }

  private setRegions(boxes: Box[], source: MaskState['source'], fromStep: number): void {
    const { width, height, tokens, layout, usedTokens } = this.geo;
    const maps = boxes.map((b) => boxToMap(b, width, height));
    const cond = buildCrossMask(this.spans, maps, usedTokens, tokens, width * height);
    // MaskDiffusion runs on a single prompt: buildCrossMask lays out [uncond, cond]; without CFG only cond is fed.
    const guided = layout.unconditionalRow !== null;
    const data = guided ? cond : cond.subarray(tokens * width * height);
    this.crossMask = this.runtime.tensor('float32', data, [layout.rows, tokens, height, width]);
    if (this.selfMask) {
      const self = buildSelfMask(maps, width * height);
      const selfData = guided ? self.data : self.data.subarray(self.objects * width * height);
      this.selfMask = this.runtime.tensor('float32', selfData, [layout.rows, self.objects, height, width]);
    }
    this.state.boxes = boxes;
    this.state.source = source;
    this.state.activeFromStep = fromStep;
  }

  private perBatch(value: number): Tensor {
    // The negative prompt's row is never modulated, only the prompt's.
    const data = new Float32Array(this.geo.layout.rows);
    for (const { row } of this.geo.layout.conditionalRows) data[row] = value;
    return this.runtime.tensor('float32', data, [this.geo.layout.rows]);
  }
}
