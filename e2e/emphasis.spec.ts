// Emphasis in the browser: a word's slider rewrites the prompt, the same seed re-runs into a before/after
// comparison, and the per-word heatmap renders normalised.
import { expect, test } from '@playwright/test';
import { StudioPage } from './studioPage';
import { pngPixels } from './pngPixels';

const imageBytes = (page: import('@playwright/test').Page, testId: string) =>
  page
    .getByTestId(testId)
    .evaluate(async (img: HTMLImageElement) => Array.from(new Uint8Array(await (await fetch(img.src)).arrayBuffer())));

test('slider weight -> prompt text -> same-seed comparison -> heatmap', async ({ page }) => {
  const studio = new StudioPage(page);
  await studio.open();
  await studio.waitReady();
  await studio.fill({ prompt: 'a red cat and a blue dog', seed: 31, steps: 2, sampler: 'euler', guidance: 7.5 });
  await page.getByTestId('heatmaps-toggle').check();
  await studio.generate();

  // Chips follow the text, and the slider writes the weight back into the text.
  const chips = page.getByTestId('chip');
  await expect(chips).toHaveText(['a', 'red', 'cat', 'and', 'a', 'blue', 'dog']);
  await chips.nth(1).click();
  await page.getByTestId('chip-slider').fill('1.5');
  await expect(page.getByTestId('prompt')).toHaveValue('a (red:1.5) cat and a blue dog');
  await expect(chips.nth(1)).toHaveAttribute('data-weight', '1.5');
  // ... and typing emphasis in the text updates the chips (Compel syntax, auto-detected).
  await page.getByTestId('prompt').fill('a red cat and a blue dog++');
  await expect(chips.nth(6)).toHaveAttribute('data-weight', String(1.1 * 1.1));
  await expect(chips.nth(1)).toHaveAttribute('data-weight', '1');
  await page.getByTestId('prompt').fill('a (red:1.5) cat and a blue dog');
  await expect(chips.nth(1)).toHaveAttribute('data-weight', '1.5');

  await page.getByTestId('rerun-compare').click();
  await expect(page.getByTestId('comparison')).toBeVisible({ timeout: 180_000 });
  await expect(page.getByTestId('comparison-label-a')).toContainText('a red cat and a blue dog');
  await expect(page.getByTestId('comparison-label-b')).toContainText('a (red:1.5) cat');
  const before = pngPixels(Buffer.from(await imageBytes(page, 'comparison-off')));
  const after = pngPixels(Buffer.from(await imageBytes(page, 'comparison-on')));
  expect(after.data).not.toEqual(before.data);
  expect(after.text.parameters).toMatch(/Seed: 31/);
  expect(before.text.parameters).toMatch(/Seed: 31/);

  // The heatmap of a word renders, normalised to a maximum of 1 (see src/core/heatmaps/wordHeatmap.ts).
  await page.getByTestId('heatmap-word').selectOption({ label: 'cat' });
  const overlay = page.getByTestId('heatmap-overlay');
  await expect(overlay).toBeVisible();
  await expect(overlay).toHaveAttribute('data-max', '1.0000');
  expect(Number(await overlay.getAttribute('data-min'))).toBeGreaterThanOrEqual(0);
  await page.getByTestId('heatmap-step').selectOption({ label: 'step 1' });
  await expect(overlay).toHaveAttribute('data-max', '1.0000');
});
