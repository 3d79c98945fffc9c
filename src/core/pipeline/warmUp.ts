// A one-step generation right after a model loads, while the person is still typing their prompt. ORT's first run of
// each session is several times slower than the next (WASM: its memory arenas grow and its allocation plans are made;
// WebGPU: its shaders compile); without this, that cost lands on the first image. On the built-in model (WASM) the
// first generation's session runs took ~340 ms against ~145 ms for the next.
import type { ModelManifest } from '../../shared/manifest';
import { withDefaultBlocks, type GenerationSettings } from '../../shared/settings';
import type { ExecutionProvider } from '../ort/backend';
import type { LoadedPipeline } from './loadPipeline';
import { generateImage } from './textToImage';
import { openUnmaskedTwin, wantsUnmaskedTwin } from './unmaskedUnet';
import { yieldToEventLoop } from './yieldToEventLoop';

/** Largest image (pixels) warmed up on WASM, where a big model's one UNet or VAE call can take tens of seconds: a
 * Generate click waits for the call in flight, and beside such calls the first run's extra cost is small. */
export const WASM_WARM_UP_MAX_PIXELS = 256 * 256;

/** WebGPU always (its first run compiles the shaders); WASM for small models only. */
export function shouldWarmUp(ep: ExecutionProvider, manifest: ModelManifest): boolean {
  return ep === 'webgpu' || manifest.resolution.width * manifest.resolution.height <= WASM_WARM_UP_MAX_PIXELS;
}

/**
 * The model's own sampler and guidance (so the batch, with or without guidance, is the one people will run); the
 * default MaskDiffusion (off) and emphasis blocks.
 */
export function warmUpSettings(manifest: ModelManifest): GenerationSettings {
  return withDefaultBlocks({
    prompt: manifest.examplePrompts?.[0] ?? 'a photo',
    negativePrompt: '',
    seed: 0,
    steps: 1,
    guidance: manifest.defaults.guidance,
    sampler: manifest.defaults.sampler,
  });
}

/**
 * Runs every session of `p` once, after a macrotask (so whatever called it, such as a load's reply, goes first).
 * Never rejects: a failure here is the next generation's to report. Abort `signal` to stop it between model calls.
 */
export async function warmUp(p: LoadedPipeline, signal: AbortSignal): Promise<void> {
  try {
    await yieldToEventLoop();
    signal.throwIfAborted();
    await generateImage(p, warmUpSettings(p.manifest), { signal });
  } catch {
    // Aborted, or a fault the person's own generation will meet and report with its context.
  }
}

/** What the engine does with a loaded model while nothing else needs it (in order; abortable between model calls). */
export interface IdleWork {
  /** Warm every session up first (shouldWarmUp). */
  warmFirst: boolean;
  /** Warm the twin up once it opens. */
  warmTwin: boolean;
  /** Reads the UNet as downloaded for its unmasked twin; absent: the source offers none. */
  readUnpatchedUnet?: () => Promise<Uint8Array>;
}

/**
 * Warms `p` up, then opens its unmasked twin if it wants one (and warms that). Resolves `'twin-pending'` when it was
 * stopped before the twin opened, so the caller can run it again once the sessions are free. Never rejects: a twin
 * that cannot be read or opened leaves plain generations on the patched UNet, as before twins, and is not tried again.
 */
export async function runIdleWork(p: LoadedPipeline, work: IdleWork, signal: AbortSignal): Promise<'done' | 'twin-pending'> {
  if (work.warmFirst) await warmUp(p, signal);
  if (!work.readUnpatchedUnet || !wantsUnmaskedTwin(p)) return 'done';
  try {
    await yieldToEventLoop();
    signal.throwIfAborted();
    const graph = await work.readUnpatchedUnet();
    signal.throwIfAborted();
    await openUnmaskedTwin(p, graph);
  } catch {
    return signal.aborted ? 'twin-pending' : 'done';
  }
  if (work.warmTwin) await warmUp(p, signal);
  return 'done';
}
