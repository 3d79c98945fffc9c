// Settings and the form around loading, which no backend changes (WASM only): old saved settings are completed with
// the new blocks' defaults, the form takes its bounds from the settings limits, the backend selector waits for the model,
// and a model's own suggested settings fill the form until the person changes them.
import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { StudioPage } from './studioPage';
import { pngPixels } from './pngPixels';

test('settings saved before MaskDiffusion and emphasis existed load with their defaults, and the form takes its bounds from the settings limits', async ({
  page,
}) => {
  await page.addInitScript(() => {
    if (sessionStorage.getItem('seeded')) return;
    sessionStorage.setItem('seeded', '1');
    const old = { prompt: 'a red cat', negativePrompt: '', seed: 5, steps: 2, guidance: 7.5, sampler: 'euler' };
    localStorage.setItem('studio-settings', JSON.stringify({ state: { settings: old }, version: 1 }));
  });
  const studio = new StudioPage(page);
  await studio.open();
  await studio.waitReady();
  await expect(page.getByTestId('prompt')).toHaveValue('a red cat');
  await expect(page.getByTestId('maskdiffusion-toggle')).not.toBeChecked();
  await expect(page.getByTestId('mask-strength')).toHaveValue('1');
  await expect(page.getByTestId('mask-strength')).toHaveAttribute('max', '3');
  await expect(page.getByTestId('mask-variant')).toHaveValue('corrected');
  await expect(page.getByTestId('emphasis-mode')).toHaveValue('embeddingScaling');
  await expect(page.getByTestId('emphasis-syntax')).toHaveValue('auto');
  await expect(page.getByTestId('seed')).toHaveAttribute('max', '4294967295');
  await expect(page.getByTestId('guidance')).toHaveAttribute('max', '30');
  await expect(page.getByTestId('steps')).toHaveAttribute('max', '150');
  await page.getByTestId('sampler').selectOption('lcm');
  await expect(page.getByTestId('steps')).toHaveAttribute('max', '8');
  await page.getByTestId('sampler').selectOption('euler');

  // The filled-in blocks are real settings: changed, they persist across a reload, and the run uses them.
  await page.getByTestId('mask-variant').selectOption('reference');
  await page.getByTestId('emphasis-syntax').selectOption('compel');
  await page.reload();
  await studio.waitReady();
  await expect(page.getByTestId('mask-variant')).toHaveValue('reference');
  await expect(page.getByTestId('emphasis-syntax')).toHaveValue('compel');
  await studio.generate();
  expect(pngPixels(await studio.downloadPng()).text.parameters).toContain('a red cat\nSteps: 2, Sampler: Euler, CFG scale: 7.5, Seed: 5');
});

test('the backend selector is disabled while a model loads, and enabled once it is ready', async ({ page }) => {
  const studio = new StudioPage(page);
  // Holds the UNet's bytes until the test has looked at the selector, so "while loading" is not a race.
  let release = () => {};
  const held = new Promise<void>((go) => (release = go));
  await page.context().route('**/models/tiny-sd/unet/*.onnx', async (route) => {
    await held;
    await route.continue();
  });
  await studio.open();
  await expect(page.getByTestId('backend')).toHaveText('Starting…');
  await expect(page.getByTestId('backend-select')).toBeDisabled();
  release();
  await studio.waitReady();
  await expect(page.getByTestId('backend-select')).toBeEnabled();
});

test("a model's example prompts are offered under the prompt box and fill it when clicked; a model without them shows none", async ({
  page,
  context,
}) => {
  // The built-in model's manifest, served first listing no examples, then listing two.
  let examples: string[] | undefined;
  await context.route('**/models/tiny-sd/manifest.json', async (route) => {
    const manifest = await (await route.fetch()).json();
    manifest.examplePrompts = examples;
    await route.fulfill({ json: manifest });
  });
  const studio = new StudioPage(page);
  await studio.open();
  await studio.waitReady();
  await expect(page.getByTestId('example-prompts')).toHaveCount(0);

  examples = ['a red circle', 'a yellow star above a purple heart'];
  await page.reload();
  await studio.waitReady();
  await expect(page.getByTestId('example-prompt')).toHaveText(examples);
  await page.getByTestId('example-prompt').nth(1).click();
  await expect(page.getByTestId('prompt')).toHaveValue(examples[1]);
});

test("a first visit gets the built-in model's suggested sampler, steps, guidance and first example prompt; the person's changes outlive a reload, and Model defaults puts the model's back", async ({
  page,
}) => {
  const manifest = JSON.parse(readFileSync('public/models/tiny-sd/manifest.json', 'utf8'));
  const { sampler, steps, guidance } = manifest.defaults;
  const studio = new StudioPage(page);
  await studio.open();
  await studio.waitReady();
  await expect(page.getByTestId('prompt')).toHaveValue(manifest.examplePrompts[0]);
  await expect(page.getByTestId('sampler')).toHaveValue(sampler);
  await expect(page.getByTestId('steps')).toHaveValue(String(steps));
  await expect(page.getByTestId('guidance')).toHaveValue(String(guidance));
  await expect(page.getByTestId('model-defaults')).toBeDisabled();

  await studio.fill({ steps: 3, prompt: 'a green ring' });
  await expect(page.getByTestId('model-defaults')).toBeEnabled();
  await page.reload();
  await studio.waitReady();
  await expect(page.getByTestId('steps')).toHaveValue('3');
  await expect(page.getByTestId('prompt')).toHaveValue('a green ring');
  await page.getByTestId('model-defaults').click();
  await expect(page.getByTestId('steps')).toHaveValue(String(steps));
  await expect(page.getByTestId('prompt')).toHaveValue('a green ring');
  await expect(page.getByTestId('model-defaults')).toBeDisabled();
});
