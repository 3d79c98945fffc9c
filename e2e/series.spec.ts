// Batches and X/Y grids: every image equals the single run of its settings; cancel keeps what was made.
import { expect, test, type Page } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { pngPixels } from './pngPixels';
import { StudioPage } from './studioPage';

/** The PNG of each finished result cell, downloaded as a person would, in cell order. */
async function cellPngs(page: Page): Promise<Buffer[]> {
  const links = page.getByTestId('series-cell-png');
  const pngs: Buffer[] = [];
  for (let i = 0; i < (await links.count()); i++) {
    const [download] = await Promise.all([page.waitForEvent('download'), links.nth(i).click()]);
    pngs.push(await readFile((await download.path())!));
  }
  return pngs;
}

async function singleRun(studio: StudioPage, settings: { prompt?: string; seed: number }): Promise<Buffer> {
  await studio.fill(settings);
  await studio.generate();
  return studio.downloadPng();
}

test('a batch of 4 gives seeds s..s+3, each the same PNG as its single run; cancel keeps the finished images', async ({ page }) => {
  const studio = new StudioPage(page);
  await studio.open();
  await studio.waitReady();
  await studio.fill({ prompt: 'a red circle', seed: 50, steps: 2 });
  await page.getByTestId('batch-count').fill('4');
  await page.getByTestId('generate-batch').click();
  await expect(page.getByTestId('series-results')).toContainText('Batch: 4 of 4 images');
  await expect(page.getByTestId('series-cell')).toHaveCount(4);
  expect(await page.getByTestId('series-cell').evaluateAll((cells) => cells.map((c) => (c as HTMLElement).dataset.seed))).toEqual([
    '50',
    '51',
    '52',
    '53',
  ]);
  const batch = await cellPngs(page);
  for (const [i, seed] of [50, 51, 52, 53].entries()) expect((await singleRun(studio, { seed })).equals(batch[i])).toBe(true);

  const galleryBefore = await studio.galleryItems().count();
  await studio.fill({ seed: 60, steps: 30 });
  await page.getByTestId('batch-count').fill('16');
  await page.getByTestId('generate-batch').click();
  await expect(page.getByTestId('series-status')).toContainText(/Image 2 of 16, step \d+ of 30 · [\d.]+ s\/step · about \d+ s left/);
  await page.getByTestId('cancel-series').click();
  await expect(page.getByTestId('series-results')).toContainText(/Batch: 1 of 16 images \(cancelled\)/);
  await expect(page.getByTestId('series-cell').locator('img')).toHaveCount(1);
  await expect(studio.galleryItems()).toHaveCount(galleryBefore + 1);
  await expect(page.getByTestId('generate')).toBeEnabled();
});

test('an X/Y grid of 2 weights x 2 seeds equals the four single runs, and downloads as one labelled PNG', async ({ page }) => {
  const studio = new StudioPage(page);
  await studio.open();
  await studio.waitReady();
  // Opened before the prompt is typed: the prompt's word chips appear above the panel a moment later, and a click
  // landing as they push it down can miss the summary on a busy machine.
  await page.getByTestId('xy-grid').locator('summary').click();
  await expect(page.getByTestId('xy-grid')).toHaveAttribute('open', '');
  await studio.fill({ prompt: 'a red circle and a blue square', seed: 5, steps: 2 });
  await page.getByTestId('grid-x-kind').selectOption('weight');
  await page.getByTestId('grid-x-word').fill('blue');
  await page.getByTestId('grid-x-values').fill('0.5, 1.5');
  await page.getByTestId('grid-y-kind').selectOption('seed');
  await page.getByTestId('grid-y-values').fill('7, 8');
  await page.getByTestId('generate-grid').click();
  await expect(page.getByTestId('series-results')).toContainText('X/Y grid: 4 of 4 images');
  await expect(page.getByTestId('series-results')).toContainText('blue: 1.5');
  const grid = await cellPngs(page);
  const cells = [
    ['(blue:0.5)', 7],
    ['(blue:1.5)', 7],
    ['(blue:0.5)', 8],
    ['(blue:1.5)', 8],
  ] as const;
  for (const [i, [word, seed]] of cells.entries()) {
    expect((await singleRun(studio, { prompt: `a red circle and a ${word} square`, seed })).equals(grid[i])).toBe(true);
  }

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-grid').click()]);
  const png = pngPixels(await readFile((await download.path())!));
  expect(png.text.parameters).toContain('X Type: Word weight, X Values: "0.5, 1.5", X Word: blue, Y Type: Seed, Y Values: "7, 8"');
  expect(png.width).toBeGreaterThan(2 * 128);
  expect(png.height).toBeGreaterThan(2 * 128);
});
