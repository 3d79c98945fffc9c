// "A new version is ready — Reload": shown while a newer service worker waits (app/appUpdates.ts).
import { useSyncExternalStore } from 'react';
import { applyUpdate, isUpdateWaiting, subscribeToUpdates } from '../app/appUpdates';

export function UpdateBanner() {
  const waiting = useSyncExternalStore(subscribeToUpdates, isUpdateWaiting);
  if (!waiting) return null;
  return (
    <div className="update-banner" role="status" data-testid="update-ready">
      <span>A new version is ready.</span>
      <button type="button" data-testid="update-reload" onClick={applyUpdate}>
        Reload
      </button>
    </div>
  );
}
