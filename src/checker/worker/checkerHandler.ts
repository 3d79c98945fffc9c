// The checker worker's request handler (testable without a Worker): install, load, score, cancel.
import { StudioError } from '../../shared/errors';
import type { ModelStore } from '../../storage/modelStore';
import { checkerScoreError } from '../checkerErrors';
import { checkerModel, chooseVlmVariant, type CheckerModelManifest, type VlmVariant } from '../checkerModels';
import type { Checker } from '../checkerTypes';
import { checkerImageFromPng } from '../pngImage';
import { PROGRAMMATIC_CHECKERS } from '../programmaticCheckers';
import { installCheckerModel, missingCheckerFiles } from '../vlm/installCheckerModel';
import { loadVlmChecker, type VlmDevice } from '../vlm/loadVlm';
import { VlmChecker } from '../vlm/vlmChecker';
import type { CheckerDevicePreference, CheckerInfo, CheckerRequest, CheckerResponse } from './checkerProtocol';

export interface CheckerHandlerDeps {
  store: () => ModelStore;
  /** The WebGPU adapter's features, or null when there is no adapter. */
  adapterFeatures: () => Promise<string[] | null>;
  wasmPaths?: { wasm: string; mjs: string };
  /** Forces a device (Node tests run transformers.js on 'cpu'). */
  device?: VlmDevice;
}

function unknownModel(id: string): StudioError {
  return new StudioError({ code: 'model-load', stage: 'load', message: `Checker: there is no checker model "${id}".`, remedy: 'Choose a model from the list.' });
}

export function createCheckerHandler(post: (message: CheckerResponse, transfer?: Transferable[]) => void, deps: CheckerHandlerDeps) {
  let checker: Checker | null = null;
  let info: CheckerInfo | null = null;
  const running = new Map<number, AbortController>();

  async function placement(model: CheckerModelManifest, preference: CheckerDevicePreference): Promise<{ device: VlmDevice; variant: VlmVariant | undefined }> {
    const features = deps.device || preference === 'wasm' ? null : await deps.adapterFeatures();
    const device: VlmDevice = deps.device ?? (features ? 'webgpu' : 'wasm');
    return { device, variant: chooseVlmVariant(model, features ?? []) };
  }

  function requireVariant(model: CheckerModelManifest, variant: VlmVariant | undefined): VlmVariant {
    if (variant) return variant;
    throw new StudioError({ code: 'model-load', stage: 'load', message: `Checker: ${model.name} has no variant this device can run.`, remedy: 'Choose another checker model.' });
  }

  async function load(id: number, modelId: string, request: Extract<CheckerRequest, { type: 'load' }>, signal: AbortSignal): Promise<CheckerInfo> {
    const model = checkerModel(modelId);
    if (!model) throw unknownModel(modelId);
    if (info?.modelId === model.id && checker) return info;
    await checker?.dispose?.();
    checker = null;
    info = null;
    const started = performance.now();
    const programmatic = PROGRAMMATIC_CHECKERS[model.id];
    if (model.kind === 'rules' && programmatic) {
      checker = programmatic();
      info = { modelId: model.id, label: model.name, kind: 'rules', device: 'none', variant: null, answerTokens: null, randomWeights: false, loadMs: 0 };
      return info;
    }
    const { device, variant } = await placement(model, request.device);
    const vlm = await loadVlmChecker({
      store: deps.store(), hosts: request.hosts, model, variant: requireVariant(model, variant), device, wasmPaths: deps.wasmPaths, signal,
      onProgress: (p) => post({ type: 'progress', id, ...p }),
    });
    checker = vlm;
    info = {
      modelId: model.id, label: model.name, kind: 'vlm', device, variant: variant?.id ?? null,
      answerTokens: vlm instanceof VlmChecker ? vlm.answerTokens : null, randomWeights: Boolean(model.randomWeights), loadMs: performance.now() - started,
    };
    return info;
  }

  async function handle(request: CheckerRequest): Promise<void> {
    if (request.type === 'cancel') {
      running.get(request.targetId)?.abort();
      return;
    }
    const controller = new AbortController();
    running.set(request.id, controller);
    const { id } = request;
    try {
      switch (request.type) {
        case 'status': {
          const model = checkerModel(request.modelId);
          if (!model) throw unknownModel(request.modelId);
          if (model.kind === 'rules') {
            post({ type: 'status', id, installed: true, missing: [], variant: null });
            break;
          }
          const { variant } = await placement(model, request.device);
          const missing = variant ? await missingCheckerFiles({ store: deps.store(), model, variant, hosts: request.hosts }) : ['(no runnable variant)'];
          post({ type: 'status', id, installed: model.runnable && missing.length === 0, missing, variant: variant?.id ?? null });
          break;
        }
        case 'install': {
          const model = checkerModel(request.modelId);
          if (!model) throw unknownModel(request.modelId);
          const { variant } = await placement(model, request.device);
          const result = await installCheckerModel({
            store: deps.store(), model, variant: requireVariant(model, variant), hosts: request.hosts, appBaseUrl: request.appBaseUrl, signal: controller.signal,
            onProgress: (p) => post({ type: 'progress', id, ...p }),
          });
          post({ type: 'installed', id, ...result });
          break;
        }
        case 'load':
          post({ type: 'loaded', id, info: await load(id, request.modelId, request, controller.signal) });
          break;
        case 'score': {
          if (!checker) throw new StudioError({ code: 'internal', stage: 'worker', message: 'Checker: no checker model is loaded.', remedy: 'Choose a checker model, then score again.' });
          const started = performance.now();
          const scores = await checker.score(checkerImageFromPng(request.png), request.questions, {
            signal: controller.signal,
            onProgress: (p) => post({ type: 'progress', id, ...p }),
          });
          post({ type: 'scores', id, scores, ms: performance.now() - started });
          break;
        }
      }
    } catch (error) {
      post({ type: 'error', id, error: checkerScoreError(request.type, error).toWire() });
    } finally {
      running.delete(id);
    }
  }

  return handle;
}
