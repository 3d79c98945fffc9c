// Model file chunks as files in the Origin Private File System: written with sync access handles in workers, read as
// Files (Blobs) like IndexedDB's chunks (storedModels.ts readStoredBytes). The app's IdbModelStore keeps new files'
// bytes here (useOpfs); `npm run bench:storage` compares both backends (opfs_* and idb_* keys). Layout:
// <root>/<store>/<bytesDir>/<chunk index>, where bytesDir is a fresh name per stored copy of a file, recorded in
// IndexedDB. The folder name carries no model id, so a copy can change owner (an update's staged files promoted to the
// installed model) by moving its record alone, and deleting one model can never reach another's bytes.

/** The parts of FileSystemSyncAccessHandle used here (typed locally: not every TypeScript lib has them). */
interface SyncAccessHandle {
  read(buffer: Uint8Array, options: { at: number }): number;
  write(buffer: Uint8Array, options: { at: number }): number;
  getSize(): number;
  truncate(size: number): void;
  flush(): void;
  close(): void;
}

type ChunkFileHandle = FileSystemFileHandle & {
  /** mode 'read-only' (Chromium 121+) lets workers read one file at once; older browsers take an exclusive lock. */
  createSyncAccessHandle?: (options?: { mode: 'read-only' }) => Promise<SyncAccessHandle>;
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

  private async bytesDir(bytesDir: string, create: boolean): Promise<FileSystemDirectoryHandle | undefined> {
    try {
      return await this.storeDir.getDirectoryHandle(bytesDir, { create });
    } catch (error) {
      if (!create && error instanceof DOMException && error.name === 'NotFoundError') return undefined;
      throw error;
    }
  }

  /** Writes chunk `index` (replacing one a crash left behind) and flushes it to disk before returning. */
  async writeChunk(bytesDir: string, index: number, bytes: Uint8Array<ArrayBuffer>): Promise<void> {
    const dir = (await this.bytesDir(bytesDir, true))!;
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
      while (written < bytes.length) {
        const count = access.write(bytes.subarray(written), { at: written });
        // Chromium reports a write that ran out of space as a count of 2^32 - 8 (its FILE_ERROR_NO_SPACE, -8, read as
        // unsigned) rather than throwing; a chunk taken as written then would fail its file's checksum on resume.
        if (!(count > 0 && count <= bytes.length - written)) throw noSpaceError(index, count);
        written += count;
      }
      if (access.getSize() !== bytes.length) throw noSpaceError(index, access.getSize());
      access.flush();
    } catch (error) {
      access.close();
      await dir.removeEntry(String(index)).catch(() => undefined); // a full disk: keep no partial chunk
      throw error;
    }
    access.close();
  }

  /** The chunk as a File (a Blob), or undefined when it is missing. */
  async chunkBlob(bytesDir: string, index: number): Promise<Blob | undefined> {
    const dir = await this.bytesDir(bytesDir, false);
    const file = await dir?.getFileHandle(String(index)).catch(() => undefined);
    return file?.getFile();
  }

  /**
   * Reads chunk `index` straight into the memory `into()` gives (sized to the chunk; called once the file is open,
   * so a WebAssembly heap that grew meanwhile gives a valid view) and returns its size. Undefined when it cannot
   * (no sync access here, the chunk is missing, another context holds it): the caller reads the chunk's File then.
   */
  async readChunkInto(bytesDir: string, index: number, into: () => Uint8Array): Promise<number | undefined> {
    const dir = await this.bytesDir(bytesDir, false);
    const file = await dir?.getFileHandle(String(index)).catch(() => undefined);
    if (!file || !hasSyncAccess(file)) return undefined;
    const access = await (file as ChunkFileHandle).createSyncAccessHandle!({ mode: 'read-only' }).catch(() => undefined);
    if (!access) return undefined;
    try {
      const size = access.getSize();
      const target = into();
      if (size > target.length) return size; // larger than its record: the caller reports the mismatch
      let read = 0;
      while (read < size) {
        const count = access.read(target.subarray(read, size), { at: read });
        if (count <= 0) break;
        read += count;
      }
      return read;
    } finally {
      access.close();
    }
  }

  /** Removes stored copies of files; a copy already gone is fine. */
  async removeBytes(...bytesDirs: string[]): Promise<void> {
    for (const dir of bytesDirs) await this.storeDir.removeEntry(dir, { recursive: true }).catch(ignoreNotFound);
  }
}

/** A QuotaExceededError, as IndexedDB throws for a full disk: the downloader reports it with the space needed. */
function noSpaceError(index: number, reported: number): DOMException {
  return new DOMException(`Chunk ${index} could not be written (the file system reported ${reported} bytes).`, 'QuotaExceededError');
}

function ignoreNotFound(error: unknown): void {
  if (error instanceof DOMException && error.name === 'NotFoundError') return;
  throw error;
}
