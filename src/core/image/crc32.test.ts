// CRC-32 tests against catalogued check values.

import { describe, it, expect } from 'vitest';
import { crc32 } from './crc32';

describe('crc32', () => {
  it('matches the standard CRC-32 check values', () => {
    // "123456789" -> 0xCBF43926 is the catalogued check value for CRC-32/ISO-HDLC (used by PNG and zlib).
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
    // The CRC of an empty IEND chunk's type bytes is the well-known trailer AE 42 60 82 of every PNG.
    expect(crc32(new TextEncoder().encode('IEND'))).toBe(0xae426082);
  });
});
