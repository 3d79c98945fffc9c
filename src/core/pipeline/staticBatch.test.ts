// Batch planning for fixed-batch exports (SD-Turbo WebNN: 1, SD 1.5 WebNN: 2) and where the fixed batch is read from.
import { describe, expect, it } from 'vitest';
import { planBatchCalls, staticBatchOf } from './staticBatch';

describe('planBatchCalls', () => {
  it('free batch: every row in one call', () => {
    expect(planBatchCalls(3, null)).toEqual([[0, 1, 2]]);
  });
  it('batch 1 with guidance: [negative] then [positive], two calls per step', () => {
    expect(planBatchCalls(2, 1)).toEqual([[0], [1]]);
  });
  it('batch 2: exactly [negative, positive]; one row (guidance <= 1) is duplicated', () => {
    expect(planBatchCalls(2, 2)).toEqual([[0, 1]]);
    expect(planBatchCalls(1, 2)).toEqual([[0, 0]]);
  });
  it('batch 2 with an AND prompt of two parts (3 rows): two calls, the last row duplicated', () => {
    expect(planBatchCalls(3, 2)).toEqual([
      [0, 1],
      [2, 2],
    ]);
  });
  it('refuses zero rows', () => {
    expect(() => planBatchCalls(0, 2)).toThrow(/at least one batch row/);
  });
});

describe('staticBatchOf', () => {
  const symbolic = { name: 'sample', type: 'float32', shape: ['batch_size', 4, 'height', 'width'] };
  it('reads a numeric first dim', () => {
    expect(staticBatchOf({ name: 'sample', type: 'float16', shape: [2, 4, 8, 8] })).toBe(2);
  });
  it('reads a freeDimensionOverrides pin of the symbolic batch dim, else the batch is free', () => {
    expect(staticBatchOf(symbolic, { sessionOptions: { freeDimensionOverrides: { batch_size: 1 } } })).toBe(1);
    expect(staticBatchOf(symbolic, { sessionOptions: { freeDimensionOverrides: { height: 8 } } })).toBeNull();
    expect(staticBatchOf(symbolic)).toBeNull();
  });
  it('the manifest io.staticBatch wins', () => {
    expect(staticBatchOf(symbolic, { declared: 1 })).toBe(1);
  });
});
