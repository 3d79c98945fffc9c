// Service-worker updates that never break an open tab: a new version waits until the user asks for it.
//
// A tab runs the hashed files of the version that loaded it. The worker that serves them from its cache must not
// change under it: a newer worker's activation deletes the old precached files, and after a deployment the server
// no longer has them either, so the tab's next worker or lazy chunk would fail until a reload. So:
// - a newly installed worker waits (vite.config.ts: skipWaiting false) and this tab shows "A new version is ready";
// - only the user's Reload posts SKIP_WAITING to it, then the page reloads onto the new version;
// - activation switches every tab of the origin at once, so every tab that was running under the old worker
//   reloads when its controller changes (what it was working on is in IndexedDB, settings and gallery alike).
//   The first visit's page, which had no worker when it loaded, is claimed without a reload (offline at once).

/** How often an open tab asks for a newer version (the browser also checks on every navigation). */
const UPDATE_CHECK_MS = 60 * 60 * 1000;

let waitingWorker: ServiceWorker | undefined;
const listeners = new Set<() => void>();

function setWaiting(worker: ServiceWorker): void {
  waitingWorker = worker;
  for (const listener of listeners) listener();
}

/** For useSyncExternalStore: whether a new version is installed and waiting for the user's Reload. */
export function subscribeToUpdates(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
export const isUpdateWaiting = (): boolean => waitingWorker !== undefined;

/** Registers the service worker (production builds only: the dev server has none). */
export function registerServiceWorker(scriptUrl: string, scope: string): void {
  if (!('serviceWorker' in navigator)) return;
  const controlledAtStart = Boolean(navigator.serviceWorker.controller);
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    if (controlledAtStart) window.location.reload(); // a new version took over: never run old code under it
  });
  // After load, so precaching (tens of MB) does not compete with the page's own first requests.
  window.addEventListener('load', () => {
    navigator.serviceWorker.register(scriptUrl, { scope }).then(watchForUpdates, (error: unknown) => {
      console.warn('The service worker could not be registered; the studio works, but not offline.', error);
    });
  });
}

function watchForUpdates(registration: ServiceWorkerRegistration): void {
  // "Installed" while a worker already controls this page means a newer version, not the first install.
  const offerIfUpdate = (worker: ServiceWorker | null) => {
    if (worker && navigator.serviceWorker.controller) setWaiting(worker);
  };
  offerIfUpdate(registration.waiting); // installed by another tab, or before this one loaded
  registration.addEventListener('updatefound', () => {
    const installing = registration.installing;
    installing?.addEventListener('statechange', () => {
      if (installing.state === 'installed') offerIfUpdate(installing);
    });
  });
  setInterval(() => registration.update().catch(() => undefined), UPDATE_CHECK_MS); // offline: try again later
}

/** The user's Reload: the waiting version takes over, and every tab (this one first) reloads onto it. */
export function applyUpdate(): void {
  if (!waitingWorker) return;
  navigator.serviceWorker.addEventListener('controllerchange', () => window.location.reload(), { once: true });
  waitingWorker.postMessage({ type: 'SKIP_WAITING' });
}
