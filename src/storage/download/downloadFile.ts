// Downloads one model file into the store, resuming with HTTP Range from the bytes already stored.
import { assertAllowedFinalUrl } from '../libraryManifest';
import type { ModelStore, StoredFileRecord } from '../modelStore';
import { isHtmlContentType } from './contentSniffing';
import {
  RetryableDownloadError,
  htmlInsteadOfFileError,
  httpError,
  isAbort,
  networkError,
  notFoundError,
  sizeMismatchError,
  tooLargeError,
} from './downloadErrors';
import { StoredFileWriter } from './storedFileWriter';

export interface FileDownloadOptions {
  store: ModelStore;
  /** The file's record (created by downloadModel with the expected size and sha256). */
  record: StoredFileRecord;
  url: string;
  fetchFn: typeof fetch;
  signal: AbortSignal;
  chunkBytes: number;
  /** Attempts per file; each resumes where the stored bytes end. */
  attempts: number;
  retryDelayMs: number;
  /** Called as bytes arrive: the file's position, and how many bytes just came over the network. */
  onBytes(position: number, received: number): void;
  /** The server said how big the file is. */
  onSize(size: number): void;
  /** The most bytes the file may have when neither the manifest nor the server says its size. */
  maxBytes: number;
  /** A response that sends nothing for this long is abandoned (and retried). */
  idleTimeoutMs: number;
  /** The pin a response answers to (filePins.ts), stored with the file's record; undefined: no pin. */
  pinKeyFor?: (url: string, response: Response) => string | undefined;
}

/** Returns the verified record; throws a StudioError naming the file (or the raw error if aborted/quota). */
export async function downloadFile(options: FileDownloadOptions): Promise<StoredFileRecord> {
  const { store, record, url } = options;
  if (record.verified) return record;
  return StoredFileWriter.using(store, record, { chunkBytes: options.chunkBytes, origin: url }, (writer) => downloadInto(writer, options));
}

async function downloadInto(writer: StoredFileWriter, options: FileDownloadOptions): Promise<StoredFileRecord> {
  const { record, signal } = options;
  options.onBytes(writer.position, 0);
  if (record.expectedSize !== undefined && writer.storedBytes === record.expectedSize) {
    return writer.finish(); // every byte is stored already (a crash came between the last chunk and verifying)
  }
  for (let attempt = 1; ; attempt++) {
    try {
      await fetchInto(writer, options);
      return await writer.finish();
    } catch (error) {
      writer.discardPending();
      options.onBytes(writer.position, 0);
      const retryable = error instanceof RetryableDownloadError || (error instanceof TypeError && !isAbort(error, signal));
      if (!retryable || isAbort(error, signal)) throw error;
      if (attempt >= options.attempts) throw networkError(record.path, attempt, error);
      // A server that says when to come back (429, 503 with Retry-After) is waited for, up to MAX_RETRY_AFTER_MS.
      const asked = error instanceof RetryableDownloadError ? error.retryAfterMs : undefined;
      await delay(asked ?? options.retryDelayMs * 2 ** (attempt - 1), signal);
    }
  }
}

async function fetchInto(writer: StoredFileWriter, options: FileDownloadOptions): Promise<void> {
  const { signal } = options;
  const resumeFrom = writer.storedBytes;
  const etag = writer.record.etag;
  const headers: Record<string, string> = {};
  if (resumeFrom > 0) {
    headers.Range = `bytes=${resumeFrom}-`;
    // If-Range needs a strong validator; with it a changed file comes back whole (200) instead of spliced.
    if (etag && !etag.startsWith('W/')) headers['If-Range'] = etag;
  }
  // One controller per request: the idle timer aborts this request only, the caller's signal everything.
  const request = new AbortController();
  const onAbort = () => request.abort(signal.reason);
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    await fetchWithIdleTimeout(writer, options, request, headers);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

async function fetchWithIdleTimeout(
  writer: StoredFileWriter,
  options: FileDownloadOptions,
  request: AbortController,
  headers: Record<string, string>,
): Promise<void> {
  const { url } = options;
  const path = writer.record.path;
  const resumeFrom = writer.storedBytes;
  const etag = writer.record.etag;
  let idle: ReturnType<typeof setTimeout> | undefined;
  let timedOut = false;
  const armIdleTimer = () => {
    clearTimeout(idle);
    idle = setTimeout(() => {
      timedOut = true;
      request.abort(new RetryableDownloadError(`the server sent nothing for ${duration(options.idleTimeoutMs)}`));
    }, options.idleTimeoutMs);
  };
  try {
    armIdleTimer();
    await receive();
  } catch (error) {
    if (timedOut) throw new RetryableDownloadError(`the server sent nothing for ${duration(options.idleTimeoutMs)}`);
    throw error;
  } finally {
    clearTimeout(idle);
  }

  async function receive(): Promise<void> {
    const signal = request.signal;
    // no-store: the bytes go to IndexedDB; a second copy in the HTTP cache would double the disk use.
    const response = await options.fetchFn(url, { headers, signal, cache: 'no-store' });
    armIdleTimer();
    try {
      assertAllowedFinalUrl(url, response); // before a byte of the body is stored
    } catch (error) {
      await response.body?.cancel();
      throw error;
    }

    if (response.status === 404) throw notFoundError(path, url);
    if (response.status === 416) {
      // "bytes */N" with N the bytes stored: a crash came after the last byte, before verifying. Verify what is stored.
      const total = /^bytes \*\/(\d+)$/i.exec(response.headers.get('content-range')?.trim() ?? '')?.[1];
      if (resumeFrom > 0 && Number(total) === resumeFrom) return;
      await writer.restart(); // the stored bytes do not fit the file on the server: start over
      throw new RetryableDownloadError(`the server refused the range from byte ${resumeFrom}`);
    }
    if (response.status >= 500 || response.status === 429) {
      await response.body?.cancel();
      throw new RetryableDownloadError(`HTTP ${response.status}`, {
        status: response.status,
        retryAfterMs: retryAfterMs(response.headers.get('retry-after')),
      });
    }
    if (!response.ok) throw httpError(path, url, response.status);
    if (isHtmlContentType(response.headers.get('content-type'))) {
      await response.body?.cancel();
      throw htmlInsteadOfFileError(path, url);
    }
    const responseEtag = response.headers.get('etag') ?? undefined;

    let start = 0;
    if (response.status === 206) {
      start = parseContentRangeStart(response.headers.get('content-range')) ?? -1;
      const changed = etag !== undefined && responseEtag !== undefined && responseEtag !== etag;
      if (start !== resumeFrom || changed) {
        await response.body?.cancel();
        await writer.restart(); // a different part or a different version: splicing it would corrupt the file
        throw new RetryableDownloadError('the server answered a different range or version');
      }
    } else if (resumeFrom > 0) {
      await writer.restart(); // 200 to a Range request: the server ignored it (or the file changed); use this full body
    }
    writer.setEtag(responseEtag);
    writer.setPinKey(options.pinKeyFor?.(url, response));

    const declaredSize = declaredTotal(response, start);
    if (declaredSize !== undefined) {
      options.onSize(declaredSize);
      const expected = writer.record.expectedSize;
      if (expected !== undefined && declaredSize !== expected) {
        await response.body?.cancel();
        throw sizeMismatchError(path, expected, declaredSize);
      }
    }
    if (!response.body) throw new RetryableDownloadError('the response had no body');

    const reader = response.body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        armIdleTimer();
        await writer.write(value);
        // Without a size from the manifest or the server, the manifest's rough size (or a global cap) bounds the body.
        if (writer.record.expectedSize === undefined && declaredSize === undefined && writer.position > options.maxBytes) {
          const received = writer.position;
          await writer.restart();
          throw tooLargeError(path, options.maxBytes, received);
        }
        options.onBytes(writer.position, value.length);
      }
    } finally {
      reader.releaseLock();
    }
    if (declaredSize !== undefined && writer.position < declaredSize) {
      throw new RetryableDownloadError(`the connection closed after ${writer.position} of ${declaredSize} bytes`);
    }
  }
}

function duration(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${ms} ms`;
}

/** The longest Retry-After honoured; a longer wait is better spent paused (the error says to resume later). */
export const MAX_RETRY_AFTER_MS = 60_000;

/** Retry-After in seconds or as an HTTP date -> milliseconds, at most MAX_RETRY_AFTER_MS. */
function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = /^\d+$/.test(header.trim()) ? Number(header) : (Date.parse(header) - Date.now()) / 1000;
  return Number.isFinite(seconds) ? Math.min(MAX_RETRY_AFTER_MS, Math.max(0, seconds * 1000)) : undefined;
}

/** "bytes 100-199/1000" -> 100. */
function parseContentRangeStart(header: string | null): number | undefined {
  const match = header ? /^bytes\s+(\d+)-\d+\/(\d+|\*)$/i.exec(header.trim()) : null;
  return match ? Number(match[1]) : undefined;
}

/** The whole file's size: Content-Range's total for a 206, else Content-Length (+ the start). */
function declaredTotal(response: Response, start: number): number | undefined {
  const range = response.headers.get('content-range');
  const total = range ? /\/(\d+)$/.exec(range.trim())?.[1] : undefined;
  if (total !== undefined) return Number(total);
  // A compressed body's Content-Length counts compressed bytes, not the file's.
  if (response.headers.get('content-encoding')) return undefined;
  const length = response.headers.get('content-length');
  return length !== null ? start + Number(length) : undefined;
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((done, fail) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        fail(signal.reason);
      },
      { once: true },
    );
  });
}
