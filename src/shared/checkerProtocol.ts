// The checker worker's API (request->reply map for shared/rpc.ts) and the types its messages carry.
import type { HubHostsSetting } from './protocol';
import type { Method } from './rpc';

export type CheckerModelId = 'rules' | 'tiny-smolvlm-random' | 'smolvlm-256m-instruct' | 'janus-pro-1b';

export type CheckerDevicePreference = 'auto' | 'webgpu' | 'wasm';

/** How a VLM's answer was read: the next-token logits of the two answer tokens, so anyone can recompute P(Yes). */
export interface AnswerEvidence {
  yesTokenId: number;
  noTokenId: number;
  logitYes: number;
  logitNo: number;
}

export interface QuestionScore {
  question: string;
  /** P(Yes) / (P(Yes) + P(No)): a model's estimate, not a measurement. */
  pYes: number;
  evidence?: AnswerEvidence;
  /** Why a checker could not really answer (e.g. the rules do not understand the question). */
  note?: string;
}

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

/** Files copied, sessions loaded or questions answered so far. */
export interface CheckerProgress {
  done: number;
  total: number;
  label: string;
  loadedBytes?: number;
  totalBytes?: number;
}

interface ModelChoice {
  modelId: CheckerModelId;
  hosts: HubHostsSetting;
  device: CheckerDevicePreference;
}

/** The checker worker's methods (see shared/rpc.ts); install, load and score can be cancelled. */
export type CheckerApi = {
  /** Which of the model's files are in the store (read from the store only). */
  status: Method<ModelChoice, { installed: boolean; missing: string[]; variant: string | null }>;
  install: Method<ModelChoice & { appBaseUrl: string }, { files: string[]; copiedBytes: number }, CheckerProgress>;
  load: Method<ModelChoice, CheckerInfo, CheckerProgress>;
  /** Scores PNG bytes (copied: the caller keeps its Blob). */
  score: Method<{ png: Uint8Array; questions: string[] }, { scores: QuestionScore[]; ms: number }, CheckerProgress>;
};
