// Bit-reproducible log / sin / cos for Box–Muller, built only from IEEE-754 +, -, *, / (exact in every JS engine).

// ECMAScript leaves Math.log, Math.sin and Math.cos "implementation-approximated": engines may
// differ in the last bit, which could flip a float32 rounding and make one seed give slightly
// different noise in Chrome and Safari. +, -, *, / and Math.sqrt are correctly rounded
// everywhere, so series built from them are reproducible on every platform.

/** Nearest double to ln(2). */
const LN2 = 0.6931471805599453;
/** Nearest double to sqrt(2): mantissas above it are halved so the series argument stays small. */
const SQRT2 = 1.4142135623730951;
const HALF_PI = Math.PI / 2;
const TWO_POW_32 = 0x100000000;
/** Enough odd terms of 2*atanh(s) for |s| <= 3 - 2*sqrt(2) ~ 0.1716: the next term is < 1e-19. */
const ATANH_TERMS = 13;
/** Taylor terms for sin/cos on [0, pi/2): the first omitted term is below 1e-18. */
const TRIG_TERMS = 12;

/**
 * ln(n / 2^32) for an integer n in [1, 2^32]: the Box–Muller radius input. Splitting n into
 * 2^e * m with m in [sqrt(1/2), sqrt(2)) uses Math.clz32 (exact), then
 * ln(m) = 2 * atanh((m - 1) / (m + 1)) as an odd power series.
 */
export function logOfUint32Fraction(n: number): number {
  if (n === TWO_POW_32) return 0;
  let exponent = 31 - Math.clz32(n);
  let mantissa = n / 2 ** exponent; // exact: division by a power of two
  if (mantissa > SQRT2) {
    mantissa /= 2;
    exponent += 1;
  }
  const s = (mantissa - 1) / (mantissa + 1);
  const s2 = s * s;
  let series = 0;
  for (let k = ATANH_TERMS - 1; k >= 0; k--) series = series * s2 + 1 / (2 * k + 1);
  return 2 * s * series + (exponent - 32) * LN2;
}

/**
 * cos and sin of 2*pi * word / 2^32 for a uint32 `word`. The top two bits pick the quadrant
 * exactly, so the series only ever sees an angle in [0, pi/2).
 */
export function cosSinOfUint32Turn(word: number): { cos: number; sin: number } {
  const quadrant = word >>> 30;
  const angle = ((word & 0x3fffffff) / 0x40000000) * HALF_PI;
  const a2 = angle * angle;
  let sinSeries = 0;
  let cosSeries = 0;
  // Horner over x^(2k) / (2k+1)! and x^(2k) / (2k)!, highest term first.
  for (let k = TRIG_TERMS - 1; k >= 0; k--) {
    sinSeries = 1 - (sinSeries * a2) / ((2 * k + 2) * (2 * k + 3));
    cosSeries = 1 - (cosSeries * a2) / ((2 * k + 1) * (2 * k + 2));
  }
  const sinA = angle * sinSeries;
  const cosA = cosSeries;
  switch (quadrant) {
    case 0:
      return { cos: cosA, sin: sinA };
    case 1:
      return { cos: -sinA, sin: cosA };
    case 2:
      return { cos: -cosA, sin: -sinA };
    default:
      return { cos: sinA, sin: -cosA };
  }
}
