// Downloads under faults the hub test server injects, driven from the Models panel: drops, reloads, damage, quota.
import { expect as baseExpect, test, type Page } from '@playwright/test';
import { HUB_URL, TINY_ID, TINY_NAME, TINY_REPO, hub, tinyFileSize, openLibraryOnHub } from './libraryPage';

const expect = baseExpect.configure({ timeout: 30_000 });
const UNET = 'unet/model.onnx';

test.beforeEach(() => hub.reset());

/** Bytes the panel shows as received for one file of the running install. */
async function fileLoaded(page: Page, path: string): Promise<number> {
  const row = page.getByTestId(`install-progress-${TINY_ID}`).locator('li', { hasText: path }).first();
  const text =
    (await row
      .locator('.install-file-bytes')
      .textContent({ timeout: 1000 })
      .catch(() => '')) ?? '';
  const match = /^([\d.]+) (B|KB|MB)/.exec(text);
  return match ? Number(match[1]) * { B: 1, KB: 1024, MB: 1024 ** 2 }[match[2] as 'B'] : 0;
}

test('a dropped connection resumes from the stored bytes, and finished files are not fetched again', async ({ page }) => {
  const { library } = await openLibraryOnHub(page);
  const dropAfter = 2_000_000;
  // Throttled, so the worker stores chunks before the cut: at full speed all 2 MB can arrive while it is busy,
  // and a fetch stream that errors drops the bytes it had not handed over yet, leaving nothing stored to resume from.
  await hub.setFaults([
    { type: 'slow', path: UNET, bytesPerSecond: 4_000_000, times: 1 },
    { type: 'drop', path: UNET, afterBytes: dropAfter, times: 1 },
  ]);
  await library.install('fp32');
  const stats = (await hub.stats()).files;
  const unet = stats[`test-org/tiny-sd/${UNET}`];
  expect(unet.rangeStarts[0]).toBe(0);
  const resumedFrom = unet.rangeStarts[1];
  expect(resumedFrom).toBeGreaterThan(0); // Range from the last stored chunk, not from byte 0
  expect(unet.bytesServed).toBe(dropAfter + (tinyFileSize(UNET) - resumedFrom));
  for (const path of ['text_encoder/model.onnx', 'vae_decoder/model.onnx', 'tokenizer/tokenizer.json'])
    expect(stats[`test-org/tiny-sd/${path}`].requests).toBe(1);
});

test('a reload in the middle of a slow download resumes where the stored bytes end', async ({ page }) => {
  const { library } = await openLibraryOnHub(page);
  await hub.setFaults([{ type: 'slow', path: UNET, bytesPerSecond: 1_000_000, times: 1 }]);
  await library.startDownload('fp32');
  await expect.poll(() => fileLoaded(page, UNET), { timeout: 20_000 }).toBeGreaterThan(1_500_000);
  await page.reload();
  await library.open();
  await expect(library.installed()).toHaveAttribute('data-ready', 'false');
  await page.getByTestId(`resume-${TINY_ID}`).click();
  await library.waitInstalled('fp32');
  const stats = (await hub.stats()).files;
  const unet = stats[`test-org/tiny-sd/${UNET}`];
  expect(unet.rangeStarts).toHaveLength(2);
  expect(unet.rangeStarts[1]).toBeGreaterThan(1_000_000); // the chunks stored before the reload were kept
  for (const path of ['text_encoder/model.onnx', 'vae_decoder/model.onnx']) expect(stats[`test-org/tiny-sd/${path}`].requests).toBe(1);
});

for (const fault of [
  { type: 'corrupt' as const, message: 'Model file unet/model_int8.onnx failed its checksum: the download was corrupted.' },
  { type: 'html' as const, message: 'Model file unet/model_int8.onnx came back as an HTML page, not the file' },
]) {
  test(`a ${fault.type === 'html' ? 'HTML page served with status 200' : 'corrupted byte'} is rejected naming the file and the remedy; the installed variant stays usable`, async ({
    page,
  }) => {
    const { studio, library } = await openLibraryOnHub(page);
    await library.install('fp32');
    await hub.setFaults([{ type: fault.type, path: 'unet/model_int8.onnx' }]);
    await library.startDownload('int8');
    await expect(library.error()).toContainText(fault.message);
    await expect(library.error()).toContainText(
      fault.type === 'html'
        ? 'Check that the model repository is public and the hub or mirror URL is right'
        : 'The damaged file was discarded; press Resume (or Download) to fetch it again',
    );
    await expect(library.installed()).toHaveAttribute('data-variants', 'fp32');
    await library.use();
    await studio.fill({ steps: 2, seed: 5 });
    await studio.generate();
  });
}

test('a download the hub redirects to another host is refused naming that host, and nothing from it is stored', async ({ page }) => {
  // The same hub server under another host name: a host the deployment's CSP allows (playwright.config.ts lists it)
  // but the library settings do not, so only the studio's own final-URL check stands between it and the store.
  const elsewhere = HUB_URL.replace('127.0.0.1', 'localhost');
  const { library } = await openLibraryOnHub(page);
  await hub.setFaults([{ type: 'redirect', path: UNET, origin: elsewhere }]);
  await library.startDownload('fp32');
  await expect(library.error()).toContainText(
    `Refused the download of ${HUB_URL}/${TINY_REPO}/resolve/main/${UNET}: it was redirected to ${new URL(elsewhere).host}, which is not ${HUB_URL}.`,
  );
  await expect(library.error()).toContainText('Nothing from that host was stored');
  await expect(library.installed()).toHaveAttribute('data-ready', 'false');
  await expect(library.installed()).not.toContainText('5/5 files verified');
  expect((await hub.stats()).files[`${TINY_REPO}/${UNET}`].requests).toBe(1); // the body was cancelled, not retried
});

test('a full quota (CDP Storage.overrideQuotaForOrigin) is reported with the space needed, and nothing stored is lost', async ({
  page,
  baseURL,
}) => {
  // Chromium applies a quota override to IndexedDB only when it is set before the origin first opens a database.
  const cdp = await page.context().newCDPSession(page);
  const origin = new URL(baseURL!).origin;
  await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: 2_500_000 });
  const { studio, library } = await openLibraryOnHub(page);
  await studio.fill({ steps: 2, seed: 9 });
  await studio.generate(); // a gallery image, in IndexedDB too
  await library.startDownload('fp32');
  await expect(library.error()).toContainText(`Not enough storage space to install ${TINY_NAME}: it needs about `);
  await expect(library.error()).toContainText(/it needs about [\d.]+ MB more\./);
  await expect(library.error()).toContainText(
    'Free disk space or delete other models, then resume: the parts already downloaded are kept.',
  );
  await expect(library.installed()).toHaveAttribute('data-ready', 'false');
  await expect(library.installed()).toContainText(/[1-9]\/5 files verified/);
  await expect(studio.galleryItems()).toHaveCount(1);

  await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: 100_000_000 }); // space freed
  await page.getByTestId(`resume-${TINY_ID}`).click();
  await library.waitInstalled('fp32');
  expect((await hub.stats()).files['test-org/tiny-sd/text_encoder/model.onnx'].requests).toBe(1); // kept, not fetched again
  await expect(studio.galleryItems()).toHaveCount(1);
});

test('deleting a model frees its space', async ({ page }) => {
  const { library } = await openLibraryOnHub(page);
  await library.install('fp32');
  const used = async () => Number(await page.getByTestId('storage-summary').getAttribute('data-usage'));
  const before = await used();
  await page.getByTestId(`delete-${TINY_ID}`).click();
  await expect(library.installed()).toHaveCount(0);
  await expect.poll(used).toBeLessThan(before - 4_000_000);
});
