// CRC-32 as PNG requires for every chunk (ISO 3309 / ITU-T V.42 polynomial, PNG spec section 5.5).

/** Reversed representation of the CRC-32 polynomial x^32 + x^26 + ... + 1 (PNG spec, Annex D). */
const CRC32_POLYNOMIAL = 0xedb88320;

function buildTable(): Uint32Array {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let bit = 0; bit < 8; bit++) c = c & 1 ? CRC32_POLYNOMIAL ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
}

/** Byte-at-a-time lookup table; immutable after module load. */
const CRC_TABLE = buildTable();

/** CRC-32 of the bytes, each chunk's CRC covering its type and data (PNG spec, Annex D sample code). */
export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
