// Appends a file's bytes to the store chunk by chunk while hashing them, then verifies size, sha256 and content.
import { createChunkHasher, type ChunkHasher } from './chunkHasher';
import type { ModelStore, StoredFileRecord } from '../modelStore';
import { readStoredBytes } from '../storedModels';
import { SNIFF_BYTES, checkFileHead, checkJson, sniffKind } from './contentSniffing';
import { checksumError, sizeMismatchError } from './downloadErrors';

/** A record with no bytes: what a file goes back to when it must start over. */
export function emptiedRecord(record: StoredFileRecord): StoredFileRecord {
  return { ...record, storedBytes: 0, chunkCount: 0, verified: false, etag: undefined, attentionPatch: undefined };
}

/**
 * The hash always covers exactly the committed chunks (bytes are hashed when stored, not when received),
 * so after a dropped connection the same writer continues; after a reload, open() re-hashes the stored
 * chunks from the store instead of fetching them again. SHA-256 runs in WebAssembly (sha256.ts; the JavaScript one
 * hashed at about 45 MB/s), in a worker of its own while the store writes the chunk (chunkHasher.ts). Take a writer
 * with using(), which closes it; one from open() must be closed by its caller.
 */
export class StoredFileWriter {
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  /**
   * One buffer per writer for the chunk being committed, reused: a fresh 16 MiB buffer per chunk cost about as much
   * as its write where first touches of memory are slow (`memory_first_touch_mb_per_s` in `npm run bench:storage`).
   * Stores copy the bytes before commitChunk resolves (ModelStore.commitChunk), the hasher before update() returns.
   */
  private chunkBuffer = new Uint8Array(0);
  /**
   * The last committed chunk's hash, left running while the next chunk gathers: the hashing worker goes from chunk
   * to chunk without waiting for the store's thread to gather and copy one (the hasher takes calls in order).
   */
  private hashing: Promise<void> = Promise.resolve();
  private headChecked: boolean;

  private constructor(
    /** One hasher per writer, so files downloading side by side never share hash state. */
    private readonly hash: ChunkHasher,
    private readonly store: ModelStore,
    private current: StoredFileRecord,
    private readonly chunkBytes: number,
    /** Where the bytes come from, for error messages. */
    private readonly origin: string,
  ) {
    this.headChecked = current.storedBytes > 0;
  }

  static async open(
    store: ModelStore,
    record: StoredFileRecord,
    options: { chunkBytes: number; origin: string },
  ): Promise<StoredFileWriter> {
    const writer = new StoredFileWriter(await createChunkHasher(), store, record, options.chunkBytes, options.origin);
    try {
      // Each chunk is read while the one before hashes; one hash at a time, so at most two chunks are in memory.
      for (let index = 0; index < record.chunkCount; index++) {
        const chunk = await store.getChunk(record.modelId, record.path, index);
        const bytes = chunk && new Uint8Array(await chunk.arrayBuffer());
        await writer.settleHashing();
        if (!bytes) {
          await writer.restart(); // a chunk went missing (storage evicted?): the stored bytes cannot be trusted
          break;
        }
        writer.startHashing(bytes);
      }
      await writer.settleHashing();
    } catch (error) {
      writer.close();
      throw error;
    }
    return writer;
  }

  /** Opens a writer, hands it to `use`, and closes it however `use` ends (the way callers that write a whole file take one). */
  static async using<T>(
    store: ModelStore,
    record: StoredFileRecord,
    options: { chunkBytes: number; origin: string },
    use: (writer: StoredFileWriter) => Promise<T>,
  ): Promise<T> {
    const writer = await StoredFileWriter.open(store, record, options);
    try {
      return await use(writer);
    } finally {
      writer.close();
    }
  }

  get record(): StoredFileRecord {
    return this.current;
  }

  /** Bytes committed to the store. */
  get storedBytes(): number {
    return this.current.storedBytes;
  }

  /** Bytes received so far: committed plus held back until a chunk fills. */
  get position(): number {
    return this.current.storedBytes + this.pendingBytes;
  }

  /** Frees the hasher; the writer is not used after this. */
  close(): void {
    this.hash.close();
  }

  /** Forgets the stored bytes of this file (never another file's) and starts from byte 0. */
  async restart(): Promise<void> {
    this.discardPending();
    this.current = emptiedRecord(this.current);
    await this.settleHashing().catch(() => undefined); // the hash starts over whatever became of it
    await this.hash.init();
    this.headChecked = false;
    await this.store.resetFile(this.current);
  }

  /** Remembers the server's ETag; it is stored with the next chunk. */
  setEtag(etag: string | undefined): void {
    this.current = { ...this.current, etag };
  }

  /** Remembers which pin the bytes answer to (filePins.ts); stored with the next chunk. */
  setPinKey(pinKey: string | undefined): void {
    this.current = { ...this.current, pinKey };
  }

  discardPending(): void {
    this.pending = [];
    this.pendingBytes = 0;
  }

  async write(bytes: Uint8Array): Promise<void> {
    this.pending.push(bytes);
    this.pendingBytes += bytes.length;
    const expected = this.current.expectedSize;
    if (expected !== undefined && this.position > expected) {
      const received = this.position;
      await this.restart(); // the server sends a different, larger file: keep none of it
      throw sizeMismatchError(this.current.path, expected, received);
    }
    if (!this.headChecked && this.position >= SNIFF_BYTES) this.checkHead();
    if (this.pendingBytes >= this.chunkBytes) await this.commitPending();
  }

  /** Stores what is left, then checks size, sha256 (or pins it) and JSON; returns the verified record. */
  async finish(): Promise<StoredFileRecord> {
    if (!this.headChecked) this.checkHead();
    await this.commitPending();
    const { path, expectedSize, expectedSha256 } = this.current;
    if (expectedSize !== undefined && this.current.storedBytes !== expectedSize) {
      const actual = this.current.storedBytes;
      await this.restart();
      throw sizeMismatchError(path, expectedSize, actual);
    }
    await this.settleHashing();
    const digest = await this.hash.digest();
    if (expectedSha256 !== undefined && digest !== expectedSha256.toLowerCase()) {
      await this.restart();
      throw checksumError(path);
    }
    if (sniffKind(path) === 'json') {
      try {
        checkJson(path, await readStoredBytes(this.store, this.current));
      } catch (error) {
        await this.restart();
        throw error;
      }
    }
    this.current = {
      ...this.current,
      expectedSize: this.current.storedBytes,
      expectedSha256: digest,
      sha256PinnedHere: this.current.sha256PinnedHere || expectedSha256 === undefined,
      verified: true,
    };
    await this.store.putFile(this.current);
    return this.current;
  }

  private checkHead(): void {
    checkFileHead(this.current.path, concat(this.pending, Math.min(this.pendingBytes, SNIFF_BYTES)), this.origin);
    this.headChecked = true;
  }

  private async commitPending(): Promise<void> {
    if (this.pendingBytes === 0) return;
    // Network pieces overshoot the chunk size a little: room for that, so the buffer is not regrown every chunk.
    if (this.chunkBuffer.length < this.pendingBytes) this.chunkBuffer = new Uint8Array(Math.ceil(this.pendingBytes * 1.125));
    const chunk = concatInto(this.chunkBuffer, this.pending, this.pendingBytes);
    const next: StoredFileRecord = {
      ...this.current,
      storedBytes: this.current.storedBytes + chunk.length,
      chunkCount: this.current.chunkCount + 1,
      verified: false,
    };
    // Hash while the store writes, then roll the hash back if the write failed, so the hash still covers exactly
    // the committed chunks. The hasher takes calls in the order sent, so save and update go out back to back, after
    // the previous chunk's update.
    const previous = this.hashing;
    const saved = this.hash.save();
    this.startHashing(chunk);
    const committed = this.store.commitChunk(next, this.current.chunkCount, chunk);
    const [stored] = await Promise.allSettled([committed, saved, previous]);
    const before = await saved; // a failed hash fails the chunk, the previous chunk's too
    await previous;
    if (stored.status === 'rejected') {
      await this.settleHashing();
      await this.hash.load(before);
      throw stored.reason;
    }
    this.current = next;
    this.discardPending();
  }

  /** Sends `bytes` to the hasher (after everything sent before) and leaves the hash running. */
  private startHashing(bytes: Uint8Array): void {
    this.hashing = this.hash.update(bytes);
    this.hashing.catch(() => undefined); // settled by the next chunk or finish(); never an unhandled rejection meanwhile
  }

  /** Waits for the last chunk's hash; rejects if it failed. */
  private async settleHashing(): Promise<void> {
    const hashing = this.hashing;
    this.hashing = Promise.resolve();
    await hashing;
  }
}

function concat(parts: Uint8Array[], length: number): Uint8Array<ArrayBuffer> {
  return concatInto(new Uint8Array(length), parts, length);
}

/** The first `length` bytes of `parts`, copied to the start of `buffer`; returns that view of it. */
function concatInto(buffer: Uint8Array<ArrayBuffer>, parts: Uint8Array[], length: number): Uint8Array<ArrayBuffer> {
  const out = buffer.subarray(0, length);
  let offset = 0;
  for (const part of parts) {
    if (offset >= length) break;
    const take = part.subarray(0, length - offset);
    out.set(take, offset);
    offset += take.length;
  }
  return out;
}
