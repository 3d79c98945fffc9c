// The model store's contract: installed models, per-file records, file bytes in chunks, and sha256 pins.
import type { PatchReport } from '../core/onnx/patchDenoiser';
import type { LibraryManifest } from './libraryManifest';

/**
 * What installing did to a denoiser graph (patchInstalledDenoisers): patched for attention control, the stored
 * bytes being the patched graph; or refused by the patcher, the stored bytes being the hub's, MaskDiffusion off.
 */
export type StoredAttentionPatch =
  | {
      state: 'patched';
      report: PatchReport;
      originalSize: number;
      originalSha256: string;
      /**
       * Where the patched graph is stored when it is kept beside the original (installs since issue 11): a small file
       * whose weights point into the original (ONNX external data), which stays as downloaded for the fallback.
       * Absent for older installs, whose stored bytes are the patched graph itself.
       */
      graphPath?: string;
    }
  | { state: 'unpatchable'; reason: string };

/**
 * One file of an installed model. Its bytes are chunks 0..chunkCount-1 (each its own entry, because one
 * ArrayBuffer over ~127 MiB fails in IndexedDB; in OPFS each its own file), adding up to storedBytes.
 */
export interface StoredFileRecord {
  modelId: string;
  path: string;
  /** From the manifest or a pin; undefined until the first verified download. */
  expectedSize?: number;
  expectedSha256?: string;
  /** The sha256 was pinned by this browser's first verified download, not given by the manifest. */
  sha256PinnedHere?: boolean;
  storedBytes: number;
  chunkCount: number;
  /** Size and sha256 checked and (for .onnx and .json) content sniffed. */
  verified: boolean;
  /** The server's ETag for the bytes stored so far, so a resume can ask for the same version (If-Range). */
  etag?: string;
  /** The file's identity on the hub, "owner/name@revision/path" (see hubFileKey), whichever host served it. */
  source?: string;
  /** The pin this download answers to (filePins.ts): the hub host and the revision it resolved to; unset for mirrors and imports. */
  pinKey?: string;
  /**
   * Set on denoiser graphs once installed. When 'patched', expectedSize/expectedSha256 describe the stored
   * (patched) bytes and originalSha256 the hub's file, which a later download is compared with.
   */
  attentionPatch?: StoredAttentionPatch;
}

export interface InstalledModelRecord {
  id: string;
  name: string;
  /**
   * The manifest as installed; sizes and hashes pinned later live in the file records. Absent for a group
   * of hub files that transformers.js asked for (hubFileCache.ts): tokenizers, the checker VLM.
   */
  manifest?: LibraryManifest;
  variantIds: string[];
  /** The paths that must all be verified before the model is usable. */
  files: string[];
  createdAt: number;
  /**
   * An update being installed (a changed manifest): its files go to the staging area (stagingModelId) and
   * replace the installed ones only once all verified (promoteStaged); until then `manifest` stays the one in use.
   */
  pendingUpdate?: { manifest: LibraryManifest; variantIds: string[] };
}

/** A sha256 and size first verified here, kept across model deletes so a re-download is held to it. */
export interface FilePin {
  size: number;
  sha256: string;
  pinnedAt: number;
}

/** A file's identity on the hub, "owner/name@revision/path": the key of its pin and its record's `source`. */
export function hubFileKey(repo: string, revision: string, path: string): string {
  return `${repo}@${revision}/${path}`;
}

/** Key of a pin: the file's identity on the hub, not the model id, so every model sharing the file shares the pin. */
export const pinKey = hubFileKey;

/** One chunk file opened for synchronous reads (see ModelStore.openChunks). */
export interface ChunkReader {
  readonly size: number;
  /** Reads the whole chunk into `into` (at least `size` long) and returns the bytes read. */
  readInto(into: Uint8Array): number;
  close(): void;
}

/**
 * Storage primitives. Everything above them (chunking, hashing, readiness, reading whole files) is shared
 * code in storedModels.ts and download/, so the IndexedDB and in-memory stores behave the same.
 */
export interface ModelStore {
  getModel(id: string): Promise<InstalledModelRecord | undefined>;
  listModels(): Promise<InstalledModelRecord[]>;
  putModel(model: InstalledModelRecord): Promise<void>;

  getFile(modelId: string, path: string): Promise<StoredFileRecord | undefined>;
  listFiles(modelId: string): Promise<StoredFileRecord[]>;
  putFile(record: StoredFileRecord): Promise<void>;

  /**
   * Stores chunk `index` of a file and the record that counts it in one transaction, so a crash never
   * leaves bytes the record does not count or a record counting bytes that are missing.
   * May reject with a QuotaExceededError DOMException; then nothing of this call is stored.
   * `bytes` is the caller's again once the promise settles (StoredFileWriter reuses it): copy, never keep it.
   */
  commitChunk(record: StoredFileRecord, index: number, bytes: Uint8Array<ArrayBuffer>): Promise<void>;
  getChunk(modelId: string, path: string, index: number): Promise<Blob | undefined>;
  /**
   * Optional: opens chunks first..first+count-1 of a file for synchronous reads, all at once (OPFS sync access
   * handles), so a file is read with a few rounds of opens rather than several awaits per chunk; undefined where
   * this store cannot (no sync access here, a chunk missing or held elsewhere): then getChunk's Blobs are read.
   * The caller closes every reader.
   */
  openChunks?(modelId: string, path: string, first: number, count: number): Promise<ChunkReader[] | undefined>;
  /** Drops a file's chunks and stores `record` (normally emptied) in their place. */
  resetFile(record: StoredFileRecord): Promise<void>;

  /**
   * Puts the chunks of file `fromPath` under `record.path` (same model) with `record`, dropping what was
   * stored there and the `fromPath` record, in one transaction: readers see the old file or the new, never a mix.
   */
  moveFile(fromPath: string, record: StoredFileRecord): Promise<void>;

  /** Removes the model, its file records and all their chunks. Pins stay. */
  deleteModel(id: string): Promise<void>;

  /**
   * In one transaction: moves every file of `stagingModelId` (records and chunks) over the same path of
   * `model.id`, drops the model's files not in `model.files`, and stores `model`. Readers see the installed
   * model before or after, never a mix.
   */
  promoteStaged(stagingModelId: string, model: InstalledModelRecord): Promise<void>;

  getPin(key: string): Promise<FilePin | undefined>;
  putPin(key: string, pin: FilePin): Promise<void>;
  deletePin(key: string): Promise<void>;
}
