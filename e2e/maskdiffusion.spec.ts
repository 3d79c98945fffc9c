// MaskDiffusion in the browser: a two-object prompt, a drawn box, masks over the image, the A/B view.
import { expect, test } from '@playwright/test';
import { StudioPage } from './studioPage';
import { pngPixels } from './pngPixels';

test('draw a box for one object, generate with masking on, see the masks and the A/B view', async ({ page }, info) => {
  const studio = new StudioPage(page);
  await studio.open();
  expect(await studio.waitReady()).toBe(info.project.name === 'webgpu' ? 'WEBGPU' : 'WASM');
  await studio.fill({ prompt: 'a red cat and a blue dog', seed: 77, steps: 2, sampler: 'euler', guidance: 7.5 });
  await page.getByTestId('maskdiffusion-toggle').check();
  await expect(page.getByTestId('mask-object')).toHaveText([/a red cat/, /a blue dog/]);

  // Draw the dog's box on the right half of the canvas.
  await page.getByTestId('draw-box-1').click();
  // The button sits low in the form column: as a person would, scroll the canvas back into view before drawing.
  await page.getByTestId('box-canvas').scrollIntoViewIfNeeded();
  const canvas = (await page.getByTestId('box-canvas').boundingBox())!;
  await page.mouse.move(canvas.x + canvas.width * 0.55, canvas.y + canvas.height * 0.1);
  await page.mouse.down();
  await page.mouse.move(canvas.x + canvas.width * 0.95, canvas.y + canvas.height * 0.9, { steps: 6 });
  await page.mouse.up();
  await expect(page.getByTestId('user-box-1')).toBeVisible();

  await studio.generate();
  // 2 steps are too few to learn masks from: the cat's region comes from a probe pass, the dog's is the box.
  await expect(page.getByTestId('mask-info')).toHaveAttribute('data-source', 'probe');
  await expect(page.getByTestId('mask-overlay-0')).toBeVisible();
  await expect(page.getByTestId('mask-overlay-1')).toBeVisible();
  const dogOverlay = (await page.getByTestId('mask-overlay-1').boundingBox())!;
  expect(dogOverlay.x).toBeGreaterThan(canvas.x + canvas.width * 0.5);
  const png = pngPixels(await studio.downloadPng());
  expect(png.text.parameters).toMatch(/MaskDiffusion: "strength 1, corrected, masks from probe"/);

  await page.getByTestId('compare-ab').click();
  await expect(page.getByTestId('comparison')).toBeVisible({ timeout: 180_000 });
  const [off, on] = await Promise.all(
    ['comparison-off', 'comparison-on'].map((id) =>
      page
        .getByTestId(id)
        .evaluate(async (img: HTMLImageElement) => Array.from(new Uint8Array(await (await fetch(img.src)).arrayBuffer()))),
    ),
  );
  const offPixels = pngPixels(Buffer.from(off)).data;
  const onPixels = pngPixels(Buffer.from(on)).data;
  expect(onPixels).not.toEqual(offPixels);
  expect(pngPixels(Buffer.from(off)).text.parameters).not.toContain('MaskDiffusion');
});
