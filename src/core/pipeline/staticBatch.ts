// Which rows each call of a fixed-batch model gets: CFG on a batch-1 UNet is two calls, a batch-2 UNet gets
// exactly two rows (a lone row is duplicated, K+1 rows of an AND prompt take ceil((K+1)/2) calls).
import type { ComponentSessionOptions } from '../../shared/manifest';
import type { InputInfo } from '../ort/runtime';

/**
 * Logical batch rows per model call, in order. A free batch (null) takes every row in one call; a static
 * batch S takes S rows per call, the last call filled with copies of its last row (their outputs are dropped).
 */
export function planBatchCalls(rows: number, staticBatch: number | null): number[][] {
  if (!Number.isInteger(rows) || rows < 1) throw new RangeError(`A model call needs at least one batch row; got ${rows}.`);
  if (staticBatch === null) return [Array.from({ length: rows }, (_, i) => i)];
  const calls: number[][] = [];
  for (let first = 0; first < rows; first += staticBatch) {
    calls.push(Array.from({ length: staticBatch }, (_, i) => Math.min(first + i, rows - 1)));
  }
  return calls;
}

/**
 * A model's fixed batch: the manifest's io.staticBatch (UNet only), else the input's numeric first dim,
 * else a freeDimensionOverrides entry that pins its symbolic first dim; null when the batch is free.
 */
export function staticBatchOf(
  input: InputInfo,
  options: { declared?: number; sessionOptions?: ComponentSessionOptions } = {},
): number | null {
  if (options.declared !== undefined) return options.declared;
  const first = input.shape[0];
  if (typeof first === 'number' && first > 0) return first;
  const pinned = typeof first === 'string' ? options.sessionOptions?.freeDimensionOverrides?.[first] : undefined;
  return pinned ?? null;
}
