// Chooses the execution provider and the model variant from what the WebGPU adapter offers.
import type { ModelManifest, ModelVariant } from '../../shared/manifest';
import type { BackendPreference } from '../../shared/settings';
import { ADAPTER_LIMIT_NAMES, variantRefusalFor, type AdapterLimits } from './variantFit';

export type ExecutionProvider = 'webgpu' | 'wasm';

export interface AdapterSummary {
  available: boolean;
  features: string[];
  vendor?: string;
  architecture?: string;
  isFallback?: boolean;
  /** The adapter's buffer limits, checked against a variant's manifest `limits` before a download. */
  limits?: AdapterLimits;
  /** Why there is no adapter, when there is none. */
  unavailableReason?: string;
}

export interface BackendChoice {
  ep: ExecutionProvider;
  shaderF16: boolean;
  /** One sentence for the UI: which backend runs and why. */
  reason: string;
  adapter: AdapterSummary;
}

/** Asks the browser for a WebGPU adapter without creating a device (cheap, no side effects). */
export async function probeAdapter(gpu: GPU | undefined = globalThis.navigator?.gpu): Promise<AdapterSummary> {
  if (!gpu) return { available: false, features: [], unavailableReason: 'this browser exposes no WebGPU (navigator.gpu is missing)' };
  try {
    const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
    if (!adapter) return { available: false, features: [], unavailableReason: 'the browser found no WebGPU adapter' };
    const info = adapter.info;
    return {
      available: true,
      features: [...adapter.features].map(String).sort(),
      vendor: info?.vendor,
      architecture: info?.architecture,
      isFallback: (info as { isFallbackAdapter?: boolean } | undefined)?.isFallbackAdapter ?? false,
      limits: Object.fromEntries(ADAPTER_LIMIT_NAMES.map((name) => [name, Number(adapter.limits[name])])),
    };
  } catch (error) {
    return { available: false, features: [], unavailableReason: `requesting a WebGPU adapter failed (${String(error)})` };
  }
}

export function chooseBackend(adapter: AdapterSummary, preference: BackendPreference = 'auto'): BackendChoice {
  const shaderF16 = adapter.available && adapter.features.includes('shader-f16');
  if (preference === 'wasm') {
    return { ep: 'wasm', shaderF16: false, reason: 'WASM (CPU) because you chose it in settings.', adapter };
  }
  if (!adapter.available) {
    return { ep: 'wasm', shaderF16: false, reason: `WASM (CPU) because ${adapter.unavailableReason ?? 'WebGPU is unavailable'}.`, adapter };
  }
  const name = [adapter.vendor, adapter.architecture].filter(Boolean).join(' ') || 'unknown adapter';
  const software = adapter.isFallback ? ' It is a software (fallback) adapter, so it is slow.' : '';
  const f16 = shaderF16 ? 'with shader-f16' : 'without shader-f16, so fp16 model variants are skipped';
  return { ep: 'webgpu', shaderF16, reason: `WebGPU on ${name}, ${f16}.${software}`, adapter };
}

/**
 * Variants this backend can run, best first (variantRefusal decides): on WebGPU fp16 only with shader-f16 (without
 * it fp16 shaders silently output zeros); on WASM any variant whose graphs fit its memory.
 */
export function usableVariants(manifest: ModelManifest, choice: BackendChoice): ModelVariant[] {
  const backend = { ep: choice.ep, adapterFeatures: choice.adapter.features, adapterLimits: choice.adapter.limits };
  const usable = manifest.variants.filter((v) => !variantRefusalFor(manifest.files, v, backend));
  const preference = choice.ep === 'webgpu' && choice.shaderF16 ? ['fp16', 'q4f16', 'fp32', 'int8'] : ['fp32', 'int8', 'fp16', 'q4f16'];
  return usable.sort((a, b) => preference.indexOf(a.dtype) - preference.indexOf(b.dtype));
}

export function chooseVariant(manifest: ModelManifest, choice: BackendChoice, requestedId?: string): ModelVariant {
  const usable = usableVariants(manifest, choice);
  const requested = requestedId ? usable.find((v) => v.id === requestedId) : undefined;
  const variant = requested ?? usable[0];
  if (!variant) {
    const needs = manifest.variants.map((v) => `${v.id} needs ${v.requires.join(', ') || 'nothing'}`).join('; ');
    throw new Error(`No variant of ${manifest.name} runs on this backend (${needs}).`);
  }
  return variant;
}
