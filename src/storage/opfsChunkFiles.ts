// Model file chunks as files in the Origin Private File System: written with sync access handles in workers, read by
// them too (openChunks), or as Files (Blobs) like IndexedDB's chunks where there is no sync access. The app's
// IdbModelStore keeps new files' bytes here (useOpfs); `npm run bench:storage` compares both backends (opfs_* and
// idb_* keys). Layout:
// <root>/<store>/<bytesDir>/<chunk index>, where bytesDir is a fresh name per stored copy of a file, recorded in
// IndexedDB. The folder name carries no model id, so a copy can change owner (an update's staged files promoted to the
// installed model) by moving its record alone, and deleting one model can never reach another's bytes.

import type { ChunkReader } from './modelStore';

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
   * Opens chunks first..first+count-1 for synchronous reads, all at once (their opens overlap, a few milliseconds in
   * all where one after another cost ~5 ms a chunk: `npm run bench:storage`). Undefined when any cannot be opened
   * (no sync access here, a chunk missing, another context holding one): the caller reads their Files then.
   */
  async openChunks(bytesDir: string, first: number, count: number): Promise<ChunkReader[] | undefined> {
    const dir = await this.bytesDir(bytesDir, false);
    if (!dir) return undefined;
    const opened = await Promise.allSettled(
      Array.from({ length: count }, async (_, i) => {
        const file = (await dir.getFileHandle(String(first + i))) as ChunkFileHandle;
        if (!hasSyncAccess(file)) throw new Error('no sync access here');
        return file.createSyncAccessHandle!({ mode: 'read-only' });
      }),
    );
    const handles = opened.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
    if (handles.length < count) {
      for (const access of handles) access.close();
      return undefined;
    }
    return handles.map(chunkReader);
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

function chunkReader(access: SyncAccessHandle): ChunkReader {
  return {
    size: access.getSize(),
    readInto(into) {
      let read = 0;
      while (read < this.size) {
        const count = access.read(into.subarray(read, this.size), { at: read });
        if (count <= 0) break;
        read += count;
      }
      return read;
    },
    close: () => access.close(),
  };
}

function ignoreNotFound(error: unknown): void {
  if (error instanceof DOMException && error.name === 'NotFoundError') return;
  throw error;
}
