// Persisted settings written after a short wait, not on every store change: typing in the prompt changes the
// settings on every keystroke, and each write stringifies them and hands them to localStorage on the main thread.
// The latest value is written when the page is hidden or left, so a reload or a closed tab still keeps it.
import type { PersistStorage, StorageValue } from 'zustand/middleware';

/** A change is written at most this long after it was made (the first pending change starts the wait). */
export const SETTINGS_WRITE_DELAY_MS = 500;

interface DeferredStorageOptions {
  /** Where the JSON goes; a function, as the store is created before anything may touch localStorage in tests. */
  storage?: () => Storage | undefined;
  delayMs?: number;
  /** Receives `pagehide` and `visibilitychange` (the page's window in the browser). */
  pageEvents?: EventTarget;
}

export interface DeferredStorage<S> extends PersistStorage<S> {
  /** Writes every pending value now. */
  flush(): void;
}

export function deferredJsonStorage<S>({
  storage = () => globalThis.localStorage,
  delayMs = SETTINGS_WRITE_DELAY_MS,
  pageEvents = globalThis.window,
}: DeferredStorageOptions = {}): DeferredStorage<S> {
  const pending = new Map<string, StorageValue<S>>();
  let timer: ReturnType<typeof setTimeout> | undefined;

  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    for (const [name, value] of pending) {
      pending.delete(name);
      try {
        storage()?.setItem(name, JSON.stringify(value));
      } catch (error) {
        // A full or blocked storage loses this write, as the immediate write did; typing must not throw for it.
        console.warn(`Could not save ${name}:`, error);
      }
    }
  };

  // pagehide covers reloads, navigations and closed tabs; a hidden page may be discarded without one (mobile).
  pageEvents?.addEventListener('pagehide', flush);
  pageEvents?.addEventListener('visibilitychange', () => {
    if (globalThis.document?.visibilityState !== 'visible') flush();
  });

  return {
    // A value still waiting to be written is the newest one: reads see it, not the older one in storage.
    getItem: (name) => {
      const waiting = pending.get(name);
      if (waiting) return waiting;
      const text = storage()?.getItem(name);
      return text == null ? null : (JSON.parse(text) as StorageValue<S>);
    },
    setItem: (name, value) => {
      pending.set(name, value);
      timer ??= setTimeout(flush, delayMs);
    },
    removeItem: (name) => {
      pending.delete(name);
      storage()?.removeItem(name);
    },
    flush,
  };
}
