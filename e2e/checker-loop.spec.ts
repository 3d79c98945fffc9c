// The checker panel and the System 2 loop in Chromium, with the deterministic colour/region checker in the checker worker.
import { expect, test } from '@playwright/test';
import { CheckerPanel } from './checkerPanel';
import { useRandomBuiltInModel } from './randomModel';
import { StudioPage } from './studioPage';

const PROMPT = 'a red cat on the left and a blue dog on the right';
const FAILING = 'Is the left half more red than the right half?';

// The rounds' scores and changes below were pinned on the random-weights model.
test.beforeEach(({ context }) => useRandomBuiltInModel(context));

test('open the panel, score an image, edit a question, run two loop rounds that change a setting and raise the score, accept a round', async ({
  page,
}) => {
  const studio = new StudioPage(page);
  const checker = new CheckerPanel(page);
  await studio.open();
  await studio.waitReady();
  await studio.fill({ prompt: PROMPT, negative: 'blurry, lowres', seed: 42, steps: 4, guidance: 7.5, sampler: 'euler' });
  await expect(page.getByTestId('maskdiffusion-toggle')).not.toBeChecked();
  const startSrc = await studio.generate();

  // Nothing of the checker runs until the panel opens (its worker script is fetched on first use).
  const checkerWorkerFetched = () =>
    page.evaluate(() => performance.getEntriesByType('resource').some((e) => e.name.includes('checker.worker')));
  expect(await checkerWorkerFetched()).toBe(false);
  await checker.open();
  await checker.chooseModel('rules');
  await expect(checker.questionInputs().first()).toHaveValue('Is there a cat?');
  await expect(checker.questionInputs()).toHaveCount(7); // 2 objects x (object, colour, position) + the whole prompt

  const first = await checker.score();
  expect(await checkerWorkerFetched()).toBe(true); // the same probe sees it once it is used
  expect(first).toHaveLength(7);
  expect(first.find((s) => s.question === 'Is there a cat?')?.pYes).toBe(0.5); // the rules cannot see cats: an even 0.5
  await expect(page.getByTestId('checker-scores')).toContainText("a model's estimate");

  // Edit a question into one the rules measure, and score again: it fails on this image.
  await checker.questionInputs().nth(1).fill(FAILING); // was "Is the cat red?"
  const edited = await checker.score();
  const before = edited.find((s) => s.question === FAILING)!;
  expect(before.pass).toBe(false);
  const overallBefore = await checker.overall();

  await checker.runLoop(2);
  await expect(checker.rounds()).toHaveCount(3);
  await expect(page.getByTestId('checker-loop')).toHaveAttribute('data-stop-reason', 'rounds-done');
  // Round 1: the failed question concerns the red cat, so MaskDiffusion is switched on at 1.5.
  await expect(checker.round(1).getByTestId('round-change')).toHaveAttribute('data-adjustment', 'mask-strength');
  await expect(checker.round(1).getByTestId('round-change')).toHaveAttribute('data-to', '1.5');
  await expect(checker.round(1)).toHaveAttribute('data-mask-strength', '1.5');
  const failing1 = await checker.roundScore(1, FAILING);
  const overall1 = Number(await checker.round(1).getAttribute('data-overall'));
  expect(failing1).toBeGreaterThan(before.pYes);
  expect(overall1).toBeGreaterThan(overallBefore);
  // Round 2 starts from the best round and tries the next adjustment: another seed.
  await expect(checker.round(2).getByTestId('round-change')).toHaveAttribute('data-adjustment', 'seed');
  await expect(checker.round(2)).toHaveAttribute('data-seed', String(42 + 7919));
  const overall2 = Number(await checker.round(2).getAttribute('data-overall'));
  const best = overall2 > overall1 ? 2 : 1;
  await expect(checker.round(best)).toHaveAttribute('data-best', 'true');
  console.log(
    `checker loop: start ${overallBefore.toFixed(4)} ("${FAILING}" ${before.pYes.toFixed(4)}), round 1 ${overall1.toFixed(4)} (${failing1.toFixed(4)}), round 2 ${overall2.toFixed(4)}`,
  );

  // Accept round 1: its image and settings become current, and it joins the gallery.
  const galleryBefore = await studio.galleryItems().count();
  await checker.round(1).getByTestId('round-accept').click();
  await expect(page.getByTestId('result-image')).not.toHaveAttribute('src', startSrc);
  await expect(page.getByTestId('maskdiffusion-toggle')).toBeChecked();
  await expect(page.getByTestId('seed')).toHaveValue('42');
  await expect(studio.galleryItems()).toHaveCount(galleryBefore + 1);
  const rescored = await checker.score();
  expect(rescored.find((s) => s.question === FAILING)!.pYes).toBeCloseTo(failing1, 10); // the accepted image is round 1's
});

test('stop ends a running loop between rounds, keeping the rounds so far', async ({ page }) => {
  const studio = new StudioPage(page);
  const checker = new CheckerPanel(page);
  await studio.open();
  await studio.waitReady();
  await studio.fill({ prompt: PROMPT, seed: 42, steps: 8 });
  await studio.generate();
  await checker.open();
  await checker.chooseModel('rules');
  await checker.setQuestions([FAILING]);
  await page.getByTestId('loop-rounds-input').fill('8');
  await page.getByTestId('loop-run').click();
  await expect(checker.round(1)).toBeVisible({ timeout: 120_000 });
  await page.getByTestId('loop-stop').click();
  await expect(page.getByTestId('checker-loop')).toHaveAttribute('data-stop-reason', 'stopped', { timeout: 60_000 });
  expect(await checker.rounds().count()).toBeLessThan(9);
  await expect(page.getByTestId('generate')).toBeEnabled(); // the studio is usable again
});
