// Typed errors that cross the worker boundary as plain objects and name stage, cause and remedy.

export type ErrorCode =
  | 'cancelled'
  | 'invalid-settings'
  | 'backend-unavailable'
  | 'device-lost'
  | 'model-load'
  | 'bad-output'
  | 'storage'
  | 'timeout'
  | 'worker-crashed'
  /** The engine must start afresh (ORT cannot switch WebAssembly builds in one worker); its client does so. */
  | 'engine-restart'
  | 'internal';

export type Stage = 'settings' | 'backend' | 'load' | 'tokenize' | 'text-encoder' | 'denoise' | 'vae' | 'gallery' | 'worker';

export interface WireError {
  name: 'StudioError';
  code: ErrorCode;
  stage: Stage;
  message: string;
  remedy: string;
}

export class StudioError extends Error {
  readonly code: ErrorCode;
  readonly stage: Stage;
  readonly remedy: string;

  constructor(init: { code: ErrorCode; stage: Stage; message: string; remedy?: string }) {
    super(init.message);
    this.name = 'StudioError';
    this.code = init.code;
    this.stage = init.stage;
    this.remedy = init.remedy ?? '';
  }

  toWire(): WireError {
    return { name: 'StudioError', code: this.code, stage: this.stage, message: this.message, remedy: this.remedy };
  }

  static fromWire(wire: WireError): StudioError {
    return new StudioError(wire);
  }

  /** Wraps anything thrown into a StudioError so the UI always has a stage and a remedy. */
  static from(error: unknown, stage: Stage, remedy = 'Try again; if it repeats, reload the page.'): StudioError {
    if (error instanceof StudioError) return error;
    const message = error instanceof Error ? error.message : String(error);
    return new StudioError({ code: 'internal', stage, message, remedy });
  }
}

export function cancelledError(stage: Stage): StudioError {
  return new StudioError({ code: 'cancelled', stage, message: 'Generation cancelled.', remedy: '' });
}

/** The one sentence the UI shows for an error. */
export function describeError(error: { stage: Stage; message: string; remedy: string }): string {
  return `${error.stage}: ${error.message}${error.remedy ? ` ${error.remedy}` : ''}`;
}
