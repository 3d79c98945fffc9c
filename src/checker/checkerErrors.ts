// The checker's errors: each names its stage (install, load, score), the cause and a remedy.
import { StudioError } from '../shared/errors';

export function cancelledScoring(): StudioError {
  return new StudioError({ code: 'cancelled', stage: 'worker', message: 'Checker: scoring cancelled.', remedy: '' });
}

export function checkerLoadError(modelName: string, cause: unknown): StudioError {
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new StudioError({
    code: 'model-load',
    stage: 'load',
    message: `Checker: loading ${modelName} failed: ${detail}`,
    remedy:
      'Install the checker model again from the checker panel (it re-checks every file); if it still fails, choose the WASM backend or another checker.',
  });
}

export function checkerNotInstalledError(modelName: string, missing: string[]): StudioError {
  return new StudioError({
    code: 'model-load',
    stage: 'load',
    message: `Checker: ${modelName} is not installed in the model store (missing ${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ', …' : ''}).`,
    remedy: 'Press Install in the checker panel while online; afterwards it works offline.',
  });
}

export function checkerNotRunnableError(modelName: string, reason: string): StudioError {
  return new StudioError({
    code: 'model-load',
    stage: 'load',
    message: `Checker: ${modelName} cannot run in this build: ${reason}`,
    remedy: 'Choose SmolVLM-256M or the colour & region rules.',
  });
}

export function checkerScoreError(stage: string, cause: unknown): StudioError {
  if (cause instanceof StudioError) return cause;
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new StudioError({
    code: 'internal',
    stage: 'worker',
    message: `Checker: ${stage} failed: ${detail}`,
    remedy: 'Score again; if it repeats, reload the page or choose another checker model.',
  });
}

export function answerTokenError(answer: string, tokens: number[]): StudioError {
  return new StudioError({
    code: 'model-load',
    stage: 'tokenize',
    message: `Checker: the answer "${answer.trim()}" is ${tokens.length === 0 ? 'no token' : `${tokens.length} tokens (${tokens.join(', ')})`} after the chat template, so its next-token probability is not one logit.`,
    remedy: 'This checker model needs single-token Yes/No answers; choose another checker model.',
  });
}
