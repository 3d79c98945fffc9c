// Browser ModelStore: records in IndexedDB (idb-keyval); new files' bytes in OPFS chunk files (useOpfs, the default),
// or as IndexedDB Blobs where there is no OPFS. Files stored as Blobs before keep being read, so no install is lost.
import { createStore, get, promisifyRequest, set, type UseStore } from 'idb-keyval';
import { notInstalledError } from './download/downloadErrors';
import type { FilePin, InstalledModelRecord, ModelStore, StoredFileRecord } from './modelStore';
import { OpfsChunkFiles } from './opfsChunkFiles';

/** Separate from the gallery's 'studio-gallery' so clearing one never touches the other. */
export const MODEL_DB_NAME = 'studio-models';
const OBJECT_STORE_NAME = 'entries';

/** Where a file's chunks are in OPFS (opfsChunkFiles.ts). A file with no such entry keeps its chunks in IndexedDB. */
interface BytesLocation {
  dir: string;
}

// Keys: ['model', id] · ['file', modelId, path] · ['chunk', modelId, path, index] · ['bytes', modelId, path] ·
// ['pin', key]. Arrays sort after strings and numbers in IndexedDB, so [...prefix, []] is above every key that
// starts with prefix.
const prefixRange = (...prefix: IDBValidKey[]) => IDBKeyRange.bound(prefix, [...prefix, []]);
const modelKey = (id: string) => ['model', id];
const fileKey = (modelId: string, path: string) => ['file', modelId, path];
const chunkKey = (modelId: string, path: string, index: number) => ['chunk', modelId, path, index];
const bytesKey = (modelId: string, path: string) => ['bytes', modelId, path];

export interface IdbModelStoreOptions {
  /**
   * Keep new files' bytes in OPFS where the browser has it (default true). `npm run bench:storage` measured OPFS
   * writes at about twice IndexedDB Blob writes and reads a little faster (opfs_* against idb_* keys).
   */
  useOpfs?: boolean;
}

export class IdbModelStore implements ModelStore {
  private readonly db: UseStore;
  private readonly opfs: Promise<OpfsChunkFiles | undefined>;

  constructor(dbName = MODEL_DB_NAME, options: IdbModelStoreOptions = {}) {
    this.db = createStore(dbName, OBJECT_STORE_NAME);
    this.opfs = (options.useOpfs ?? true) ? OpfsChunkFiles.open(dbName).catch(() => undefined) : Promise.resolve(undefined);
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

  private location(modelId: string, path: string) {
    return get<BytesLocation>(bytesKey(modelId, path), this.db);
  }

  async commitChunk(record: StoredFileRecord, index: number, bytes: Uint8Array<ArrayBuffer>) {
    const { modelId, path } = record;
    const opfs = await this.opfs;
    let location = await this.location(modelId, path);
    // A file goes to OPFS from its first chunk; one begun in IndexedDB (before an update) is finished there.
    if (opfs && !location && index === 0) location = { dir: crypto.randomUUID() };
    if (location) {
      if (!opfs) throw notInstalledError(modelId, path, 'its chunks are in the Origin Private File System, which this context cannot open');
      // Bytes first, flushed; then the record that counts them. A crash in between leaves an uncounted chunk
      // file, which the next commit of that index replaces.
      await opfs.writeChunk(location.dir, index, bytes);
      const fresh = location;
      return this.db('readwrite', (s) => {
        s.put(fresh, bytesKey(modelId, path));
        s.put(record, fileKey(modelId, path));
        return promisifyRequest(s.transaction);
      });
    }
    return this.db('readwrite', (s) => {
      // A Blob, not an ArrayBuffer: Chromium keeps large Blobs as files beside the database.
      s.put(new Blob([bytes]), chunkKey(modelId, path, index));
      s.put(record, fileKey(modelId, path));
      return promisifyRequest(s.transaction);
    });
  }

  async getChunk(modelId: string, path: string, index: number) {
    const location = await this.location(modelId, path);
    if (location) return (await this.opfs)?.chunkBlob(location.dir, index); // no OPFS: reads as missing
    return get<Blob>(chunkKey(modelId, path, index), this.db);
  }

  async openChunks(modelId: string, path: string, first: number, count: number) {
    const location = await this.location(modelId, path);
    return location ? (await this.opfs)?.openChunks(location.dir, first, count) : undefined;
  }

  async resetFile(record: StoredFileRecord) {
    const { modelId, path } = record;
    const old = await this.location(modelId, path);
    await this.db('readwrite', (s) => {
      s.delete(prefixRange('chunk', modelId, path));
      s.delete(bytesKey(modelId, path));
      s.put(record, fileKey(modelId, path));
      return promisifyRequest(s.transaction);
    });
    if (old) await this.removeBytes([old]);
  }

  async moveFile(fromPath: string, record: StoredFileRecord) {
    const { modelId, path } = record;
    const replaced = await this.location(modelId, path);
    // Read, delete and put inside one transaction, chaining on the reads' success so the transaction stays open.
    // OPFS bytes move by moving their location entry: the chunk files stay where they are.
    await this.db('readwrite', (s) => {
      const from = s.get(bytesKey(modelId, fromPath)) as IDBRequest<BytesLocation | undefined>;
      const chunks = s.getAll(prefixRange('chunk', modelId, fromPath)) as IDBRequest<Blob[]>;
      chunks.onsuccess = () => {
        s.delete(prefixRange('chunk', modelId, path));
        s.delete(prefixRange('chunk', modelId, fromPath));
        s.delete(bytesKey(modelId, path));
        s.delete(bytesKey(modelId, fromPath));
        if (from.result) s.put(from.result, bytesKey(modelId, path));
        chunks.result.forEach((blob, index) => s.put(blob, chunkKey(modelId, path, index))); // getAll returns chunks by index
        s.delete(fileKey(modelId, fromPath));
        s.put(record, fileKey(modelId, path));
      };
      return promisifyRequest(s.transaction);
    });
    if (replaced) await this.removeBytes([replaced]);
  }

  async deleteModel(id: string) {
    let locations: BytesLocation[] = [];
    await this.db('readwrite', (s) => {
      const bytes = s.getAll(prefixRange('bytes', id)) as IDBRequest<BytesLocation[]>;
      bytes.onsuccess = () => {
        locations = bytes.result;
        s.delete(modelKey(id));
        s.delete(prefixRange('file', id));
        s.delete(prefixRange('chunk', id));
        s.delete(prefixRange('bytes', id));
      };
      return promisifyRequest(s.transaction);
    });
    // After the records: a crash in between leaves unreferenced chunk files, never a record without its bytes.
    await this.removeBytes(locations);
  }

  async promoteStaged(stagingModelId: string, model: InstalledModelRecord) {
    const dropped: BytesLocation[] = [];
    await this.db('readwrite', (s) => {
      // Reads first, then every write inside their success callbacks, so one transaction holds it all.
      const stagedFiles = s.getAll(prefixRange('file', stagingModelId)) as IDBRequest<StoredFileRecord[]>;
      const liveFiles = s.getAll(prefixRange('file', model.id)) as IDBRequest<StoredFileRecord[]>;
      const liveBytes = s.getAll(prefixRange('bytes', model.id)) as IDBRequest<BytesLocation[]>;
      const liveBytesKeys = s.getAllKeys(prefixRange('bytes', model.id));
      const stagedBytes = s.getAll(prefixRange('bytes', stagingModelId)) as IDBRequest<BytesLocation[]>;
      const stagedBytesKeys = s.getAllKeys(prefixRange('bytes', stagingModelId));
      const chunkKeys = s.getAllKeys(prefixRange('chunk', stagingModelId));
      const chunkBlobs = s.getAll(prefixRange('chunk', stagingModelId)) as IDBRequest<Blob[]>;
      chunkBlobs.onsuccess = () => {
        const replaced = new Set(stagedFiles.result.map((f) => f.path));
        const dropping = new Set<string>();
        for (const live of liveFiles.result) {
          if (!replaced.has(live.path) && model.files.includes(live.path)) continue;
          dropping.add(live.path);
          s.delete(fileKey(model.id, live.path));
          s.delete(prefixRange('chunk', model.id, live.path));
          s.delete(bytesKey(model.id, live.path));
        }
        liveBytesKeys.result.forEach((key, i) => {
          if (dropping.has((key as string[])[2])) dropped.push(liveBytes.result[i]);
        });
        s.delete(prefixRange('chunk', stagingModelId));
        s.delete(prefixRange('file', stagingModelId));
        s.delete(prefixRange('bytes', stagingModelId));
        chunkKeys.result.forEach((key, i) => {
          const [, , path, index] = key as [string, string, string, number];
          s.put(chunkBlobs.result[i], chunkKey(model.id, path, index));
        });
        // OPFS bytes change owner with their location entry; the chunk files stay where they are.
        stagedBytesKeys.result.forEach((key, i) => s.put(stagedBytes.result[i], bytesKey(model.id, (key as string[])[2])));
        for (const file of stagedFiles.result) s.put({ ...file, modelId: model.id }, fileKey(model.id, file.path));
        s.delete(modelKey(stagingModelId));
        s.put(model, modelKey(model.id));
      };
      return promisifyRequest(s.transaction);
    });
    await this.removeBytes(dropped);
  }

  /** Removes OPFS copies no record points at any more (each location has one owner: removing it loses nothing). */
  private async removeBytes(locations: BytesLocation[]): Promise<void> {
    if (locations.length) await (await this.opfs)?.removeBytes(...locations.map((l) => l.dir));
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
