// A small model's plain generations run an unpatched twin of its UNet. The patched graph computes the attention
// control's terms on every call, masking on or off: on the built-in model that is over a tenth of each UNet call
// (`npm run bench`, unet_patched_idle_tiny_ratio), and with masking off its output is bit for bit the unpatched
// graph's (S*1 + 0*rowmax + 0*rowmin is S; the tests compare the pixels on WASM and WebGPU), so the twin changes
// no image. A twin is a second copy of the weights
// in memory, so only UNets small enough for that to cost little get one, and only from a source that can hand over
// the graph as downloaded, whole (worker/modelSource.ts: the app's own served models). The engine opens it after the
// load, in the background (worker/engineHandler.ts): opening it at load would add its session's creation to the
// time before the first image.
import { PATCHED_INPUTS } from '../onnx/patchContract';
import type { ModelSession } from '../ort/runtime';
import { BatchedRunner } from './batchedRun';
import type { LoadedPipeline } from './loadPipeline';

/** Largest UNet (graph and weights) given a twin: the built-in model's is 3.4 MB; Stable Diffusion's, 0.8-3.4 GB. */
export const UNMASKED_TWIN_MAX_BYTES = 64 * 1024 * 1024;

/** A UNet session and the runner that feeds it. */
export interface DenoiserSession {
  session: ModelSession;
  runner: BatchedRunner;
}

/** True when `p` runs a patched UNet small enough for a twin (weights included) and has none yet. */
export function wantsUnmaskedTwin(p: LoadedPipeline): boolean {
  return !p.unmaskedUnet && !!p.patchReport && p.unetBytes <= UNMASKED_TWIN_MAX_BYTES;
}

/** Opens `unpatchedGraph` (the UNet as downloaded) beside the patched session; plain generations then run it. */
export async function openUnmaskedTwin(p: LoadedPipeline, unpatchedGraph: Uint8Array): Promise<void> {
  if (!wantsUnmaskedTwin(p)) return;
  const session = await p.runtime.createSession('UNet (unmasked)', unpatchedGraph, {
    stage: 'denoise',
    outputsOnGpu: true,
    sessionOptions: p.variant.sessionOptions?.unet,
  });
  if (session.inputNames.includes(PATCHED_INPUTS.crossMask)) {
    // A source that serves the patched graph under the original's path: a twin of it would save nothing.
    await session.release();
    throw new Error('The UNet read as unpatched is a patched graph.');
  }
  p.unmaskedUnet = { session, runner: new BatchedRunner(p.runtime, session, p.unetStaticBatch) };
}

/** The UNet a generation runs: the twin when it needs no attention control and there is one, else the loaded UNet. */
export function denoiserFor(p: LoadedPipeline, needsAttentionControl: boolean): DenoiserSession {
  if (!needsAttentionControl && p.unmaskedUnet) return p.unmaskedUnet;
  return { session: p.unet, runner: p.unetRunner };
}
