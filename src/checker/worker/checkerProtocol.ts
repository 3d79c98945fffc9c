// The typed messages between the UI thread and the checker worker (requests carry ids; errors cross as WireError).
import type { WireError } from '../../shared/errors';
import type { HubHosts } from '../../storage/libraryManifest';
import type { CheckerModelId } from '../checkerModels';
import type { QuestionScore } from '../checkerTypes';

export type CheckerDevicePreference = 'auto' | 'webgpu' | 'wasm';

export interface CheckerInfo {
  modelId: CheckerModelId;
  label: string;
  kind: 'rules' | 'vlm';
  device: 'webgpu' | 'wasm' | 'cpu' | 'none';
  variant: string | null;
  /** The answer tokens a VLM's P(Yes) compares (ids in its tokenizer). */
  answerTokens: { yes: number; no: number } | null;
  randomWeights: boolean;
  loadMs: number;
}

export type CheckerRequest =
  /** Which of the model's files are in the store (read from the store only). */
  | { type: 'status'; id: number; modelId: CheckerModelId; hosts: HubHosts; device: CheckerDevicePreference }
  | { type: 'install'; id: number; modelId: CheckerModelId; hosts: HubHosts; device: CheckerDevicePreference; appBaseUrl: string }
  | { type: 'load'; id: number; modelId: CheckerModelId; hosts: HubHosts; device: CheckerDevicePreference }
  | { type: 'score'; id: number; png: Uint8Array; questions: string[] }
  | { type: 'cancel'; id: number; targetId: number };

export type CheckerResponse =
  | { type: 'progress'; id: number; done: number; total: number; label: string; loadedBytes?: number; totalBytes?: number }
  | { type: 'status'; id: number; installed: boolean; missing: string[]; variant: string | null }
  | { type: 'installed'; id: number; files: string[]; copiedBytes: number }
  | { type: 'loaded'; id: number; info: CheckerInfo }
  | { type: 'scores'; id: number; scores: QuestionScore[]; ms: number }
  | { type: 'error'; id: number; error: WireError };
