// Whether a backend can run a model variant, decided before a download starts, with the reason in one sentence.
import type { ComponentName, ModelVariant } from '../../shared/manifest';
import { formatBytes } from '../../storage/storageQuota';

/** WebGPU adapter limits a variant may need (bytes), as GPUAdapter.limits names them. */
export const ADAPTER_LIMIT_NAMES = ['maxBufferSize', 'maxStorageBufferBindingSize'] as const;
export type AdapterLimitName = (typeof ADAPTER_LIMIT_NAMES)[number];
export type AdapterLimits = Partial<Record<AdapterLimitName, number>>;

export interface BackendTarget {
  ep: 'webgpu' | 'wasm';
  adapterFeatures: readonly string[];
  adapterLimits?: AdapterLimits;
}

/**
 * The largest graph the WASM backend is offered. onnxruntime-web's wasm32 heap is 4 GiB; a session holds the
 * graph bytes and its initialised weights, and on the CPU an fp16 graph also gets fp32 copies where kernels
 * lack fp16 (ORT inserts Casts), so a graph past about a quarter of the heap cannot open. An estimate from how
 * ORT loads, not a measurement on the real files (none can be fetched here).
 */
export const WASM_MAX_GRAPH_BYTES = 1024 ** 3;

const ROLE_NAMES: Record<ComponentName, string> = { textEncoder: 'text encoder', unet: 'UNet', vaeDecoder: 'VAE decoder' };

/**
 * Why `target` cannot run `variant`, or undefined when it can. `graphBytes(path)` gives a graph's size (exact or
 * approximate), undefined when unknown. `requires` names WebGPU features: on WASM the CPU runs fp16 graphs itself
 * (ORT casts around the kernels it lacks), so there only size counts.
 */
export function variantRefusal(
  variant: ModelVariant,
  target: BackendTarget,
  graphBytes: (path: string) => number | undefined,
): string | undefined {
  const features = new Set(target.adapterFeatures);
  const missing = variant.requires.filter((f) => !features.has(f));
  const tooBig = largestGraph(variant, graphBytes);
  const tooBigForWasm =
    tooBig && tooBig.bytes > WASM_MAX_GRAPH_BYTES
      ? `at about ${formatBytes(tooBig.bytes)} its ${ROLE_NAMES[tooBig.role]} is too large for the WASM (CPU) backend's memory`
      : undefined;
  if (target.ep === 'wasm') {
    if (!tooBigForWasm) return undefined;
    if (variant.requires.length === 0) return `it needs WebGPU: ${tooBigForWasm}`;
    const gpu =
      target.adapterFeatures.length && missing.length === 0
        ? 'which this GPU has: switch the backend to WebGPU'
        : `which ${target.adapterFeatures.length ? 'this GPU lacks' : 'this browser offers no GPU with'}`;
    return `needs the GPU feature ${variant.requires.join(', ')}, ${gpu}; ${tooBigForWasm}`;
  }
  if (missing.length > 0) {
    const fallback = tooBigForWasm ? `, and ${tooBigForWasm}` : '; switch the backend to WASM to run it on the CPU (slowly)';
    return `needs the GPU feature ${missing.join(', ')}, which this GPU lacks${fallback}`;
  }
  for (const name of ADAPTER_LIMIT_NAMES) {
    const needed = variant.limits?.[name];
    const allowed = target.adapterLimits?.[name];
    if (needed !== undefined && allowed !== undefined && allowed < needed) {
      return `needs GPU buffers of ${formatBytes(needed)} (${name}), and this GPU allows ${formatBytes(allowed)}`;
    }
  }
  return undefined;
}

/**
 * variantRefusal for a manifest's file list (exact sizes, else the publisher's approximate ones) and the engine's
 * reported backend; no backend yet counts as WASM without an adapter.
 */
export function variantRefusalFor(
  files: readonly { path: string; size?: number; approxSize?: number }[],
  variant: ModelVariant,
  backend: { ep: 'webgpu' | 'wasm'; adapterFeatures: readonly string[]; adapterLimits?: AdapterLimits } | null,
): string | undefined {
  const sizes = new Map(files.map((f) => [f.path, f.size || f.approxSize]));
  const target = { ep: backend?.ep ?? 'wasm', adapterFeatures: backend?.adapterFeatures ?? [], adapterLimits: backend?.adapterLimits };
  return variantRefusal(variant, target, (path) => sizes.get(path));
}

function largestGraph(
  variant: ModelVariant,
  graphBytes: (path: string) => number | undefined,
): { role: ComponentName; bytes: number } | undefined {
  let largest: { role: ComponentName; bytes: number } | undefined;
  for (const [role, path] of Object.entries(variant.files) as [ComponentName, string][]) {
    const bytes = graphBytes(path);
    if (bytes !== undefined && bytes > (largest?.bytes ?? 0)) largest = { role, bytes };
  }
  return largest;
}
