// Step-by-step diffusion in the browser: pause, step, scrub, previews, VAE decode, resume, exports, and
// a final image byte-identical to an uninterrupted run.
import { expect, test } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { StudioPage } from './studioPage';
import { pngPixels } from './pngPixels';

const canvasPixels = (page: import('@playwright/test').Page, testId: string) =>
  page.getByTestId(testId).evaluate((c: HTMLCanvasElement) => Array.from(c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data));

test('pause, step twice, scrub back, decode, resume, export; the result equals an uninterrupted run', async ({ page }) => {
  const studio = new StudioPage(page);
  await studio.open();
  await studio.waitReady();
  await studio.fill({ prompt: 'a green triangle and a yellow star', seed: 8080, steps: 4, sampler: 'euler', guidance: 7.5 });
  await page.getByTestId('teaching-toggle').check();
  await expect(page.getByTestId('schedule-plot')).toHaveAttribute('data-points', '4');

  await page.getByTestId('prompt').press('Control+Enter');
  const state = page.getByTestId('paused-state');
  await expect(state).toHaveAttribute('data-before-step', '0');
  await page.getByTestId('step-once').click();
  await expect(state).toHaveAttribute('data-before-step', '1');
  await page.keyboard.press('ArrowRight'); // the keyboard shortcut for a single step
  await expect(state).toHaveAttribute('data-before-step', '2');
  await expect(page.getByTestId('step-view')).toHaveAttribute('data-step', '1');
  await expect(page.getByTestId('schedule-current')).toBeVisible();
  await expect(page.getByTestId('schedule-plot')).toHaveAttribute('data-current', '1');

  const stepTwo = await canvasPixels(page, 'step-x0');
  await page.getByTestId('timeline-scrubber').fill('0'); // scrub back to step 1
  await expect(page.getByTestId('step-view')).toHaveAttribute('data-step', '0');
  await expect(page.getByTestId('schedule-plot')).toHaveAttribute('data-current', '0');
  const stepOne = await canvasPixels(page, 'step-x0');
  expect(stepOne).not.toEqual(stepTwo);
  const sigmaOne = Number(await page.getByTestId('step-sigma').textContent());
  await page.getByTestId('decode-step').click();
  await expect(page.getByTestId('step-decoded')).toBeVisible();

  await page.getByTestId('resume').click();
  await expect(page.getByTestId('result-image')).toBeVisible({ timeout: 180_000 });
  await expect(page.getByTestId('generate')).toBeEnabled();
  await page.getByTestId('timeline-scrubber').fill('3');
  expect(Number(await page.getByTestId('step-sigma').textContent())).toBeLessThan(sigmaOne);

  const [strip] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-strip').click()]);
  const stripPng = pngPixels(await readFile((await strip.path())!));
  expect([stripPng.width, stripPng.height]).toEqual([4 * 128, 128]);
  const [gif] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-gif').click()]);
  expect((await readFile((await gif.path())!)).subarray(0, 6).toString('latin1')).toBe('GIF89a');

  const stepped = await studio.downloadPng();
  await page.getByTestId('teaching-toggle').uncheck();
  await studio.generate();
  const uninterrupted = await studio.downloadPng();
  expect(stepped.equals(uninterrupted)).toBe(true);
});

test('a paused run shows the selected step on the main canvas; the presentation view opens, steps and closes with the keyboard', async ({
  page,
}) => {
  const studio = new StudioPage(page);
  await studio.open();
  await studio.waitReady();
  await studio.fill({ prompt: 'a red circle', seed: 31, steps: 4, sampler: 'euler', guidance: 7.5 });
  await page.getByTestId('teaching-toggle').check();
  await page.getByTestId('prompt').press('Control+Enter');
  const state = page.getByTestId('paused-state');
  await expect(state).toHaveAttribute('data-before-step', '0');
  await page.getByTestId('step-once').click();
  await expect(state).toHaveAttribute('data-before-step', '1');
  expect(await canvasPixels(page, 'main-step-image')).toEqual(await canvasPixels(page, 'step-x0'));
  await page.getByTestId('decode-step').click();
  await expect(page.getByTestId('main-step-image')).toHaveAttribute('data-source', 'decode');
  expect(await page.getByTestId('main-step-image').getAttribute('src')).toBe(await page.getByTestId('step-decoded').getAttribute('src'));

  await page.getByTestId('present').focus();
  await page.keyboard.press('Enter');
  const presentation = page.getByTestId('presentation');
  await expect(presentation.getByTestId('presentation-step')).toHaveText('Step 1 of 4');
  await page.keyboard.press('ArrowRight'); // the run is paused at its newest step: → runs the next one, once
  await expect(state).toHaveAttribute('data-before-step', '2');
  await expect(presentation.getByTestId('presentation-step')).toHaveText('Step 2 of 4');
  await page.keyboard.press('ArrowLeft');
  await expect(presentation.getByTestId('presentation-step')).toHaveText('Step 1 of 4');
  await page.keyboard.press('Escape');
  await expect(presentation).toBeHidden();
  await expect(state).toHaveAttribute('data-before-step', '2'); // Esc closed the view; it did not cancel the run
});
