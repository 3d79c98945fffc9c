// Every error a model download can end in, worded once: which file, what went wrong, what to do.
import { StudioError } from '../../shared/errors';

/** The writer discards a file that fails a check (never the files that verified), so fetching it again is enough. */
const DOWNLOAD_AGAIN =
  'The damaged file was discarded; press Resume (or Download) to fetch it again; files that verified are kept. If it happens again, the hub or mirror serves a damaged copy.';

function loadError(code: 'storage' | 'model-load', message: string, remedy: string): StudioError {
  return new StudioError({ code, stage: 'load', message, remedy });
}

export function checksumError(path: string): StudioError {
  return loadError('model-load', `Model file ${path} failed its checksum: the download was corrupted.`, DOWNLOAD_AGAIN);
}

/** A file without a manifest hash that differs from the first copy the hub served at the same revision. */
export function pinMismatchError(path: string): StudioError {
  return loadError(
    'model-load',
    `Model file ${path} differs from the copy this browser first verified from the hub at the same revision: the download was corrupted or the file was replaced.`,
    DOWNLOAD_AGAIN,
  );
}

export function htmlInsteadOfFileError(path: string, url: string): StudioError {
  return loadError(
    'model-load',
    `Model file ${path} came back as an HTML page, not the file (from ${url}): the server sent a sign-in, error or proxy page.`,
    'Check that the model repository is public and the hub or mirror URL is right, then download it again.',
  );
}

export function notOnnxError(path: string): StudioError {
  return loadError(
    'model-load',
    `Model file ${path} is not an ONNX model (its first bytes are not an ONNX ModelProto).`,
    'The manifest may point at the wrong file, or the mirror serves something else. Check the mirror, then delete the model and download it again.',
  );
}

export function notJsonError(path: string, detail: string): StudioError {
  return loadError('model-load', `Model file ${path} is not valid JSON (${detail}).`, DOWNLOAD_AGAIN);
}

export function sizeMismatchError(path: string, expected: number, actual: number): StudioError {
  return loadError(
    'model-load',
    `Model file ${path} is ${actual} bytes but the manifest says ${expected}: the file on the server is not the one the manifest describes.`,
    'The repository changed or the mirror is out of date; use a manifest pinned to the right revision, then delete the model and download it again.',
  );
}

/** A body without a declared size that outgrew what the file can be (the manifest's rough size, or a global cap). */
export function tooLargeError(path: string, maxBytes: number, received: number): StudioError {
  return loadError(
    'model-load',
    `Model file ${path} kept coming past ${maxBytes} bytes (${received} received), more than the manifest allows for it: the server sends something else.`,
    'Check the hub or mirror URL and the manifest, then press Resume.',
  );
}

export function notFoundError(path: string, url: string): StudioError {
  return loadError(
    'model-load',
    `Model file ${path} was not found at ${url} (HTTP 404).`,
    'The repository or revision may have moved, or the mirror lacks the file. Check the manifest and the mirror setting.',
  );
}

export function httpError(path: string, url: string, status: number): StudioError {
  const remedy =
    status === 401 || status === 403
      ? 'The repository may be gated or private; the studio only downloads public models.'
      : 'The server had a problem; resume the download later.';
  return loadError('model-load', `Model file ${path} could not be downloaded from ${url} (HTTP ${status}).`, remedy);
}

export function networkError(path: string, attempts: number, cause: unknown): StudioError {
  const status = cause instanceof RetryableDownloadError ? cause.status : undefined;
  if (status === 429) {
    return loadError(
      'storage',
      `Model file ${path} could not be downloaded: the server answered HTTP 429 (too many requests) ${attempts} times.`,
      'The hub is limiting downloads: wait a few minutes, then press Resume; the parts already downloaded are kept.',
    );
  }
  if (status !== undefined) {
    return loadError(
      'storage',
      `Model file ${path} could not be downloaded: the server answered HTTP ${status} (a server error) ${attempts} times.`,
      'The hub or mirror has a problem: press Resume later; the parts already downloaded are kept.',
    );
  }
  return loadError(
    'storage',
    `Model file ${path} could not be downloaded: the connection failed ${attempts} times (${cause instanceof Error ? cause.message : String(cause)}).`,
    'Check the network, then press Resume: the parts already downloaded are kept.',
  );
}

export function pausedError(modelName: string): StudioError {
  return new StudioError({
    code: 'cancelled',
    stage: 'load',
    message: `Download of ${modelName} paused.`,
    remedy: 'Resume to continue where it stopped.',
  });
}

export function notInstalledError(modelId: string, path: string, why: string): StudioError {
  return loadError(
    'storage',
    `Model file ${path} of ${modelId} is not usable: ${why}.`,
    'Download the model again from the model library.',
  );
}

/** A failure worth another attempt from where the stored bytes end: a dropped connection, a 5xx, a short body. */
export class RetryableDownloadError extends Error {
  override name = 'RetryableDownloadError';
  /** The HTTP status that caused it (429, 5xx), when a server answered. */
  readonly status?: number;
  /** How long the server asked to wait (Retry-After). */
  readonly retryAfterMs?: number;

  constructor(message: string, details: { status?: number; retryAfterMs?: number } = {}) {
    super(message);
    this.status = details.status;
    this.retryAfterMs = details.retryAfterMs;
  }
}

export function isAbort(error: unknown, signal?: AbortSignal): boolean {
  return Boolean(signal?.aborted) || (typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'AbortError');
}
