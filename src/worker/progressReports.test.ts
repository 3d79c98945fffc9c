import { describe, expect, it } from 'vitest';
import type { GenerationPhase } from '../shared/protocol';
import { coalescedReports } from './progressReports';

type Report = { phase: GenerationPhase; step: number };

function reporter(intervalMs: number) {
  let clock = 0;
  const posted: string[] = [];
  const report = coalescedReports<Report>(
    (r) => posted.push(`${r.phase}:${r.step}`),
    intervalMs,
    () => clock,
  );
  return { posted, at: (ms: number, r: Report) => ((clock = ms), report(r)) };
}

describe('coalesced progress reports', () => {
  it('posts each new phase at once and the same phase at most once per interval', () => {
    const { posted, at } = reporter(100);
    at(0, { phase: 'encode', step: 0 });
    at(5, { phase: 'denoise', step: 0 }); // a new phase, 5 ms later
    at(35, { phase: 'denoise', step: 1 });
    at(65, { phase: 'denoise', step: 2 });
    at(105, { phase: 'denoise', step: 3 }); // 100 ms after the last one posted
    at(135, { phase: 'denoise', step: 4 });
    at(140, { phase: 'decode', step: 4 });
    expect(posted).toEqual(['encode:0', 'denoise:0', 'denoise:3', 'decode:4']);
  });

  it('posts every step of a model whose steps take longer than the interval', () => {
    const { posted, at } = reporter(100);
    at(0, { phase: 'encode', step: 0 });
    for (let step = 0; step <= 3; step++) at(10 + step * 150, { phase: 'denoise', step });
    expect(posted).toEqual(['encode:0', 'denoise:0', 'denoise:1', 'denoise:2', 'denoise:3']);
  });
});
