// Brackets a generation's denoising loop with the GPU map counter: reads before the loop, per step, in total.
import type { DenoiserGraph, EngineStats } from '../shared/protocol';
import type { RuntimeStats } from '../core/ort/runtime';
import type { GenerationProgress } from '../core/pipeline/textToImage';
import { gpuReadCount } from '../core/ort/gpuReadCounter';

export class LoopReadCounter {
  private atStart = 0;
  private atLoopStart = 0;
  private atLoopEnd: number | null = null;
  private readonly afterStep: number[] = [];

  /** Feed every progress event; step 0 of 'denoise' is reported just before the first step. */
  observe(p: GenerationProgress): void {
    if (p.phase === 'encode') this.atStart = gpuReadCount();
    if (p.phase === 'denoise' && p.step === 0) this.atLoopStart = gpuReadCount();
    if (p.phase === 'denoise' && p.step > 0) this.afterStep[p.step - 1] = gpuReadCount();
    if (p.phase === 'decode') this.atLoopEnd = gpuReadCount();
  }

  stats(runtime: RuntimeStats, onGpu: boolean, steps: number, denoiser: DenoiserGraph): EngineStats {
    const loopReads = this.atLoopEnd === null ? null : this.atLoopEnd - this.atLoopStart;
    return {
      ...runtime,
      denoiser,
      gpuReadsPerStep: onGpu && loopReads !== null ? loopReads / steps : null,
      gpuReadsBeforeLoop: onGpu ? this.atLoopStart - this.atStart : null,
      gpuReadsByStep: onGpu ? this.afterStep.map((r, i) => r - (i === 0 ? this.atLoopStart : this.afterStep[i - 1])) : null,
    };
  }
}
