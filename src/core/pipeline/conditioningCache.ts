// The last prompt's conditioning, kept for the next generation that asks for the same one. A1111 keeps its last
// cond and uncond the same way, and ComfyUI reruns no text-encode node whose inputs did not change: a new seed, step
// count, sampler or guidance scale (a batch, an X/Y grid over them, "generate again") runs no text encoder. On a real
// model's WASM fallback the CLIP text encoder is a large share of an image; on the built-in model it is one run of ~11.
import type { OrtRuntime, Tensor } from '../ort/runtime';

interface Entry<T> {
  key: string;
  value: T;
  embeddings: Tensor;
  /** Generations using the entry now. */
  users: number;
  /** Replaced or cleared: its tensor goes when its last user is done. */
  stale: boolean;
}

export interface Lease<T> {
  value: T;
  /** True when the value was kept from an earlier generation (its text encoder did not run). */
  reused: boolean;
  /** Done with the value: its tensor is freed here once it is neither the kept one nor in use. */
  release(): void;
}

/**
 * One entry, keyed by everything the conditioning depends on. A value holds the text embeddings tensor (on WebGPU a
 * GPU buffer), so it is freed when replaced or cleared, never while a generation still runs on it.
 */
export class ConditioningCache<T> {
  private current: Entry<T> | null = null;

  constructor(private readonly runtime: Pick<OrtRuntime, 'dispose'>) {}

  /** The kept value for `key`, else `make()`'s, which replaces it (a failed make() replaces nothing). */
  async lease(key: string, make: () => Promise<{ value: T; embeddings: Tensor }>): Promise<Lease<T>> {
    let entry = this.current;
    const reused = entry !== null && entry.key === key;
    if (!reused) {
      const made = await make();
      entry = { key, ...made, users: 0, stale: false };
      this.retire(this.current);
      this.current = entry;
    }
    const leased = entry!;
    leased.users += 1;
    let released = false;
    return {
      value: leased.value,
      reused,
      release: () => {
        if (released) return;
        released = true;
        leased.users -= 1;
        if (leased.stale) this.freeIfUnused(leased);
      },
    };
  }

  /** Forgets the kept value (the model is being released). */
  clear(): void {
    this.retire(this.current);
    this.current = null;
  }

  private retire(entry: Entry<T> | null): void {
    if (!entry) return;
    entry.stale = true;
    this.freeIfUnused(entry);
  }

  private freeIfUnused(entry: Entry<T>): void {
    if (entry.users === 0) this.runtime.dispose(entry.embeddings);
  }
}
