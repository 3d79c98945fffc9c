// Pause / single-step / resume between denoising steps. The sampler awaits wait() before every step,
// so a paused run keeps its latents and RNG state and continues exactly as if it had never stopped.
export class StepGate {
  private paused: boolean;
  private credits = 0;
  private wake: (() => void) | null = null;

  constructor(
    startPaused: boolean,
    private readonly onPaused: (stepIndex: number) => void,
  ) {
    this.paused = startPaused;
  }

  async wait(stepIndex: number, signal?: AbortSignal): Promise<void> {
    while (this.paused && !signal?.aborted) {
      if (this.credits > 0) {
        this.credits -= 1;
        return;
      }
      this.onPaused(stepIndex);
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    this.release();
  }

  /** Lets exactly one more step run, then pauses again. */
  step(): void {
    this.paused = true;
    this.credits += 1;
    this.release();
  }

  /** Wakes a waiting run (also used on cancel, so it can notice the abort). */
  release(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }
}
