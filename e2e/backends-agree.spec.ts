// The WASM and WebGPU backends produce the same image for the same settings (within 2/255).
import { expect, test } from '@playwright/test';
import { StudioPage } from './studioPage';
import { meanAbsDiffRgb, pngPixels } from './pngPixels';

// Runs in the webgpu project only (see playwright.config.ts).
test('WASM and WebGPU images of the same settings agree', async ({ page }) => {
  const studio = new StudioPage(page);
  await studio.open();
  expect(await studio.waitReady()).toBe('WEBGPU');
  await studio.fill({ prompt: 'a green triangle', seed: 2024, steps: 2, sampler: 'euler', guidance: 5 });
  await studio.generate();
  const gpu = pngPixels(await studio.downloadPng());
  expect(await studio.chooseBackend('wasm')).toBe('WASM');
  await studio.generate();
  const cpu = pngPixels(await studio.downloadPng());
  const diff = meanAbsDiffRgb(gpu.data, cpu.data);
  console.log(`WASM vs WebGPU mean absolute difference: ${diff.toFixed(4)} / 255`);
  expect(diff).toBeLessThanOrEqual(2);
  expect(gpu.text.parameters).toContain('Backend: webgpu');
  expect(cpu.text.parameters).toContain('Backend: wasm');
});

// A worker that started on WASM runs ORT's WASM-only build (smaller, faster to start); WebGPU needs the other build,
// so choosing WebGPU restarts the engine worker, and the image matches one made on WebGPU from the start.
test('a studio that started on WASM switches to WebGPU (a fresh engine with ORT WebGPU build), and back', async ({ page }) => {
  await page.addInitScript(() => {
    if (sessionStorage.getItem('seeded')) return;
    sessionStorage.setItem('seeded', '1');
    localStorage.setItem('studio-settings', JSON.stringify({ state: { backendPreference: 'wasm' }, version: 1 }));
  });
  const studio = new StudioPage(page);
  await studio.open();
  expect(await studio.waitReady()).toBe('WASM');
  await studio.fill({ prompt: 'a green triangle', seed: 2024, steps: 2, sampler: 'euler', guidance: 5 });
  await studio.generate();
  const cpu = pngPixels(await studio.downloadPng());
  expect(await studio.chooseBackend('webgpu')).toBe('WEBGPU');
  await expect(page.getByTestId('error')).toHaveCount(0);
  await studio.generate();
  const gpu = pngPixels(await studio.downloadPng());
  expect(gpu.text.parameters).toContain('Backend: webgpu');
  expect(meanAbsDiffRgb(gpu.data, cpu.data)).toBeLessThanOrEqual(2);
  expect(await studio.chooseBackend('wasm')).toBe('WASM');
  await studio.generate();
  expect(pngPixels(await studio.downloadPng()).data).toEqual(cpu.data);
});
