// Waiting on the studio store in Node tests.
import type { StoreApi } from 'zustand/vanilla';
import type { StudioState } from './slices/types';

/** Resolves once the store's state passes `test` (checked on every change). */
export function until(store: StoreApi<StudioState>, test: (s: StudioState) => boolean): Promise<void> {
  if (test(store.getState())) return Promise.resolve();
  return new Promise((done) => {
    const stop = store.subscribe((s) => test(s) && (stop(), done()));
  });
}
