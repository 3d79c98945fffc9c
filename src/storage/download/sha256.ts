// Streaming SHA-256 over the WebAssembly compression function of sha256Module.ts: this side keeps the partial block
// and the length, pads, and saves or restores the whole state (a write that fails rolls the hash back).
import { SHA256_INPUT_BYTES, SHA256_INPUT_OFFSET, SHA256_STATE_OFFSET, sha256ModuleBytes } from './sha256Module';

const INITIAL_STATE = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
const BLOCK = 64;
/** save(): the 8 state words, the length hashed (a float64: exact to 2^53 bytes), the partial block and its length. */
const SAVED_BYTES = 32 + 8 + BLOCK + 4;

let compiled: Promise<WebAssembly.Module> | null = null;

export class Sha256 {
  private readonly state: Uint32Array;
  private readonly input: Uint8Array;
  private readonly partial = new Uint8Array(BLOCK);
  private partialLength = 0;
  private length = 0;

  private constructor(
    private readonly blocks: (pointer: number, count: number) => void,
    memory: WebAssembly.Memory,
  ) {
    this.state = new Uint32Array(memory.buffer, SHA256_STATE_OFFSET, 8);
    this.input = new Uint8Array(memory.buffer, SHA256_INPUT_OFFSET, SHA256_INPUT_BYTES);
    this.init();
  }

  /** A hasher with its own memory; the module compiles once per thread. */
  static async create(): Promise<Sha256> {
    compiled ??= WebAssembly.compile(sha256ModuleBytes());
    const instance = await WebAssembly.instantiate(await compiled);
    const { blocks, memory } = instance.exports as { blocks: (pointer: number, count: number) => void; memory: WebAssembly.Memory };
    return new Sha256(blocks, memory);
  }

  /** Starts over with nothing hashed. */
  init(): this {
    this.state.set(INITIAL_STATE);
    this.partialLength = 0;
    this.length = 0;
    return this;
  }

  update(data: Uint8Array): this {
    this.length += data.length;
    let offset = 0;
    if (this.partialLength > 0) {
      offset = Math.min(BLOCK - this.partialLength, data.length);
      this.partial.set(data.subarray(0, offset), this.partialLength);
      this.partialLength += offset;
      if (this.partialLength < BLOCK) return this;
      this.hashBlocks(this.partial);
      this.partialLength = 0;
    }
    const whole = offset + Math.floor((data.length - offset) / BLOCK) * BLOCK;
    for (let start = offset; start < whole; start += SHA256_INPUT_BYTES)
      this.hashBlocks(data.subarray(start, Math.min(start + SHA256_INPUT_BYTES, whole)));
    this.partial.set(data.subarray(whole));
    this.partialLength = data.length - whole;
    return this;
  }

  /** The hex digest of everything hashed so far; the hasher is left as it was (more may be added). */
  digest(): string {
    const saved = this.save();
    // Padding: 0x80, zeros, and the length in bits as a 64-bit big-endian number, to a whole number of blocks.
    const tail = new Uint8Array(this.partialLength + 9 > BLOCK ? 2 * BLOCK : BLOCK);
    tail.set(this.partial.subarray(0, this.partialLength));
    tail[this.partialLength] = 0x80;
    const view = new DataView(tail.buffer);
    view.setUint32(tail.length - 8, Math.floor(this.length / 2 ** 29));
    view.setUint32(tail.length - 4, (this.length * 8) >>> 0);
    this.hashBlocks(tail);
    const hex = [...this.state].map((word) => word.toString(16).padStart(8, '0')).join('');
    this.load(saved);
    return hex;
  }

  save(): Uint8Array<ArrayBuffer> {
    const saved = new Uint8Array(SAVED_BYTES);
    const view = new DataView(saved.buffer);
    this.state.forEach((word, i) => view.setUint32(4 * i, word));
    view.setFloat64(32, this.length);
    saved.set(this.partial, 40);
    view.setUint32(40 + BLOCK, this.partialLength);
    return saved;
  }

  load(saved: Uint8Array): void {
    if (saved.length !== SAVED_BYTES) throw new Error(`a saved SHA-256 state is ${SAVED_BYTES} bytes, not ${saved.length}`);
    const view = new DataView(saved.buffer, saved.byteOffset, saved.length);
    this.state.forEach((_, i) => (this.state[i] = view.getUint32(4 * i)));
    this.length = view.getFloat64(32);
    this.partial.set(saved.subarray(40, 40 + BLOCK));
    this.partialLength = view.getUint32(40 + BLOCK);
  }

  /** Whole blocks, at most SHA256_INPUT_BYTES, copied into the module's memory and hashed into the state. */
  private hashBlocks(bytes: Uint8Array): void {
    this.input.set(bytes);
    this.blocks(SHA256_INPUT_OFFSET, bytes.length / BLOCK);
  }
}
