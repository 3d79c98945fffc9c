// Presets and recent prompts: saved, kept across a reload, applied, exported and imported; a bad file is refused.
import { expect, test } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { StudioPage } from './studioPage';

test('a preset survives a reload and restores the form; export, import, and a malformed file refused', async ({ page }) => {
  const studio = new StudioPage(page);
  await studio.open();
  await studio.waitReady();
  await studio.fill({ prompt: 'a green triangle', negative: 'blurry', seed: 77, steps: 2, guidance: 4, sampler: 'ddim' });
  await studio.generate(); // a finished image puts its prompt in the recent prompts
  const presets = page.getByTestId('presets');
  await presets.locator('summary').click();
  await page.getByTestId('preset-name').fill('Triangle');
  await page.getByTestId('preset-save').click();

  await studio.fill({ prompt: 'something else', negative: '', seed: 1, steps: 3, guidance: 9, sampler: 'euler' });
  await page.reload();
  await presets.locator('summary').click();
  await expect(page.getByTestId('recent-prompts')).toContainText('a green triangle');
  await page.getByRole('button', { name: 'Apply the preset Triangle' }).click();
  await expect(page.getByTestId('prompt')).toHaveValue('a green triangle');
  await expect(page.getByTestId('negative-prompt')).toHaveValue('blurry');
  await expect(page.getByTestId('seed')).toHaveValue('77');
  await expect(page.getByTestId('steps')).toHaveValue('2');
  await expect(page.getByTestId('guidance')).toHaveValue('4');
  await expect(page.getByTestId('sampler')).toHaveValue('ddim');

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('preset-export').click()]);
  const exported = JSON.parse(await readFile((await download.path())!, 'utf8'));
  expect(exported.presets.map((p: { name: string }) => p.name)).toEqual(['Triangle']);

  const bad = { ...exported, presets: [{ name: 'Broken', settings: { ...exported.presets[0].settings, steps: '20' } }] };
  await page
    .getByTestId('preset-import')
    .setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(bad)) });
  await expect(page.getByTestId('preset-message')).toHaveText(
    'bad.json was not imported: Preset 1 ("Broken"): settings.steps must be a number.',
  );
  await expect(page.getByTestId('preset')).toHaveCount(1);

  const good = { ...exported, presets: [{ ...exported.presets[0], name: 'Triangle copy' }] };
  await page
    .getByTestId('preset-import')
    .setInputFiles({ name: 'good.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(good)) });
  await expect(page.getByTestId('preset-message')).toHaveText('Imported 1 preset from good.json.');
  await expect(page.getByTestId('preset')).toHaveCount(2);
});
