// SHA-256's compression function (FIPS 180-4) as a WebAssembly module, written out here as bytes: nothing to assemble
// at build time, and the module is small (about 10 kB, compiled once per thread).
//
// Why not hash-wasm (which this replaced): its portable C computes the message schedule one word at a time before the
// rounds. Here the schedule takes four words per SIMD step, and each step sits between the scalar rounds it does not
// depend on, so the CPU runs the vector work in the rounds' idle slots. `npm run bench:storage` prints both
// (sha256_mb_per_s, sha256_hash_wasm_mb_per_s). WebAssembly SIMD is needed anyway: ORT's WASM build uses it too.
//
// Memory (one page of 64 KiB plus the input area):
//   [0, 256)      K[0..63], the round constants
//   [256, 288)    the hash state H0..H7
//   [512, 768)    W[t] + K[t] for the block being hashed
//   [1024, ...)   input blocks, SHA256_INPUT_BYTES of them at most per call
// Export `blocks(pointer, count)`: hashes `count` 64-byte blocks at `pointer` into the state.

export const SHA256_STATE_OFFSET = 256;
export const SHA256_INPUT_OFFSET = 1024;
export const SHA256_INPUT_BYTES = 1 << 20;
const K_OFFSET = 0;
const WK_OFFSET = 512;
const PAGES = 1 + SHA256_INPUT_BYTES / 65536;

// prettier-ignore
const K = [
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be,
  0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa,
  0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85,
  0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3,
  0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f,
  0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
];

type Code = number[];

// --- Encodings (WebAssembly binary format, core spec section 5, and the SIMD proposal's opcodes) ---

function unsignedLeb(value: number): Code {
  const out: Code = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    out.push(byte);
  } while (value !== 0);
  return out;
}

function signedLeb(value: number): Code {
  const out: Code = [];
  value |= 0;
  for (;;) {
    const byte = value & 0x7f;
    value >>= 7;
    const done = (value === 0 && (byte & 0x40) === 0) || (value === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

const vector = (items: Code[]): Code => [...unsignedLeb(items.length), ...items.flat()];
const section = (id: number, body: Code): Code => [id, ...unsignedLeb(body.length), ...body];
const name = (text: string): Code => vector([...text].map((c) => [c.charCodeAt(0)]));

const MAGIC_AND_VERSION = [...'\0asm'].map((c) => c.charCodeAt(0)).concat([1, 0, 0, 0]);
const I32 = 0x7f;
const V128 = 0x7b;
const FUNCTION_KIND = 0x00;
const MEMORY_KIND = 0x02;
/** Index 0 of its kind: the module has one function and one memory. */
const exported = (label: string, kind: number): Code => [...name(label), kind, 0];

// Locals: the two parameters, then the scalar working variables, then the vectors.
const P = 0;
const N = 1;
const [A, B, C, D, E, F, G, H, T1, AB, BC] = [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
const [W0, W1, W2, W3, X, Y, LO] = [13, 14, 15, 16, 17, 18, 19];
const STATE = [A, B, C, D, E, F, G, H];
const LOCALS = [
  [11, I32],
  [7, V128],
];

const BLOCK = [0x02, 0x40]; // with no result
const LOOP = [0x03, 0x40];
const END = 0x0b;
const br = (label: number): Code => [0x0c, label];
const brIf = (label: number, condition: Code): Code => [...condition, 0x0d, label];
const eqz = (x: Code): Code => [...x, 0x45];
const get = (local: number): Code => [0x20, ...unsignedLeb(local)];
const set = (local: number, value: Code): Code => [...value, 0x21, ...unsignedLeb(local)];
const i32 = (value: number): Code => [0x41, ...signedLeb(value)];
const zero = i32(0);
const binary =
  (opcode: number) =>
  (x: Code, y: Code): Code => [...x, ...y, opcode];
const add = binary(0x6a);
const sub = binary(0x6b);
const and = binary(0x71);
const xor = binary(0x73);
const rotr = (x: Code, bits: number): Code => [...x, ...i32(bits), 0x78];
const load = (address: Code, offset: number): Code => [...address, 0x28, 2, ...unsignedLeb(offset)];
const store = (address: Code, offset: number, value: Code): Code => [...address, ...value, 0x36, 2, ...unsignedLeb(offset)];

const simd = (opcode: number, ...immediates: number[]): Code => [0xfd, ...unsignedLeb(opcode), ...immediates];
const vLoad = (address: Code, offset: number): Code => [...address, ...simd(0x00, 4, ...unsignedLeb(offset))];
const vStore = (address: Code, offset: number, value: Code): Code => [...address, ...value, ...simd(0x0b, 4, ...unsignedLeb(offset))];
const vBinary =
  (opcode: number) =>
  (x: Code, y: Code): Code => [...x, ...y, ...simd(opcode)];
const vOr = vBinary(0x50);
const vXor = vBinary(0x51);
const vAdd = vBinary(0xae);
const vShl = (x: Code, bits: number): Code => [...x, ...i32(bits), ...simd(0xab)];
const vShr = (x: Code, bits: number): Code => [...x, ...i32(bits), ...simd(0xad)];
const vRotr = (x: Code, bits: number): Code => vOr(vShr(x, bits), vShl(x, 32 - bits));
/** i8x16.shuffle: result byte i is byte lanes[i] of x ++ y. */
const shuffle = (lanes: number[], x: Code, y: Code): Code => [...x, ...y, ...simd(0x0d, ...lanes)];
/** Each 32-bit word's bytes reversed: the message is big-endian, WebAssembly little-endian. */
const byteSwap = (x: Code): Code => [...x, ...simd(0x0c, 3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12), ...simd(0x0e)];
/** Words `from`..`from+3` of the eight words x ++ y. */
const words = (from: number) => Array.from({ length: 16 }, (_, i) => 4 * from + i);

// --- SHA-256 ---

const smallSigma0 = (x: Code): Code => vXor(vXor(vRotr(x, 7), vRotr(x, 18)), vShr(x, 3));
const smallSigma1 = (x: Code): Code => vXor(vXor(vRotr(x, 17), vRotr(x, 19)), vShr(x, 10));

/**
 * W[t..t+3] from the four vectors holding W[t-16..t-1] (`w`, oldest first), stored with K added; the result replaces
 * the oldest vector. W[t+2] and W[t+3] need W[t] and W[t+1], so the sigma1 term is taken in two halves.
 */
function scheduleFour(t: number, w: number[]): Code {
  const [w0, w1, w2, w3] = w.map(get);
  const lowHalf = [8, 9, 10, 11, 12, 13, 14, 15, 8, 9, 10, 11, 12, 13, 14, 15]; // W[t-2], W[t-1] into lanes 0, 1
  const newLow = [0, 1, 2, 3, 4, 5, 6, 7, 0, 1, 2, 3, 4, 5, 6, 7]; // W[t], W[t+1] into lanes 2, 3
  return [
    // Y = W[t-16..] + sigma0(W[t-15..]) + W[t-7..]
    ...set(X, shuffle(words(1), w0, w1)),
    ...set(Y, vAdd(vAdd(w0, smallSigma0(get(X))), shuffle(words(1), w2, w3))),
    ...set(X, shuffle(lowHalf, w3, w3)),
    ...set(LO, vAdd(get(Y), smallSigma1(get(X)))),
    ...set(X, shuffle(newLow, get(LO), get(LO))),
    ...set(w[0], shuffle([0, 1, 2, 3, 4, 5, 6, 7, 24, 25, 26, 27, 28, 29, 30, 31], get(LO), vAdd(get(Y), smallSigma1(get(X))))),
    ...vStore(zero, WK_OFFSET + 4 * t, vAdd(get(w[0]), vLoad(zero, K_OFFSET + 4 * t))),
  ];
}

/**
 * One round, the working variables named by role (`v` = a..h this round) instead of moved:
 * T1 = h + W[t]+K[t] + Ch(e,f,g) + Sigma1(e); d += T1; h = T1 + Sigma0(a) + Maj(a,b,c). Ch(e,f,g) = g ^ (e & (f ^ g));
 * Maj(a,b,c) = b ^ ((a ^ b) & (b ^ c)), where b ^ c is the previous round's a ^ b.
 */
function round(t: number, v: number[]): Code {
  const [a, b, , d, e, f, g, h] = v;
  const bigSigma1 = xor(xor(rotr(get(e), 6), rotr(get(e), 11)), rotr(get(e), 25));
  const bigSigma0 = xor(xor(rotr(get(a), 2), rotr(get(a), 13)), rotr(get(a), 22));
  const ch = xor(get(g), and(get(e), xor(get(f), get(g))));
  return [
    ...set(T1, add(add(add(get(h), load(zero, WK_OFFSET + 4 * t)), ch), bigSigma1)),
    ...set(AB, xor(get(a), get(b))),
    ...set(d, add(get(d), get(T1))),
    ...set(h, add(get(T1), add(bigSigma0, xor(get(b), and(get(AB), get(BC)))))),
    ...set(BC, get(AB)),
  ];
}

function blockBody(): Code {
  const code: Code = [];
  // W[0..15] from the block, then W[16..63] four at a time: the step for W[16+4k..] goes in after round 4k, well
  // before round 16+4k reads it.
  let w = [W0, W1, W2, W3];
  w.forEach((local, i) => {
    code.push(...set(local, byteSwap(vLoad(get(P), 16 * i))));
    code.push(...vStore(zero, WK_OFFSET + 16 * i, vAdd(get(local), vLoad(zero, K_OFFSET + 16 * i))));
  });
  code.push(...set(BC, xor(get(B), get(C))));
  const roles = [...STATE];
  for (let t = 0; t < 64; t++) {
    if (t % 4 === 0 && t < 48) {
      code.push(...scheduleFour(16 + t, w));
      w = [w[1], w[2], w[3], w[0]];
    }
    code.push(...round(t, roles));
    roles.unshift(roles.pop()!); // the new h is next round's a; every other role moves one down
  }
  // 64 rounds bring the roles back to a..h.
  STATE.forEach((local, i) => code.push(...set(local, add(get(local), load(zero, SHA256_STATE_OFFSET + 4 * i)))));
  STATE.forEach((local, i) => code.push(...store(zero, SHA256_STATE_OFFSET + 4 * i, get(local))));
  return code;
}

function blocksFunction(): Code {
  const body: Code = [
    ...STATE.flatMap((local, i) => set(local, load(zero, SHA256_STATE_OFFSET + 4 * i))),
    ...BLOCK, // $done
    ...LOOP, // $next
    ...brIf(1, eqz(get(N))), // to $done when no block is left
    ...blockBody(),
    ...set(P, add(get(P), i32(64))),
    ...set(N, sub(get(N), i32(1))),
    ...br(0), // to $next
    END, // loop
    END, // block
    END, // function
  ];
  const locals = vector(LOCALS.map(([count, type]) => [...unsignedLeb(count), type]));
  return [...locals, ...body];
}

/** The module's bytes. */
export function sha256ModuleBytes(): Uint8Array<ArrayBuffer> {
  const constants = new Uint8Array(256);
  const view = new DataView(constants.buffer);
  K.forEach((k, i) => view.setUint32(4 * i, k, true));
  const code = blocksFunction();
  return new Uint8Array([
    ...MAGIC_AND_VERSION,
    ...section(1, vector([[0x60, ...vector([[I32], [I32]]), ...vector([])]])), // type: (i32, i32) -> ()
    ...section(3, vector([[0]])), // function 0 has type 0
    ...section(5, vector([[0x00, ...unsignedLeb(PAGES)]])), // one memory, no maximum
    ...section(7, vector([exported('memory', MEMORY_KIND), exported('blocks', FUNCTION_KIND)])),
    ...section(10, vector([[...unsignedLeb(code.length), ...code]])),
    ...section(11, vector([[0x00, ...i32(K_OFFSET), END, ...vector([...constants].map((b) => [b]))]])), // K
  ]);
}
