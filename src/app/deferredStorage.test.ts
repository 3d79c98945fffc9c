import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { deferredJsonStorage } from './deferredStorage';

/** localStorage's surface, in memory, counting writes. */
function memoryStorage() {
  const items = new Map<string, string>();
  const writes: string[] = [];
  const storage = {
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => {
      writes.push(value);
      items.set(key, value);
    },
    removeItem: (key: string) => void items.delete(key),
  } as unknown as Storage;
  return { storage, items, writes };
}

const saved = (prompt: string) => ({ state: { prompt }, version: 1 });

describe('deferredJsonStorage', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('writes only the last of many quick changes, once, after the delay', () => {
    const { storage, items, writes } = memoryStorage();
    const deferred = deferredJsonStorage<{ prompt: string }>({ storage: () => storage, delayMs: 500, pageEvents: new EventTarget() });
    for (const prompt of ['a', 'ab', 'abc']) deferred.setItem('settings', saved(prompt));
    expect(writes).toHaveLength(0);
    vi.advanceTimersByTime(499);
    expect(writes).toHaveLength(0);
    vi.advanceTimersByTime(1);
    expect(writes).toHaveLength(1);
    expect(JSON.parse(items.get('settings') ?? '')).toEqual(saved('abc'));
  });

  it('keeps writing while changes keep coming (the wait is not restarted by each keystroke)', () => {
    const { storage, writes } = memoryStorage();
    const deferred = deferredJsonStorage<{ prompt: string }>({ storage: () => storage, delayMs: 500, pageEvents: new EventTarget() });
    for (let i = 0; i < 20; i++) {
      deferred.setItem('settings', saved(`p${i}`));
      vi.advanceTimersByTime(100);
    }
    expect(writes.length).toBeGreaterThanOrEqual(3);
  });

  it('writes the pending value at once when the page is left (pagehide), before the delay', () => {
    const { storage, items } = memoryStorage();
    const page = new EventTarget();
    const deferred = deferredJsonStorage<{ prompt: string }>({ storage: () => storage, delayMs: 500, pageEvents: page });
    deferred.setItem('settings', saved('typed just before the reload'));
    page.dispatchEvent(new Event('pagehide'));
    expect(JSON.parse(items.get('settings') ?? '')).toEqual(saved('typed just before the reload'));
  });

  it('writes the pending value when the page is hidden (visibilitychange)', () => {
    const { storage, items } = memoryStorage();
    const page = new EventTarget();
    const deferred = deferredJsonStorage<{ prompt: string }>({ storage: () => storage, delayMs: 500, pageEvents: page });
    deferred.setItem('settings', saved('switched tabs'));
    page.dispatchEvent(new Event('visibilitychange')); // no document here: not visible
    expect(JSON.parse(items.get('settings') ?? '')).toEqual(saved('switched tabs'));
  });

  it('reads back a value still waiting to be written, and the stored one otherwise', () => {
    const { storage, items } = memoryStorage();
    items.set('settings', JSON.stringify(saved('stored')));
    const deferred = deferredJsonStorage<{ prompt: string }>({ storage: () => storage, pageEvents: new EventTarget() });
    expect(deferred.getItem('settings')).toEqual(saved('stored'));
    deferred.setItem('settings', saved('newer'));
    expect(deferred.getItem('settings')).toEqual(saved('newer'));
    expect(deferred.getItem('missing')).toBeNull();
  });

  it('a removal drops the pending write too', () => {
    const { storage, items } = memoryStorage();
    const deferred = deferredJsonStorage<{ prompt: string }>({ storage: () => storage, pageEvents: new EventTarget() });
    deferred.setItem('settings', saved('gone'));
    deferred.removeItem('settings');
    vi.runAllTimers();
    expect(items.has('settings')).toBe(false);
  });

  it('a storage that refuses the write (quota) does not throw into the store', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const full = {
      setItem: () => {
        throw new DOMException('full', 'QuotaExceededError');
      },
    } as unknown as Storage;
    const deferred = deferredJsonStorage<{ prompt: string }>({ storage: () => full, pageEvents: new EventTarget() });
    deferred.setItem('settings', saved('x'));
    expect(() => deferred.flush()).not.toThrow();
    expect(warn).toHaveBeenCalled();
    warn.mockRestore();
  });
});
