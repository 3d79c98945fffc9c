// Generating in a real browser: backend choice, PNG metadata, determinism, main-thread responsiveness.
import { expect, test } from '@playwright/test';
import { StudioPage } from './studioPage';
import { pngPixels } from './pngPixels';

test('generates an image, names the backend and why, and labels the random-weights model', async ({ page }, info) => {
  const studio = new StudioPage(page);
  await studio.open();
  const backend = await studio.waitReady();
  expect(backend).toBe(info.project.name === 'webgpu' ? 'WEBGPU' : 'WASM');
  const reason = await page.getByTestId('backend-reason').textContent();
  expect(reason).toMatch(
    info.project.name === 'webgpu' ? /WebGPU on .*without shader-f16/ : /WASM \(CPU\) because the browser found no WebGPU adapter/,
  );
  await expect(page.getByTestId('model-notice')).toContainText('random weights');

  await studio.fill({ prompt: 'a red cat and a blue dog', negative: 'blurry', seed: 1234, steps: 2, guidance: 7.5, sampler: 'euler' });
  await studio.generate();
  const png = pngPixels(await studio.downloadPng());
  expect(png.width).toBe(128);
  expect(png.text.parameters).toContain(
    'a red cat and a blue dog\nNegative prompt: blurry\nSteps: 2, Sampler: Euler, CFG scale: 7.5, Seed: 1234, Size: 128x128',
  );
  expect(new Set(png.data).size).toBeGreaterThan(16);
  if (info.project.name === 'webgpu') {
    await expect(page.getByTestId('result-meta')).toContainText('0 GPU reads/step');
  }
});

test('the same seed and settings give a byte-identical PNG; another seed does not', async ({ page }) => {
  const studio = new StudioPage(page);
  await studio.open();
  await studio.waitReady();
  await studio.fill({ seed: 99, steps: 2, sampler: 'ddim' });
  await studio.generate();
  const first = await studio.downloadPng();
  await studio.generate();
  const second = await studio.downloadPng();
  expect(second.equals(first)).toBe(true);
  await studio.fill({ seed: 100 });
  await studio.generate();
  const third = await studio.downloadPng();
  expect(pngPixels(third).data).not.toEqual(pngPixels(first).data);
});

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
