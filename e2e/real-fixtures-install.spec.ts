// A fixture of ONNX Runtime's optimized SD export (packed KV/QKV MultiHeadAttention and Attention, which the WASM
// backend cannot run as downloaded) installed by manifest URL from the hub test server, patched at install in the
// browser, loaded from IndexedDB with the download as the patched graph's external data, and generating.
import { expect as baseExpect, test } from '@playwright/test';
import { HUB_URL, hub, openLibraryOnHub } from './libraryPage';

const expect = baseExpect.configure({ timeout: 60_000 });
const FAMILY = 'optimizer-mha-fp32';
const ID = `fixture-${FAMILY}`;

test.beforeEach(() => hub.reset());

test('installs the optimizer-forms fixture from the hub by URL, patched at install, and generates with MaskDiffusion offered', async ({
  page,
}) => {
  const { studio, library } = await openLibraryOnHub(page);
  await page.getByTestId('manifest-url').fill(`${HUB_URL}/test-org/${FAMILY}/resolve/main/manifest.json`);
  await page.getByTestId('add-manifest').click();
  await expect(library.entry(ID)).toContainText('ORT optimizer attention forms');
  await library.install('fp32', ID);
  await expect(library.installed(ID)).toContainText('denoiser patched for MaskDiffusion');
  await library.use(ID);
  await expect(page.getByTestId('model-notice')).toContainText('ORT optimizer attention forms');
  await studio.fill({ steps: 2, seed: 5, guidance: 7.5 });
  await studio.generate();
  await expect(page.getByTestId('maskdiffusion-toggle')).toBeEnabled();
  // The UNet came from the hub once; the store served it (as the patched graph's weights) since.
  expect((await hub.stats()).files[`test-org/${FAMILY}/unet/model.onnx`].requests).toBe(1);
});
