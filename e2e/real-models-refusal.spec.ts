// A variant this backend cannot run is greyed with a sentence that says why, before any byte is downloaded:
// on WASM the real SD-Turbo's UNet is too large for the CPU backend's memory; on a WebGPU adapter without
// shader-f16 (SwiftShader) the fp16 fixture is refused with a pointer to WASM, where it does run.
import { expect as baseExpect, test } from '@playwright/test';
import { HUB_URL, LibraryPage, hub } from './libraryPage';
import { StudioPage } from './studioPage';

const expect = baseExpect.configure({ timeout: 60_000 });

test.beforeEach(() => hub.reset());

test('variants the backend cannot run are refused with the reason before a download starts', async ({ page }) => {
  const studio = new StudioPage(page);
  const library = new LibraryPage(page);
  await studio.open();
  const backend = await studio.waitReady();
  await library.open();
  await library.useHub();
  await page.getByTestId('manifest-url').fill(`${HUB_URL}/test-org/sd15-webnn/resolve/main/manifest.json`);
  await page.getByTestId('add-manifest').click();
  const fixture = page.getByTestId('variant-fixture-sd15-webnn-fp16');
  const realTurbo = page.getByTestId('variant-sd-turbo-ort-web-fp16');
  await expect(library.entry('fixture-sd15-webnn')).toBeVisible();

  if (backend === 'WASM') {
    // The CPU runs fp16 graphs: the small fixture is offered; the real 1.7 GB UNet is not.
    await expect(fixture).toHaveAttribute('data-available', 'true');
    await expect(realTurbo).toHaveAttribute('data-available', 'false');
    await expect(realTurbo).toContainText(
      "needs the GPU feature shader-f16, which this browser offers no GPU with; at about 1.6 GB its UNet is too large for the WASM (CPU) backend's memory",
    );
    await expect(page.getByTestId('download-sd-turbo-ort-web')).toBeDisabled();
  } else {
    // SwiftShader has no shader-f16: fp16 shaders would output zeros, so the fixture is refused here.
    await expect(fixture).toHaveAttribute('data-available', 'false');
    await expect(fixture).toContainText(
      'needs the GPU feature shader-f16, which this GPU lacks; switch the backend to WASM to run it on the CPU (slowly)',
    );
    await expect(page.getByTestId('download-fixture-sd15-webnn')).toBeDisabled();
  }
  expect(Object.keys((await hub.stats()).files).filter((f) => f.endsWith('.onnx'))).toEqual([]);
});
