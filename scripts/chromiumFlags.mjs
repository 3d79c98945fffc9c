// The flags every Chromium this project launches gets (e2e tests, benches): a quiet browser, so figures and tests
// measure the app and not Chromium's own background work. One list, imported by playwright.config.ts and the benches.

/**
 * Playwright's own feature switches (playwright-core 1.65's chromiumSwitches). Chromium reads only the last
 * --disable-features and the last --enable-features on its command line, and Playwright puts the args it is given
 * after its own, so a switch of ours must carry Playwright's names or they are silently dropped.
 * e2e/chromium-flags.spec.ts reads the browser's command line and fails when a name of Playwright's is missing.
 */
const PLAYWRIGHT_DISABLED_FEATURES = [
  'AvoidUnnecessaryBeforeUnloadCheckSync',
  'DestroyProfileOnBrowserClose',
  'HttpsUpgrades',
  'HttpsFirstBalancedModeAutoEnable',
  'LensOverlay',
  'MediaRouter',
  'PaintHolding',
  'ThirdPartyStoragePartitioning',
  'AvoidCorsURLLoaderRestartOnRedirect',
  'TcpPortRandomizationWin',
  'OptimizationHints',
  'NetworkTimeServiceQuerying',
  'AimEnabled',
  'PreconnectToSearch',
  'msForceBrowserSignIn',
  'msEdgeUpdateLaunchServicesPreferredVersion',
];
const PLAYWRIGHT_ENABLED_FEATURES = ['CDPScreenshotNewSurface', 'SkipListAccountsWithoutGaiaCookies'];

/**
 * Browser UI that a headless tab never shows. Each new tab (each test's page, each bench visit) started Chromium's
 * omnibox popup, a WebUI renderer of its own, busy while the tab opened, on 2 cores beside the studio's start (a
 * Chromium trace of the cold-start bench showed it). With any one of the three variants left on, the renderer still
 * starts.
 */
export const UNSEEN_BROWSER_UI = Object.freeze(['WebUIOmniboxPopup', 'WebUIOmniboxFullPopup', 'WebUIOmniboxAimPopup']);

/** The one --enable-features switch a launch may add: Playwright's names and `features`. */
export function enableFeaturesFlag(...features) {
  return `--enable-features=${[...PLAYWRIGHT_ENABLED_FEATURES, ...features].join(',')}`;
}

/**
 * - `--no-sandbox`: the tests and benches run as root in a container, where Chromium's sandbox cannot start.
 * - `--disable-background-networking`: no safe-browsing, variations or other fetches of Chromium's own during a run.
 * - `--disable-component-update`: no component downloads (CRLSets, Widevine...) competing for the CPU and network.
 * - `--disable-sync`: no sign-in or sync service starting in a fresh profile.
 * - `--no-first-run`: no first-run dialogs or import of another browser's data.
 * - `--disable-quic`: plain HTTP to the local servers, no QUIC probing.
 * - `--disable-features`: Playwright's list and the browser UI no headless tab shows (above).
 */
export const QUIET_CHROMIUM_FLAGS = Object.freeze([
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  `--disable-features=${[...PLAYWRIGHT_DISABLED_FEATURES, ...UNSEEN_BROWSER_UI].join(',')}`,
]);

/** Debian's Chromium (Playwright's own browser download is unavailable here), or CHROMIUM_PATH. */
export const chromiumPath = () => process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
