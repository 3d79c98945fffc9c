// Installs a model from the hub (or mirror) into the store: verified, resumable, two files at a time, with progress.
import { StudioError } from '../../shared/errors';
import { DEFAULT_HUB_HOSTS, fileOnHub, resolveFileUrl, type HubHosts, type LibraryFile, type LibraryManifest } from '../libraryManifest';
import type { ModelStore } from '../modelStore';
import { isQuotaExceeded, quotaExceededError, storageUsage, type StorageUsage } from '../storageQuota';
import { summarizeModel, type InstalledModelSummary } from '../storedModels';
import { downloadFile } from './downloadFile';
import { isAbort, pausedError } from './downloadErrors';
import { ProgressTracker, type DownloadProgress } from './downloadProgress';
import { checkOrSetPin, pinKeyForResponse } from './filePins';
import { planInstall } from './installPlan';
import { filesForVariants } from './installRecords';

/** Files downloaded at once: the issue asks for a small limit; two keep the line busy while one file verifies. */
export const MAX_PARALLEL_FILES = 2;
/** Bytes per stored chunk: far under IndexedDB's ~127 MiB value limit, and the most a crash or reload can lose. */
export const DEFAULT_CHUNK_BYTES = 16 * 1024 * 1024;
/** Small files are stored in at least this many chunks, so an interruption loses at most this fraction of one. */
export const MIN_CHUNKS_PER_FILE = 8;
/** Below this, more chunks only add IndexedDB transactions. */
export const MIN_CHUNK_BYTES = 256 * 1024;

/** Chunk size for a file: DEFAULT_CHUNK_BYTES for big files (and unknown sizes), an eighth of a small one. */
export function chunkBytesFor(size: number | undefined): number {
  if (size === undefined) return DEFAULT_CHUNK_BYTES;
  return Math.min(DEFAULT_CHUNK_BYTES, Math.max(MIN_CHUNK_BYTES, Math.ceil(size / MIN_CHUNKS_PER_FILE)));
}

/** Tries per file before a dropped connection becomes an error (each resumes from the stored bytes). */
export const DOWNLOAD_ATTEMPTS = 4;
/** First wait before a retry; it doubles each time. */
export const RETRY_DELAY_MS = 1000;
/** A response that sends nothing for this long is abandoned and retried (a hung server or proxy). */
export const IDLE_TIMEOUT_MS = 30_000;
/** The most a file without a size (in the manifest or from the server) may have: the largest SD export is ~7 GB. */
export const MAX_UNSIZED_FILE_BYTES = 8 * 1024 ** 3;

/** The bound for a file of unknown size: twice the manifest's rough size (plus 1 MiB), else the global cap. */
export function maxBytesFor(file: LibraryFile | undefined): number {
  return file?.approxSize !== undefined ? 2 * file.approxSize + 1024 * 1024 : MAX_UNSIZED_FILE_BYTES;
}

/** Progress callbacks at most this often (bytes arrive in ~64 KiB reads, far more often than a UI repaints). */
export const PROGRESS_INTERVAL_MS = 100;

export interface DownloadModelOptions {
  store: ModelStore;
  manifest: LibraryManifest;
  /** Variants to install (their graphs plus the shared files); default every variant. */
  variantIds?: string[];
  hosts?: HubHosts;
  /** Abort to pause; call downloadModel again to resume from the stored bytes. */
  signal?: AbortSignal;
  onProgress?: (progress: DownloadProgress) => void;
  fetchFn?: typeof fetch;
  chunkBytes?: number;
  parallelFiles?: number;
  attempts?: number;
  retryDelayMs?: number;
  idleTimeoutMs?: number;
  /** Space left, for the quota check and message; default navigator.storage.estimate(). */
  storageUsage?: () => Promise<StorageUsage>;
  now?: () => number;
}

/** Resolves when every file is verified (the model is ready); rejects with a StudioError otherwise. */
export async function downloadModel(options: DownloadModelOptions): Promise<InstalledModelSummary> {
  const { store, manifest } = options;
  const hosts = options.hosts ?? DEFAULT_HUB_HOSTS;
  const usage = options.storageUsage ?? storageUsage;
  const variantIds = options.variantIds ?? manifest.variants.map((v) => v.id);
  const files = filesForVariants(manifest, variantIds);
  const urls = new Map(files.map((f) => [f.path, resolveFileUrl(manifest, f, hosts)])); // refuses foreign hosts before anything is stored

  const plan = await planInstall(store, manifest, variantIds);
  const records = plan.records;
  const byPath = new Map(files.map((f) => [f.path, f]));

  const remaining = (loaded: number, total: number | undefined) => (total === undefined ? undefined : Math.max(0, total - loaded));
  const tracker = new ProgressTracker(
    manifest.id,
    records.map((r) => ({ path: r.path, total: r.expectedSize })),
    options.now,
  );
  for (const r of records) tracker.update(r.path, { loaded: r.storedBytes, state: r.verified ? 'verified' : 'queued' });
  const before = tracker.snapshot();
  const needed = remaining(before.loaded, before.total);
  const room = await usage();
  if (needed !== undefined && room.free !== undefined && needed > room.free) throw quotaExceededError(manifest.name, needed, room);

  let lastEmit = -Infinity;
  const emit = (force = false) => {
    const time = (options.now ?? Date.now)();
    if (!options.onProgress || (!force && time - lastEmit < PROGRESS_INTERVAL_MS)) return;
    lastEmit = time;
    options.onProgress(tracker.snapshot());
  };
  emit(true);

  // One controller for all files: the first failure (or a pause) stops the others.
  const stopAll = new AbortController();
  const onOuterAbort = () => stopAll.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onOuterAbort, { once: true });
  if (options.signal?.aborted) stopAll.abort(options.signal.reason);
  let firstError: unknown;
  const queue = records.filter((r) => !r.verified);

  const worker = async () => {
    for (let record = queue.shift(); record && !stopAll.signal.aborted; record = queue.shift()) {
      const path = record.path;
      tracker.update(path, { state: 'downloading' });
      const file = byPath.get(path);
      const hub = file ? fileOnHub(manifest, file) : undefined;
      try {
        const verified = await downloadFile({
          store,
          record,
          url: urls.get(path) ?? '',
          fetchFn: options.fetchFn ?? ((input, init) => fetch(input, init)),
          signal: stopAll.signal,
          chunkBytes: options.chunkBytes ?? chunkBytesFor(record.expectedSize),
          attempts: options.attempts ?? DOWNLOAD_ATTEMPTS,
          retryDelayMs: options.retryDelayMs ?? RETRY_DELAY_MS,
          idleTimeoutMs: options.idleTimeoutMs ?? IDLE_TIMEOUT_MS,
          maxBytes: maxBytesFor(file),
          onBytes: (position, received) => {
            tracker.update(path, { loaded: position });
            if (received > 0) tracker.addReceived(received);
            emit();
          },
          onSize: (size) => tracker.update(path, { total: size }),
          // Only files the manifest has no hash for are pinned, by the hub's answer (never a mirror's).
          pinKeyFor: (url, response) => (file?.sha256 === undefined && hub ? pinKeyForResponse(url, response, hosts, hub) : undefined),
        });
        await checkOrSetPin(store, verified);
        tracker.update(path, { loaded: verified.storedBytes, total: verified.storedBytes, state: 'verified' });
        emit(true);
      } catch (error) {
        tracker.update(path, { state: 'failed' });
        firstError ??= error;
        stopAll.abort(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.parallelFiles ?? MAX_PARALLEL_FILES) }, worker));
  options.signal?.removeEventListener('abort', onOuterAbort);
  emit(true);

  if (firstError !== undefined || options.signal?.aborted) {
    if (options.signal?.aborted && (firstError === undefined || isAbort(firstError))) throw pausedError(manifest.name);
    if (isQuotaExceeded(firstError)) {
      const now = tracker.snapshot();
      throw quotaExceededError(manifest.name, remaining(now.loaded, now.total), await usage());
    }
    throw StudioError.from(firstError, 'load', 'Resume the download; if it fails again, delete the model and download it again.');
  }
  await plan.complete();
  const installed = await store.getModel(manifest.id);
  if (!installed) throw StudioError.from(new Error(`${manifest.name} was deleted while it installed.`), 'load', 'Download it again.');
  return summarizeModel(store, installed);
}
