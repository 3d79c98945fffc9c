// The flags every Chromium this project launches gets (e2e tests, benches): a quiet browser, so figures and tests
// measure the app and not Chromium's own background work. One list, imported by playwright.config.ts and the benches.

/**
 * - `--no-sandbox`: the tests and benches run as root in a container, where Chromium's sandbox cannot start.
 * - `--disable-background-networking`: no safe-browsing, variations or other fetches of Chromium's own during a run.
 * - `--disable-component-update`: no component downloads (CRLSets, Widevine...) competing for the CPU and network.
 * - `--disable-sync`: no sign-in or sync service starting in a fresh profile.
 * - `--no-first-run`: no first-run dialogs or import of another browser's data.
 * - `--disable-quic`: plain HTTP to the local servers, no QUIC probing.
 */
export const QUIET_CHROMIUM_FLAGS = Object.freeze([
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
]);

/** Debian's Chromium (Playwright's own browser download is unavailable here), or CHROMIUM_PATH. */
export const chromiumPath = () => process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
