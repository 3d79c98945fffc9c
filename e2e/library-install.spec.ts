// Installing models through the Models panel: from the hub test server, from files on disk; and what is refused.
import { expect as baseExpect, test } from '@playwright/test';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { HUB_URL, LibraryPage, TINY_FP32_SIZE, TINY_ID, TINY_NAME, hub, openLibraryOnHub } from './libraryPage';
import { StudioPage } from './studioPage';

/** Library steps take seconds; fail fast instead of waiting out the suite's two-minute default. */
const expect = baseExpect.configure({ timeout: 30_000 });

test.beforeEach(() => hub.reset());

/** Every file of the built-in model's folder, as a plain multi-file pick gives them (names only, no folders). */
function tinyModelFiles(dir = 'public/models/tiny-sd'): string[] {
  return readdirSync(dir).flatMap((name) =>
    statSync(join(dir, name)).isDirectory() ? tinyModelFiles(join(dir, name)) : [join(dir, name)],
  );
}

test('installs the tiny model from the hub server, patched at install, and generates with it', async ({ page }) => {
  const studio = new StudioPage(page);
  const library = new LibraryPage(page);
  await studio.open();
  await studio.waitReady();
  await library.open();
  await expect(library.entry('sd-turbo-ort-web')).toContainText('Stability AI Non-Commercial Research Community License');
  // No adapter in this project: the fp16 SD-Turbo variant is greyed with the reason.
  await expect(page.getByTestId('variant-sd-turbo-ort-web-fp16')).toHaveAttribute('data-available', 'false');
  await expect(page.getByTestId('variant-sd-turbo-ort-web-fp16')).toContainText('unavailable: needs the GPU feature shader-f16');
  await expect(page.getByTestId('variant-tiny-sd-random-fp32')).toContainText(TINY_FP32_SIZE); // exact: the manifest pins every size

  await library.useHub();
  await library.startDownload('fp32');
  await expect(page.getByTestId(`install-progress-${TINY_ID}`)).toBeVisible();
  await library.waitInstalled('fp32');
  await expect(library.installed()).toContainText('denoiser patched for MaskDiffusion');
  await expect(library.installed()).toContainText('5/5 files verified');
  await library.use();
  await expect(page.getByTestId('model-notice')).toContainText(TINY_NAME);
  // Its three graphs (text encoder, patched UNet, VAE) were read from OPFS straight into ORT's heap (runtime.modelBytes).
  await expect(page.getByTestId('model-notice')).toHaveAttribute('data-graphs-in-ort-heap', '3');
  await studio.fill({ steps: 2, seed: 7 });
  await studio.generate();
  // The stored graph was patched at install: MaskDiffusion is offered without patching at load.
  await expect(page.getByTestId('maskdiffusion-toggle')).toBeEnabled();
  // The choice survives a reload: the engine loads the installed model again.
  await page.reload();
  await studio.waitReady();
  // A fresh engine too (ORT loads with the helper graphs, before the model's own are read).
  await expect(page.getByTestId('model-notice')).toHaveAttribute('data-graphs-in-ort-heap', '3');
  await studio.generate();
  await library.open();
  await expect(page.getByTestId(`use-${TINY_ID}`)).toHaveText('In use');
});

test('imports the tiny model from its files on disk and generates with it', async ({ page }) => {
  const studio = new StudioPage(page);
  const library = new LibraryPage(page);
  await studio.open();
  await studio.waitReady();
  await library.open();
  await page.getByTestId(`import-files-${TINY_ID}`).setInputFiles(tinyModelFiles());
  await library.waitInstalled('fp32');
  await expect(library.installed()).toHaveAttribute('data-variants', 'fp32,int8');
  expect(Object.keys((await hub.stats()).files)).toEqual([]); // nothing came from the hub
  await library.use();
  await studio.fill({ steps: 2, seed: 8 });
  await studio.generate();
});

test('imports a picked folder (sub-folders keep same-named files apart)', async ({ page }) => {
  const studio = new StudioPage(page);
  const library = new LibraryPage(page);
  await studio.open();
  await studio.waitReady();
  await library.open();
  await page.getByTestId(`import-folder-${TINY_ID}`).setInputFiles('public/models/tiny-sd');
  await library.waitInstalled('int8');
  await expect(library.installed()).toContainText('8/8 files verified');
});

test('installs the tiny model from files dropped on its entry', async ({ page }) => {
  const studio = new StudioPage(page);
  const library = new LibraryPage(page);
  await studio.open();
  await studio.waitReady();
  await library.open();
  const paths = tinyModelFiles().map((f) => f.replace('public/', ''));
  // A drop as the browser delivers it: a DataTransfer holding File objects (loose files, names only).
  const drop = await page.evaluateHandle(async (urls) => {
    const data = new DataTransfer();
    for (const url of urls) data.items.add(new File([await (await fetch(url)).blob()], url.slice(url.lastIndexOf('/') + 1)));
    return data;
  }, paths);
  await library.entry().dispatchEvent('drop', { dataTransfer: drop });
  await library.waitInstalled('fp32');
  await expect(library.installed()).toHaveAttribute('data-variants', 'fp32,int8');
});

test('downloads from the mirror when the hub is unreachable, and the settings survive a reload', async ({ page }) => {
  const studio = new StudioPage(page);
  const library = new LibraryPage(page);
  await studio.open();
  await studio.waitReady();
  await library.open();
  await library.useHub('http://127.0.0.1:9'); // nothing listens there
  await page.getByTestId('mirror-base').fill(HUB_URL);
  await page.getByTestId('use-mirror').check();
  await library.install('int8');
  expect((await hub.stats()).files['test-org/tiny-sd/unet/model_int8.onnx'].requests).toBe(1);
  await page.reload();
  await library.open();
  await expect(page.getByTestId('hub-base')).toHaveValue('http://127.0.0.1:9');
  await expect(page.getByTestId('mirror-base')).toHaveValue(HUB_URL);
  await expect(page.getByTestId('use-mirror')).toBeChecked();
});

test('refuses a host that is neither the configured hub nor the mirror, and reports a 404 naming the file', async ({ page }) => {
  const { library } = await openLibraryOnHub(page);
  // localhost and 127.0.0.1 are different origins: only the configured one is allowed.
  const foreign = HUB_URL.replace('127.0.0.1', 'localhost');
  await page.getByTestId('manifest-url').fill(`${foreign}/test-org/tiny-sd/resolve/main/manifest.json`);
  await page.getByTestId('add-manifest').click();
  await expect(page.getByTestId('library-error')).toContainText(
    `Refused to download from ${foreign}: it is neither the configured hub (${HUB_URL}) nor the configured mirror (none set).`,
  );
  await page.getByTestId('library-error').getByRole('button', { name: 'Dismiss' }).click();

  await hub.setFaults([{ type: 'not-found', path: 'unet/model_int8.onnx' }]);
  await library.startDownload('int8');
  await expect(library.error()).toContainText(
    `Model file unet/model_int8.onnx was not found at ${HUB_URL}/test-org/tiny-sd/resolve/main/unet/model_int8.onnx (HTTP 404).`,
  );
  await expect(library.error()).toContainText('Check the manifest and the mirror setting.');
  // The refused URL (same server under another name) was never requested.
  expect((await hub.stats()).files['test-org/tiny-sd/manifest.json']).toBeUndefined();
});
