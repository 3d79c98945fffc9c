// Offline: after one visit the service worker serves the app shell, cross-origin isolated, and an installed model generates.
import { expect as baseExpect, test } from '@playwright/test';
import { LibraryPage, TINY_ID, hub } from './libraryPage';
import { StudioPage } from './studioPage';

const expect = baseExpect.configure({ timeout: 30_000 });
test.use({ serviceWorkers: 'allow' }); // the config blocks them elsewhere, so other specs run as before

test.beforeEach(() => hub.reset());

test('with the network off, a reload shows the app (cross-origin isolated) and an installed model generates', async ({ page, context }) => {
  const studio = new StudioPage(page);
  const library = new LibraryPage(page);
  await studio.open();
  await studio.waitReady();
  // The service worker precached the shell, ORT's files and the built-in model, then took control.
  await page.evaluate(() => navigator.serviceWorker.ready);
  await expect.poll(() => page.evaluate(() => Boolean(navigator.serviceWorker.controller))).toBe(true);
  await library.open();
  await library.useHub();
  await library.install('fp32');
  await library.use();

  await context.setOffline(true);
  expect(
    await page.evaluate(() =>
      fetch('/__not-cached').then(
        () => 'online',
        () => 'offline',
      ),
    ),
  ).toBe('offline');
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Diffusion Studio' })).toBeVisible();
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true); // COOP/COEP kept on responses from the cache
  await studio.waitReady();
  await library.open();
  await expect(page.getByTestId(`use-${TINY_ID}`)).toHaveText('In use'); // loaded from IndexedDB, not the network
  // ORT's loader came from the cache too, wrapped so its graphs went straight into its heap (ortModuleCapture.mjs).
  await expect(page.getByTestId('model-notice')).toHaveAttribute('data-graphs-in-ort-heap', '3');
  await studio.fill({ steps: 2, seed: 21 });
  await studio.generate();
  await context.setOffline(false);
});

test('the app is installable: a web app manifest with icons, and no installability errors', async ({ page }) => {
  const studio = new StudioPage(page);
  await studio.open();
  await studio.waitReady();
  await page.evaluate(() => navigator.serviceWorker.ready);
  const manifestUrl = await page.locator('link[rel="manifest"]').getAttribute('href');
  const manifest = await (await page.request.get(manifestUrl!)).json();
  expect(manifest).toMatchObject({ name: 'Diffusion Studio', display: 'standalone' });
  expect(manifest.icons.map((i: { sizes: string }) => i.sizes)).toEqual(['192x192', '512x512']);
  const cdp = await page.context().newCDPSession(page);
  const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
  // Playwright's contexts are incognito-like, which alone blocks installing; nothing else may be missing.
  expect(installabilityErrors.filter((e) => e.errorId !== 'in-incognito')).toEqual([]);
});
