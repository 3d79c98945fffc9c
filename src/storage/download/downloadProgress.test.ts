// Progress totals, speed over the sliding window and time left, on a controlled clock.
import { describe, expect, it } from 'vitest';
import { ProgressTracker, SPEED_WINDOW_MS } from './downloadProgress';

function trackerAt(files: { path: string; total?: number }[]) {
  let time = 0;
  const tracker = new ProgressTracker('m', files, () => time);
  return { tracker, advance: (ms: number) => (time += ms) };
}

describe('ProgressTracker', () => {
  it('sums files, and knows the total only once every size is known', () => {
    const { tracker } = trackerAt([{ path: 'a', total: 100 }, { path: 'b' }]);
    tracker.update('a', { loaded: 40, state: 'downloading' });
    expect(tracker.snapshot()).toMatchObject({ loaded: 40, total: undefined, secondsLeft: undefined });
    tracker.update('b', { total: 300 });
    expect(tracker.snapshot()).toMatchObject({ loaded: 40, total: 400 });
    expect(tracker.snapshot().files).toEqual([
      { path: 'a', loaded: 40, total: 100, state: 'downloading' },
      { path: 'b', loaded: 0, total: 300, state: 'queued' },
    ]);
  });

  it('measures speed from network bytes only and derives the time left', () => {
    const { tracker, advance } = trackerAt([{ path: 'a', total: 10_000 }]);
    tracker.update('a', { loaded: 4_000 }); // stored by an earlier session: not speed
    for (let i = 0; i < 4; i++) {
      advance(500);
      tracker.addReceived(500);
      tracker.update('a', { loaded: 4_000 + 500 * (i + 1) });
    }
    const p = tracker.snapshot();
    expect(p.bytesPerSecond).toBeCloseTo(1000, 6);
    expect(p.secondsLeft).toBeCloseTo(4, 6); // 4000 bytes left at 1000 B/s
  });

  it('forgets bytes older than the window, so a stall shows as a slower speed', () => {
    const { tracker, advance } = trackerAt([{ path: 'a', total: 1e9 }]);
    for (let i = 0; i < 10; i++) {
      advance(1000);
      tracker.addReceived(10_000);
    }
    expect(tracker.snapshot().bytesPerSecond).toBeCloseTo(10_000, 6);
    advance(SPEED_WINDOW_MS - 1000);
    tracker.addReceived(1);
    // The window now holds one second of 10 kB then a stall, over the whole window.
    expect(tracker.snapshot().bytesPerSecond).toBeLessThan(3_000);
    expect(tracker.snapshot().bytesPerSecond).toBeGreaterThan(0);
  });
});
