// Cancelling mid-run, and the gallery surviving a reload (IndexedDB).
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

test('the gallery and the settings survive a reload', async ({ page }) => {
  const studio = new StudioPage(page);
  await studio.open();
  await studio.waitReady();
  await studio.fill({ prompt: 'a yellow star above a purple heart', steps: 2, seed: 11 });
  await studio.generate();
  await studio.fill({ seed: 12 });
  await studio.generate();
  await expect(studio.galleryItems()).toHaveCount(2);
  await page.reload();
  await expect(studio.galleryItems()).toHaveCount(2);
  await expect(page.getByTestId('prompt')).toHaveValue('a yellow star above a purple heart');
  await expect(page.getByTestId('seed')).toHaveValue('12');
  const alts = await studio.galleryItems().locator('img').evaluateAll((imgs) => imgs.map((i) => (i as HTMLImageElement).naturalWidth));
  expect(alts).toEqual([128, 128]);
});
