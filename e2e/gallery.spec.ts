// The gallery (WASM only: nothing here depends on the backend): kept across reloads with the settings; filter,
// the large viewer with the keyboard, a zip of selected images, multi-select delete.
import { expect, test } from '@playwright/test';
import { unzipSync } from 'fflate';
import { readFile } from 'node:fs/promises';
import { StudioPage } from './studioPage';

test('filter, view with the keyboard, download a zip of the selection (the same PNG bytes) and delete it', async ({ page }) => {
  const studio = new StudioPage(page);
  await studio.open();
  await studio.waitReady();
  const made: Record<number, Buffer> = {};
  let firstSrc: string | null = null;
  for (const [prompt, seed] of [
    ['a red circle', 1],
    ['a red circle', 2],
    ['a blue square', 3],
  ] as const) {
    await studio.fill({ prompt, seed, steps: 2 });
    await studio.generate();
    made[seed] = await studio.downloadPng();
    if (seed === 1) {
      await expect(studio.galleryItems()).toHaveCount(1);
      firstSrc = await studio.galleryItems().first().locator('img').getAttribute('src');
      expect(firstSrc).toMatch(/^blob:/);
    }
  }
  await expect(page.getByTestId('gallery-count')).toContainText('3 images');
  // The first image's thumbnail kept its URL through the two later generations (it was not reloaded).
  const firstThumb = studio.galleryItems().last().locator('img');
  expect(await firstThumb.getAttribute('src')).toBe(firstSrc);

  await page.getByTestId('gallery-filter').fill('BLUE');
  await expect(studio.galleryItems()).toHaveCount(1);
  await expect(page.getByTestId('gallery-shown')).toHaveText('1 of 3 shown');
  await page.getByTestId('gallery-filter').fill('');
  await expect(studio.galleryItems()).toHaveCount(3);

  // Newest first: the viewer opens on seed 3, → goes to seed 2, Esc closes.
  await studio
    .galleryItems()
    .first()
    .getByRole('button', { name: /^View:/ })
    .click();
  const viewer = page.getByTestId('gallery-viewer');
  await expect(viewer.getByTestId('gallery-viewer-settings')).toContainText('Seed3');
  await expect(viewer.getByTestId('gallery-viewer-settings')).toContainText('Prompta blue square');
  await page.keyboard.press('ArrowRight');
  await expect(viewer.getByTestId('gallery-viewer-position')).toHaveText('2 / 3');
  await expect(viewer.getByTestId('gallery-viewer-settings')).toContainText('Seed2');
  await page.keyboard.press('Escape');
  await expect(viewer).toBeHidden();

  await page.getByRole('checkbox', { name: 'Select seed 1' }).check();
  await page.getByRole('checkbox', { name: 'Select seed 2' }).check();
  await expect(page.getByTestId('gallery-selected')).toHaveText('2 selected');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('gallery-zip').click()]);
  const files = unzipSync(new Uint8Array(await readFile((await download.path())!)));
  const bySeed = Object.fromEntries(
    Object.entries(files).map(([name, bytes]) => [Number(/^studio-(\d+)-/.exec(name)![1]), Buffer.from(bytes)]),
  );
  expect(Object.keys(bySeed).sort()).toEqual(['1', '2']);
  expect(bySeed[1].equals(made[1])).toBe(true);
  expect(bySeed[2].equals(made[2])).toBe(true);

  page.once('dialog', (dialog) => void dialog.accept());
  await page.getByTestId('gallery-delete-selected').click();
  await expect(studio.galleryItems()).toHaveCount(1);
  await page.reload();
  await expect(studio.galleryItems()).toHaveCount(1);
  await expect(page.getByTestId('gallery-count')).toContainText('1 image,');
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
  const alts = await studio
    .galleryItems()
    .locator('img')
    .evaluateAll((imgs) => imgs.map((i) => (i as HTMLImageElement).naturalWidth));
  expect(alts).toEqual([128, 128]);
});
