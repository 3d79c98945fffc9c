// Cancelling mid-run, on both backends (the WebGPU run keeps its latents on the GPU between steps).
import { expect, test } from '@playwright/test';
import { StudioPage } from './studioPage';

test('cancel stops a run between steps and keeps the studio usable', async ({ page }) => {
  const studio = new StudioPage(page);
  await studio.open();
  await studio.waitReady();
  await studio.fill({ steps: 60, seed: 3 });
  await page.getByTestId('generate').click();
  const progress = page.getByTestId('progress');
  await expect(progress).toHaveAttribute('data-step', /^[1-9]/);
  await page.keyboard.press('Escape');
  await expect(progress).toBeHidden();
  await expect(page.getByTestId('result-image')).toHaveCount(0);
  await expect(studio.galleryItems()).toHaveCount(0);
  await expect(page.getByTestId('error')).toHaveCount(0);
  await studio.fill({ steps: 2 });
  await studio.generate();
  await expect(studio.galleryItems()).toHaveCount(1);
});
