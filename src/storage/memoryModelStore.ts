// In-memory ModelStore for tests and Node: same contract as the IndexedDB store, with an optional simulated quota.
import type { FilePin, InstalledModelRecord, ModelStore, StoredFileRecord } from './modelStore';

export interface MemoryModelStoreOptions {
  /** Chunk bytes past this total make commitChunk reject with a QuotaExceededError, as IndexedDB does. */
  quotaBytes?: number;
}

const fileKey = (modelId: string, path: string) => JSON.stringify([modelId, path]);
const chunkKey = (modelId: string, path: string, index: number) => JSON.stringify([modelId, path, index]);

export class MemoryModelStore implements ModelStore {
  private readonly models = new Map<string, InstalledModelRecord>();
  private readonly files = new Map<string, StoredFileRecord>();
  private readonly chunks = new Map<string, Blob>();
  private readonly pins = new Map<string, FilePin>();

  constructor(private readonly options: MemoryModelStoreOptions = {}) {
    this.options = { ...options };
  }

  /** Changes the simulated quota (undefined: unlimited), as freeing disk space would. */
  setQuotaBytes(quotaBytes: number | undefined): void {
    this.options.quotaBytes = quotaBytes;
  }

  /** Bytes held in chunks, across all models. */
  usedBytes(): number {
    let total = 0;
    for (const chunk of this.chunks.values()) total += chunk.size;
    return total;
  }

  async getModel(id: string) {
    return structuredClone(this.models.get(id));
  }

  async listModels() {
    return [...this.models.values()].map((m) => structuredClone(m));
  }

  async putModel(model: InstalledModelRecord) {
    this.models.set(model.id, structuredClone(model));
  }

  async getFile(modelId: string, path: string) {
    return structuredClone(this.files.get(fileKey(modelId, path)));
  }

  async listFiles(modelId: string) {
    return [...this.files.values()].filter((f) => f.modelId === modelId).map((f) => structuredClone(f));
  }

  async putFile(record: StoredFileRecord) {
    this.files.set(fileKey(record.modelId, record.path), structuredClone(record));
  }

  async commitChunk(record: StoredFileRecord, index: number, bytes: Uint8Array<ArrayBuffer>) {
    const key = chunkKey(record.modelId, record.path, index);
    const replaced = this.chunks.get(key)?.size ?? 0;
    if (this.options.quotaBytes !== undefined && this.usedBytes() - replaced + bytes.length > this.options.quotaBytes) {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    }
    this.chunks.set(key, new Blob([bytes]));
    this.files.set(fileKey(record.modelId, record.path), structuredClone(record));
  }

  async getChunk(modelId: string, path: string, index: number) {
    return this.chunks.get(chunkKey(modelId, path, index));
  }

  async resetFile(record: StoredFileRecord) {
    this.dropChunks((key) => key[0] === record.modelId && key[1] === record.path);
    this.files.set(fileKey(record.modelId, record.path), structuredClone(record));
  }

  async moveFile(fromPath: string, record: StoredFileRecord) {
    const moved = [...this.chunks].filter(([key]) => {
      const [modelId, path] = JSON.parse(key) as [string, string, number];
      return modelId === record.modelId && path === fromPath;
    });
    this.dropChunks((key) => key[0] === record.modelId && (key[1] === record.path || key[1] === fromPath));
    for (const [key, blob] of moved)
      this.chunks.set(chunkKey(record.modelId, record.path, (JSON.parse(key) as [string, string, number])[2]), blob);
    this.files.delete(fileKey(record.modelId, fromPath));
    this.files.set(fileKey(record.modelId, record.path), structuredClone(record));
  }

  async deleteModel(id: string) {
    this.models.delete(id);
    for (const [key, file] of this.files) if (file.modelId === id) this.files.delete(key);
    this.dropChunks((key) => key[0] === id);
  }

  async promoteStaged(stagingModelId: string, model: InstalledModelRecord) {
    const staged = [...this.files.values()].filter((f) => f.modelId === stagingModelId);
    const stagedChunks = [...this.chunks]
      .map(([key, blob]) => [JSON.parse(key) as [string, string, number], blob] as const)
      .filter(([key]) => key[0] === stagingModelId);
    const replaced = new Set(staged.map((f) => f.path));
    const dropped = (path: string) => replaced.has(path) || !model.files.includes(path);
    for (const [key, file] of this.files) if (file.modelId === model.id && dropped(file.path)) this.files.delete(key);
    this.dropChunks((key) => (key[0] === model.id && dropped(key[1])) || key[0] === stagingModelId);
    for (const [[, path, index], blob] of stagedChunks) this.chunks.set(chunkKey(model.id, path, index), blob);
    for (const file of staged) {
      this.files.delete(fileKey(stagingModelId, file.path));
      this.files.set(fileKey(model.id, file.path), structuredClone({ ...file, modelId: model.id }));
    }
    this.models.delete(stagingModelId);
    this.models.set(model.id, structuredClone(model));
  }

  async getPin(key: string) {
    return structuredClone(this.pins.get(key));
  }

  async putPin(key: string, pin: FilePin) {
    this.pins.set(key, structuredClone(pin));
  }

  async deletePin(key: string) {
    this.pins.delete(key);
  }

  private dropChunks(matches: (key: [string, string, number]) => boolean) {
    for (const key of [...this.chunks.keys()]) {
      if (matches(JSON.parse(key) as [string, string, number])) this.chunks.delete(key);
    }
  }
}
