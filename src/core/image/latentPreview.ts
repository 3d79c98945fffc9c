// Cheap x0 previews: a per-model linear map from the latent channels to RGB (fitted by models/fit-latent-preview.ts).
export interface LatentRgbMap {
  /** [channels][3]: the RGB contribution of each latent channel (output in [-1, 1] like the VAE). */
  matrix: number[][];
  bias: [number, number, number];
}

/** latent: [C, h, w] -> RGBA bytes at latent resolution. */
export function latentToRgba(latent: Float32Array, width: number, height: number, map: LatentRgbMap): Uint8ClampedArray {
  const pixels = width * height;
  const rgba = new Uint8ClampedArray(pixels * 4);
  for (let p = 0; p < pixels; p++) {
    for (let c = 0; c < 3; c++) {
      let v = map.bias[c];
      for (let k = 0; k < map.matrix.length; k++) v += map.matrix[k][c] * latent[k * pixels + p];
      rgba[p * 4 + c] = Math.round((Math.min(1, Math.max(-1, v)) + 1) * 127.5);
    }
    rgba[p * 4 + 3] = 255;
  }
  return rgba;
}

/** Averages an RGBA image over factor x factor blocks (the VAE image at latent resolution, for comparisons). */
export function downsampleRgba(rgba: Uint8ClampedArray, width: number, height: number, factor: number): Uint8ClampedArray {
  const w = width / factor;
  const h = height / factor;
  const out = new Uint8ClampedArray(w * h * 4);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      for (let c = 0; c < 4; c++) {
        let sum = 0;
        for (let dy = 0; dy < factor; dy++)
          for (let dx = 0; dx < factor; dx++) sum += rgba[((y * factor + dy) * width + x * factor + dx) * 4 + c];
        out[(y * w + x) * 4 + c] = Math.round(sum / (factor * factor));
      }
  return out;
}

/** Least-squares fit of RGB ([-1,1]) on latent channels plus a bias, by the normal equations. */
export function fitLatentRgbMap(samples: { latent: Float32Array; rgb: Float32Array }[], channels: number): LatentRgbMap {
  const n = channels + 1;
  const ata = Array.from({ length: n }, () => new Float64Array(n));
  const aty = Array.from({ length: n }, () => new Float64Array(3));
  for (const { latent, rgb } of samples) {
    const pixels = latent.length / channels;
    const row = new Float64Array(n);
    for (let p = 0; p < pixels; p++) {
      for (let k = 0; k < channels; k++) row[k] = latent[k * pixels + p];
      row[channels] = 1;
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) ata[i][j] += row[i] * row[j];
        for (let c = 0; c < 3; c++) aty[i][c] += row[i] * rgb[p * 3 + c];
      }
    }
  }
  const beta = solve(ata, aty);
  return { matrix: beta.slice(0, channels).map((r) => Array.from(r)), bias: [beta[channels][0], beta[channels][1], beta[channels][2]] };
}

/** Gauss-Jordan elimination with partial pivoting for A X = B (A n x n, B n x 3). */
function solve(a: Float64Array[], b: Float64Array[]): Float64Array[] {
  const n = a.length;
  const m = a.map((row, i) => [...row, ...b[i]]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r][col]) > Math.abs(m[pivot][col])) pivot = r;
    [m[col], m[pivot]] = [m[pivot], m[col]];
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = m[r][col] / m[col][col];
      for (let c = col; c < m[r].length; c++) m[r][c] -= f * m[col][c];
    }
  }
  return m.map((row, i) => Float64Array.from(row.slice(n).map((v) => v / m[i][i])));
}
