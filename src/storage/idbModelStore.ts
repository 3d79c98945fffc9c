// IndexedDB ModelStore (idb-keyval): one object store, array keys, chunks as Blobs; thin over the shared chunk logic.
import { createStore, get, promisifyRequest, set, type UseStore } from 'idb-keyval';
import type { FilePin, InstalledModelRecord, ModelStore, StoredFileRecord } from './modelStore';

/** Separate from the gallery's 'studio-gallery' so clearing one never touches the other. */
export const MODEL_DB_NAME = 'studio-models';
const OBJECT_STORE_NAME = 'entries';

// Keys: ['model', id] · ['file', modelId, path] · ['chunk', modelId, path, index] · ['pin', key].
// Arrays sort after strings and numbers in IndexedDB, so [...prefix, []] is above every key that starts with prefix.
const prefixRange = (...prefix: IDBValidKey[]) => IDBKeyRange.bound(prefix, [...prefix, []]);
const modelKey = (id: string) => ['model', id];
const fileKey = (modelId: string, path: string) => ['file', modelId, path];
const chunkKey = (modelId: string, path: string, index: number) => ['chunk', modelId, path, index];

export class IdbModelStore implements ModelStore {
  private readonly db: UseStore;

  constructor(dbName = MODEL_DB_NAME) {
    this.db = createStore(dbName, OBJECT_STORE_NAME);
  }

  getModel(id: string) {
    return get<InstalledModelRecord>(modelKey(id), this.db);
  }

  listModels() {
    return this.db('readonly', (s) => promisifyRequest(s.getAll(prefixRange('model')) as IDBRequest<InstalledModelRecord[]>));
  }

  putModel(model: InstalledModelRecord) {
    return set(modelKey(model.id), model, this.db);
  }

  getFile(modelId: string, path: string) {
    return get<StoredFileRecord>(fileKey(modelId, path), this.db);
  }

  listFiles(modelId: string) {
    return this.db('readonly', (s) => promisifyRequest(s.getAll(prefixRange('file', modelId)) as IDBRequest<StoredFileRecord[]>));
  }

  putFile(record: StoredFileRecord) {
    return set(fileKey(record.modelId, record.path), record, this.db);
  }

  commitChunk(record: StoredFileRecord, index: number, bytes: Uint8Array<ArrayBuffer>) {
    return this.db('readwrite', (s) => {
      // A Blob, not an ArrayBuffer: Chromium keeps large Blobs as files beside the database.
      s.put(new Blob([bytes]), chunkKey(record.modelId, record.path, index));
      s.put(record, fileKey(record.modelId, record.path));
      return promisifyRequest(s.transaction);
    });
  }

  getChunk(modelId: string, path: string, index: number) {
    return get<Blob>(chunkKey(modelId, path, index), this.db);
  }

  resetFile(record: StoredFileRecord) {
    return this.db('readwrite', (s) => {
      s.delete(prefixRange('chunk', record.modelId, record.path));
      s.put(record, fileKey(record.modelId, record.path));
      return promisifyRequest(s.transaction);
    });
  }

  moveFile(fromPath: string, record: StoredFileRecord) {
    return this.db('readwrite', (s) => {
      // Read, delete and put inside one transaction, chaining on the read's success so the transaction stays open.
      const read = s.getAll(prefixRange('chunk', record.modelId, fromPath)) as IDBRequest<Blob[]>;
      read.onsuccess = () => {
        s.delete(prefixRange('chunk', record.modelId, record.path));
        s.delete(prefixRange('chunk', record.modelId, fromPath));
        read.result.forEach((blob, index) => s.put(blob, chunkKey(record.modelId, record.path, index))); // getAll returns chunks by index
        s.delete(fileKey(record.modelId, fromPath));
        s.put(record, fileKey(record.modelId, record.path));
      };
      return promisifyRequest(s.transaction);
    });
  }

  deleteModel(id: string) {
    return this.db('readwrite', (s) => {
      s.delete(modelKey(id));
      s.delete(prefixRange('file', id));
      s.delete(prefixRange('chunk', id));
      return promisifyRequest(s.transaction);
    });
  }

  promoteStaged(stagingModelId: string, model: InstalledModelRecord) {
    return this.db('readwrite', (s) => {
      // Reads first, then every write inside their success callbacks, so one transaction holds it all.
      const stagedFiles = s.getAll(prefixRange('file', stagingModelId)) as IDBRequest<StoredFileRecord[]>;
      const liveFiles = s.getAll(prefixRange('file', model.id)) as IDBRequest<StoredFileRecord[]>;
      const chunkKeys = s.getAllKeys(prefixRange('chunk', stagingModelId));
      const chunkBlobs = s.getAll(prefixRange('chunk', stagingModelId)) as IDBRequest<Blob[]>;
      chunkBlobs.onsuccess = () => {
        const replaced = new Set(stagedFiles.result.map((f) => f.path));
        for (const live of liveFiles.result) {
          if (!replaced.has(live.path) && model.files.includes(live.path)) continue;
          s.delete(fileKey(model.id, live.path));
          s.delete(prefixRange('chunk', model.id, live.path));
        }
        s.delete(prefixRange('chunk', stagingModelId));
        s.delete(prefixRange('file', stagingModelId));
        chunkKeys.result.forEach((key, i) => {
          const [, , path, index] = key as [string, string, string, number];
          s.put(chunkBlobs.result[i], chunkKey(model.id, path, index));
        });
        for (const file of stagedFiles.result) s.put({ ...file, modelId: model.id }, fileKey(model.id, file.path));
        s.delete(modelKey(stagingModelId));
        s.put(model, modelKey(model.id));
      };
      return promisifyRequest(s.transaction);
    });
  }

  getPin(key: string) {
    return get<FilePin>(['pin', key], this.db);
  }

  putPin(key: string, pin: FilePin) {
    return set(['pin', key], pin, this.db);
  }

  deletePin(key: string) {
    return this.db('readwrite', (s) => {
      s.delete(['pin', key]);
      return promisifyRequest(s.transaction);
    });
  }
}
