// Model file chunks as files in the Origin Private File System: written with sync access handles in workers, read as
// Files (Blobs) like IndexedDB's chunks (storedModels.ts readStoredBytes). The IdbModelStore keeps bytes here only
// when asked (useOpfs); `npm run bench:storage` compares both (opfs_* and idb_* keys). Layout:
// <root>/<store>/<model>/<bytesDir>/<chunk index>, where bytesDir is a fresh name per stored copy of a file, so a
// record can point at a complete copy while another is being written (see IdbModelStore.moveFile).

/** The parts of FileSystemSyncAccessHandle used here (typed locally: not every TypeScript lib has them). */
interface SyncAccessHandle {
  write(buffer: Uint8Array, options: { at: number }): number;
  truncate(size: number): void;
  flush(): void;
  close(): void;
}

type ChunkFileHandle = FileSystemFileHandle & {
  createSyncAccessHandle?: () => Promise<SyncAccessHandle>;
  createWritable(): Promise<{ write(data: Uint8Array): Promise<void>; close(): Promise<void>; abort(): Promise<void> }>;
};

interface StorageWithDirectory {
  getDirectory?: () => Promise<FileSystemDirectoryHandle>;
}

/** File and folder names for ids and paths: OPFS names cannot contain '/' or be '.' or '..'. */
export const opfsName = (id: string) => `_${encodeURIComponent(id)}`;

/** This origin's OPFS root, or undefined where there is none (e.g. some private windows). */
export async function opfsRoot(): Promise<FileSystemDirectoryHandle | undefined> {
  const storage = (globalThis as { navigator?: { storage?: StorageWithDirectory } }).navigator?.storage;
  if (!storage?.getDirectory) return undefined;
  try {
    return await storage.getDirectory();
  } catch {
    return undefined;
  }
}

/**
 * Sync access handles exist only in dedicated workers, where the model store runs (engine, library, checker);
 * elsewhere (a page, a test) the same files are written through the async API, more slowly.
 */
const hasSyncAccess = (file: FileSystemFileHandle) => typeof (file as ChunkFileHandle).createSyncAccessHandle === 'function';

export class OpfsChunkFiles {
  constructor(private readonly storeDir: FileSystemDirectoryHandle) {}

  static async open(storeName: string): Promise<OpfsChunkFiles | undefined> {
    const root = await opfsRoot();
    return root ? new OpfsChunkFiles(await root.getDirectoryHandle(opfsName(storeName), { create: true })) : undefined;
  }

  private async bytesDir(modelId: string, bytesDir: string, create: boolean): Promise<FileSystemDirectoryHandle | undefined> {
    try {
      const model = await this.storeDir.getDirectoryHandle(opfsName(modelId), { create });
      return await model.getDirectoryHandle(bytesDir, { create });
    } catch (error) {
      if (!create && error instanceof DOMException && error.name === 'NotFoundError') return undefined;
      throw error;
    }
  }

  /** Writes chunk `index` (replacing one a crash left behind) and flushes it to disk before returning. */
  async writeChunk(modelId: string, bytesDir: string, index: number, bytes: Uint8Array<ArrayBuffer>): Promise<void> {
    const dir = (await this.bytesDir(modelId, bytesDir, true))!;
    const file = await dir.getFileHandle(String(index), { create: true });
    if (!hasSyncAccess(file)) {
      const writable = await (file as ChunkFileHandle).createWritable(); // replaces the file on close()
      await writable.write(bytes).catch(async (error: unknown) => {
        await writable.abort();
        throw error;
      });
      return writable.close();
    }
    const access = await (file as ChunkFileHandle).createSyncAccessHandle!();
    try {
      access.truncate(0);
      let written = 0;
      while (written < bytes.length) written += access.write(bytes.subarray(written), { at: written });
      access.flush();
    } catch (error) {
      access.close();
      await dir.removeEntry(String(index)).catch(() => undefined); // a full disk: keep no partial chunk
      throw error;
    }
    access.close();
  }

  /** The chunk as a File (a Blob), or undefined when it is missing. */
  async chunkBlob(modelId: string, bytesDir: string, index: number): Promise<Blob | undefined> {
    const dir = await this.bytesDir(modelId, bytesDir, false);
    const file = await dir?.getFileHandle(String(index)).catch(() => undefined);
    return file?.getFile();
  }

  /** Removes one stored copy of a file; a copy already gone is fine. */
  async removeBytes(modelId: string, bytesDir: string): Promise<void> {
    const model = await this.storeDir.getDirectoryHandle(opfsName(modelId)).catch(() => undefined);
    await model?.removeEntry(bytesDir, { recursive: true }).catch(ignoreNotFound);
  }

  /** Removes every stored file of a model. */
  async removeModel(modelId: string): Promise<void> {
    await this.storeDir.removeEntry(opfsName(modelId), { recursive: true }).catch(ignoreNotFound);
  }
}

function ignoreNotFound(error: unknown): void {
  if (error instanceof DOMException && error.name === 'NotFoundError') return;
  throw error;
}
