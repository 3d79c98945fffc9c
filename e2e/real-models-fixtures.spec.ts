// Fixtures of the real exports' signatures installed from the hub test server through the Models panel, as a user
// would, then generating on WASM: fp16 I/O with a static batch of 1 (SD-Turbo WebNN) and of 2 (SD 1.5 WebNN),
// and fp16 compute behind float32 I/O, patched at install (SD-Turbo as the ORT WebGPU example exports it).
import { expect as baseExpect, test } from '@playwright/test';
import { HUB_URL, hub, openLibraryOnHub } from './libraryPage';
import { pngPixels } from './pngPixels';

/** Library steps take seconds; fail fast instead of waiting out the suite's two-minute default. */
const expect = baseExpect.configure({ timeout: 60_000 });

test.beforeEach(() => hub.reset());

const FAMILIES = [
  { family: 'sd-turbo-webnn', name: 'Fixture: SD-Turbo, WebNN export' },
  { family: 'sd15-webnn', name: 'Fixture: SD 1.5, WebNN export' },
  { family: 'sd-turbo-ort-web-sdpa', name: 'Fixture: SD-Turbo, ORT Web export (sdpa)' },
];

for (const { family, name } of FAMILIES) {
  test(`installs the ${family} fixture from the hub server and generates with guidance, AND and emphasis`, async ({ page }) => {
    const { studio, library } = await openLibraryOnHub(page);
    const id = `fixture-${family}`;
    await page.getByTestId('manifest-url').fill(`${HUB_URL}/test-org/${family}/resolve/main/manifest.json`);
    await page.getByTestId('add-manifest').click();
    await expect(library.entry(id)).toContainText(name);
    // fp16 on WASM: the CPU runs it, so the variant is offered although there is no GPU.
    await expect(page.getByTestId(`variant-${id}-fp16`)).toHaveAttribute('data-available', 'true');
    await library.install('fp16', id);
    expect((await hub.bytesServed('unet/model.onnx', `test-org/${family}`)) > 0).toBe(true);
    await library.use(id);
    await expect(page.getByTestId('model-notice')).toContainText(name);

    await studio.fill({ prompt: 'a red cat', negative: 'blurry', steps: 2, seed: 5, guidance: 7.5 });
    await studio.generate();
    const guided = pngPixels(await studio.downloadPng());
    expect(new Set(guided.data.filter((_, i) => i % 4 === 0)).size).toBeGreaterThan(8); // not one flat colour
    expect(guided.text.parameters).toContain(`Model: "${name}"`); // quoted: the name holds a comma;
    expect(guided.text.parameters).toContain('Model variant: fp16');

    await studio.fill({ prompt: 'a red cat AND a blue dog' });
    await studio.generate();
    const and = pngPixels(await studio.downloadPng());
    expect(Buffer.from(and.data).equals(Buffer.from(guided.data))).toBe(false);

    await studio.fill({ prompt: 'a (red:1.5) cat', guidance: 1 });
    await studio.generate();
    const emphasis = pngPixels(await studio.downloadPng());
    expect(Buffer.from(emphasis.data).equals(Buffer.from(guided.data))).toBe(false);
    await expect(page.getByTestId('error')).toHaveCount(0);
  });
}
