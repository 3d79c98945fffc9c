// The checker worker's handlers (testable without a Worker): status, install, load, score; cancelled through the RPC.
import type { CheckerApi, CheckerDevicePreference, CheckerInfo, CheckerModelId } from '../shared/checkerProtocol';
import { StudioError } from '../shared/errors';
import type { Handlers } from '../shared/rpc';
import type { ModelStore } from '../storage/modelStore';
import { checkerScoreError } from '../checker/checkerErrors';
import { checkerModel, chooseVlmVariant, type CheckerModelManifest, type VlmVariant } from '../checker/checkerModels';
import type { Checker } from '../checker/checkerTypes';
import { checkerImageFromPng } from '../checker/pngImage';
import { PROGRAMMATIC_CHECKERS } from '../checker/programmaticCheckers';
import { installCheckerModel, missingCheckerFiles } from '../checker/vlm/installCheckerModel';
import { loadVlmChecker, type VlmDevice } from '../checker/vlm/loadVlm';
import { VlmChecker } from '../checker/vlm/vlmChecker';

export interface CheckerHandlerDeps {
  store: () => ModelStore;
  /** The WebGPU adapter's features, or null when there is no adapter. */
  adapterFeatures: () => Promise<string[] | null>;
  wasmPaths?: { wasm: string; mjs: string };
  /** Forces a device (Node tests run transformers.js on 'cpu'). */
  device?: VlmDevice;
}

function unknownModel(id: string): StudioError {
  return new StudioError({
    code: 'model-load',
    stage: 'load',
    message: `Checker: there is no checker model "${id}".`,
    remedy: 'Choose a model from the list.',
  });
}

export function createCheckerHandlers(deps: CheckerHandlerDeps): Handlers<CheckerApi> {
  let checker: Checker | null = null;
  let info: CheckerInfo | null = null;

  async function placement(
    model: CheckerModelManifest,
    preference: CheckerDevicePreference,
  ): Promise<{ device: VlmDevice; variant: VlmVariant | undefined }> {
    const features = deps.device || preference === 'wasm' ? null : await deps.adapterFeatures();
    const device: VlmDevice = deps.device ?? (features ? 'webgpu' : 'wasm');
    return { device, variant: chooseVlmVariant(model, features ?? []) };
  }

  function requireVariant(model: CheckerModelManifest, variant: VlmVariant | undefined): VlmVariant {
    if (variant) return variant;
    throw new StudioError({
      code: 'model-load',
      stage: 'load',
      message: `Checker: ${model.name} has no variant this device can run.`,
      remedy: 'Choose another checker model.',
    });
  }

  function knownModel(id: CheckerModelId): CheckerModelManifest {
    const model = checkerModel(id);
    if (!model) throw unknownModel(id);
    return model;
  }

  return {
    async status({ modelId, hosts, device }) {
      const model = knownModel(modelId);
      if (model.kind === 'rules') return { installed: true, missing: [], variant: null };
      const { variant } = await placement(model, device);
      const missing = variant ? await missingCheckerFiles({ store: deps.store(), model, variant, hosts }) : ['(no runnable variant)'];
      return { installed: model.runnable && missing.length === 0, missing, variant: variant?.id ?? null };
    },

    async install({ modelId, hosts, device, appBaseUrl }, { signal, progress }) {
      const model = knownModel(modelId);
      const { variant } = await placement(model, device);
      return installCheckerModel({
        store: deps.store(),
        model,
        variant: requireVariant(model, variant),
        hosts,
        appBaseUrl,
        signal,
        onProgress: progress,
      });
    },

    async load({ modelId, hosts, device: preference }, { signal, progress }) {
      const model = knownModel(modelId);
      if (info?.modelId === model.id && checker) return info;
      await checker?.dispose?.();
      checker = null;
      info = null;
      const started = performance.now();
      const programmatic = PROGRAMMATIC_CHECKERS[model.id];
      if (model.kind === 'rules' && programmatic) {
        checker = programmatic();
        info = {
          modelId: model.id,
          label: model.name,
          kind: 'rules',
          device: 'none',
          variant: null,
          answerTokens: null,
          randomWeights: false,
          loadMs: 0,
        };
        return info;
      }
      const { device, variant } = await placement(model, preference);
      const vlm = await loadVlmChecker({
        store: deps.store(),
        hosts,
        model,
        variant: requireVariant(model, variant),
        device,
        wasmPaths: deps.wasmPaths,
        signal,
        onProgress: progress,
      });
      checker = vlm;
      info = {
        modelId: model.id,
        label: model.name,
        kind: 'vlm',
        device,
        variant: variant?.id ?? null,
        answerTokens: vlm instanceof VlmChecker ? vlm.answerTokens : null,
        randomWeights: Boolean(model.randomWeights),
        loadMs: performance.now() - started,
      };
      return info;
    },

    async score({ png, questions }, { signal, progress }) {
      if (!checker)
        throw new StudioError({
          code: 'internal',
          stage: 'worker',
          message: 'Checker: no checker model is loaded.',
          remedy: 'Choose a checker model, then score again.',
        });
      const started = performance.now();
      const scores = await checker.score(checkerImageFromPng(png), questions, { signal, onProgress: progress });
      return { scores, ms: performance.now() - started };
    },
  };
}

/** A checker failure names what failed (status, install, load, score) unless it already is a typed error. */
export const checkerError = (error: unknown, method: keyof CheckerApi): StudioError => checkerScoreError(method, error);
