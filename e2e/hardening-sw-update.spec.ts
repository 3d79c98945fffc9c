// A new deployment while tabs are open: the new service worker waits, the open tab keeps working on the files of its
// own version and offers "A new version is ready — Reload"; the Reload moves every open tab onto the new version.
import { expect as baseExpect, test, type Page } from '@playwright/test';
import { startDeployment, type Deployment } from './deploymentServer';
import { StudioPage } from './studioPage';

const expect = baseExpect.configure({ timeout: 60_000 });
test.use({ serviceWorkers: 'allow' });

let deployment: Deployment;
test.beforeEach(async () => {
  deployment = await startDeployment();
});
test.afterEach(() => deployment.close());

/** The version whose scripts the page runs: 2 once it loads the renamed /assets-v2/ files (0 mid-navigation). */
const runningVersion = (page: Page) => page.evaluate(() => (document.querySelector('script[src*="/assets-v2/"]') ? 2 : 1)).catch(() => 0);

async function openControlled(page: Page): Promise<void> {
  await page.goto(deployment.url);
  await new StudioPage(page).waitReady();
  await page.evaluate(() => navigator.serviceWorker.ready);
  await expect.poll(() => page.evaluate(() => Boolean(navigator.serviceWorker.controller))).toBe(true);
}

test('an update waits for Reload; the open tabs keep working on their own files, then all move to the new version', async ({ context }) => {
  const first = await context.newPage();
  await openControlled(first);
  const second = await context.newPage();
  await second.goto(deployment.url);
  await new StudioPage(second).waitReady();
  // A hashed file the tab has not used yet (the library worker starts when the Models panel opens).
  const libraryWorker = await first.evaluate(
    async () => (await (await fetch('/sw.js')).text()).match(/assets\/library\.worker-[\w-]+\.js/)![0],
  );

  deployment.deploy(2); // the old hashed files are gone from the server
  await first.evaluate(async () => (await navigator.serviceWorker.getRegistration())!.update());
  await expect(first.getByTestId('update-ready')).toContainText('A new version is ready');
  await expect(second.getByTestId('update-ready')).toBeVisible();

  // Nothing took over: the open tab still gets its version's files (from the cache) and its workers start.
  expect(await first.evaluate((url) => fetch(`/${url}`).then((r) => r.status), libraryWorker)).toBe(200);
  await first.getByTestId('open-library').click();
  await expect(first.getByTestId('model-library')).toBeVisible();
  await expect(first.getByTestId('installed-tiny-sd-random').or(first.getByTestId('catalog-tiny-sd-random'))).toBeVisible();
  const studio = new StudioPage(first);
  await studio.fill({ steps: 2, seed: 3 });
  await studio.generate();
  expect(await runningVersion(first)).toBe(1);

  // Reload in one tab: the new version takes over, and every tab reloads onto it rather than run old code under it.
  await first.getByTestId('update-reload').click();
  await expect.poll(() => runningVersion(first)).toBe(2);
  await expect.poll(() => runningVersion(second)).toBe(2);
  for (const page of [first, second]) {
    await new StudioPage(page).waitReady(); // the engine worker of version 2 starts
    await expect(page.getByTestId('update-ready')).toHaveCount(0);
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  }
});
