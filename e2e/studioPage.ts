// Page object for the studio: what a person does, expressed once for every spec.
import { expect, type Page } from '@playwright/test';
import { readFile } from 'node:fs/promises';

export class StudioPage {
  constructor(readonly page: Page) {}

  async open(query = ''): Promise<void> {
    await this.page.goto(`/${query}`);
  }

  /** Waits until the model is loaded and returns the backend the badge names. */
  async waitReady(): Promise<'WEBGPU' | 'WASM'> {
    await expect(this.page.getByTestId('model-notice')).toBeVisible({ timeout: 120_000 });
    const text = (await this.page.getByTestId('backend').textContent())?.trim();
    expect(['WEBGPU', 'WASM']).toContain(text);
    return text as 'WEBGPU' | 'WASM';
  }

  async chooseBackend(value: 'auto' | 'webgpu' | 'wasm'): Promise<'WEBGPU' | 'WASM'> {
    await this.page.getByTestId('backend-select').selectOption(value);
    await expect(this.page.getByTestId('generate')).toBeEnabled({ timeout: 120_000 });
    return this.waitReady();
  }

  async fill(settings: {
    prompt?: string;
    negative?: string;
    seed?: number;
    steps?: number;
    guidance?: number;
    sampler?: string;
  }): Promise<void> {
    const p = this.page;
    if (settings.prompt !== undefined) await p.getByTestId('prompt').fill(settings.prompt);
    if (settings.negative !== undefined) await p.getByTestId('negative-prompt').fill(settings.negative);
    if (settings.sampler !== undefined) await p.getByTestId('sampler').selectOption(settings.sampler);
    if (settings.seed !== undefined) await p.getByTestId('seed').fill(String(settings.seed));
    if (settings.steps !== undefined) await p.getByTestId('steps').fill(String(settings.steps));
    if (settings.guidance !== undefined) await p.getByTestId('guidance').fill(String(settings.guidance));
  }

  /** Generates with Ctrl+Enter and waits for the new result image; returns its src. */
  async generate(): Promise<string> {
    const img = this.page.getByTestId('result-image');
    const before = (await img.count()) > 0 ? await img.getAttribute('src') : null;
    await expect(this.page.getByTestId('generate')).toBeEnabled();
    await this.page.getByTestId('prompt').press('Control+Enter');
    await expect(img).not.toHaveAttribute('src', before ?? '__none__', { timeout: 180_000 });
    await expect(this.page.getByTestId('generate')).toBeEnabled();
    return (await img.getAttribute('src'))!;
  }

  async downloadPng(): Promise<Buffer> {
    const [download] = await Promise.all([this.page.waitForEvent('download'), this.page.getByTestId('download').click()]);
    return readFile((await download.path())!);
  }

  galleryItems() {
    return this.page.getByTestId('gallery-item');
  }
}
