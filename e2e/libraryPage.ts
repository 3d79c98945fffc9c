// Page object for the Models panel and the hub test server it downloads from (faults, byte counts).
import { expect, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import type { HubFault, HubStats } from '../scripts/hub-server/server.d.mts';
import { formatBytes } from '../src/storage/storageQuota';
import { StudioPage } from './studioPage';

/** The hub test server playwright.config.ts starts beside the app (another origin, as the real hub is). */
export const HUB_URL = `http://127.0.0.1:${process.env.E2E_HUB_PORT ?? 4191}`;
export const TINY_ID = 'tiny-sd-random';
export const TINY_REPO = 'test-org/tiny-sd';
/** The built-in model's library entry: specs quote its name and sizes from here, so a retrained model changes no spec. */
const TINY_ENTRY = JSON.parse(readFileSync(new URL('../models/manifests/tiny-sd.json', import.meta.url), 'utf8')) as {
  name: string;
  files: { path: string; size: number }[];
};
export const TINY_NAME = TINY_ENTRY.name;
export const tinyFileSize = (path: string): number => TINY_ENTRY.files.find((f) => f.path === path)!.size;
/** The fp32 variant's download size as the catalogue shows it: every file but the int8 graphs. */
export const TINY_FP32_SIZE = formatBytes(TINY_ENTRY.files.filter((f) => !f.path.includes('_int8')).reduce((sum, f) => sum + f.size, 0));

export const hub = {
  async setFaults(faults: HubFault[]): Promise<void> {
    await fetch(`${HUB_URL}/__faults`, { method: 'POST', body: JSON.stringify(faults) });
  },
  async reset(): Promise<void> {
    await fetch(`${HUB_URL}/__faults`, { method: 'DELETE' });
    await fetch(`${HUB_URL}/__stats/reset`);
  },
  async stats(): Promise<HubStats> {
    return (await fetch(`${HUB_URL}/__stats`)).json() as Promise<HubStats>;
  },
  async bytesServed(path: string, repo = TINY_REPO): Promise<number> {
    return (await this.stats()).files[`${repo}/${path}`]?.bytesServed ?? 0;
  },
};

export class LibraryPage {
  constructor(readonly page: Page) {}

  async open(): Promise<void> {
    if (!(await this.page.getByTestId('model-library').isVisible())) await this.page.getByTestId('open-library').click();
    await expect(this.page.getByTestId('model-library')).toBeVisible();
  }

  async useHub(url = HUB_URL): Promise<void> {
    await this.page.getByTestId('hub-base').fill(url);
  }

  entry(id = TINY_ID) {
    return this.page.getByTestId(`catalog-${id}`);
  }

  installed(id = TINY_ID) {
    return this.page.getByTestId(`installed-${id}`);
  }

  error(id = TINY_ID) {
    return this.page.getByTestId(`install-error-${id}`);
  }

  /** Chooses a variant and presses Download (without waiting for the end). */
  async startDownload(variantId: string, id = TINY_ID): Promise<void> {
    await this.page.getByTestId(`variant-${id}-${variantId}`).getByRole('radio').check();
    await this.page.getByTestId(`download-${id}`).click();
  }

  /** Waits until the variant is installed and usable. */
  async waitInstalled(variantId: string, id = TINY_ID): Promise<void> {
    await expect(this.installed(id)).toHaveAttribute('data-variants', new RegExp(`(^|,)${variantId}(,|$)`), { timeout: 60_000 });
    await expect(this.page.getByTestId(`install-progress-${id}`)).toHaveCount(0);
  }

  async install(variantId: string, id = TINY_ID): Promise<void> {
    await this.startDownload(variantId, id);
    await this.waitInstalled(variantId, id);
  }

  /** Switches the engine to the installed model and waits for it to load. */
  async use(id = TINY_ID): Promise<void> {
    await this.page.getByTestId(`use-${id}`).click();
    await expect(this.page.getByTestId(`use-${id}`)).toHaveText('In use');
    await expect(this.page.getByTestId('model-notice')).toBeVisible({ timeout: 120_000 });
  }
}

/** Opens the studio, waits for the built-in model, and opens the Models panel pointed at the test hub. */
export async function openLibraryOnHub(page: Page): Promise<{ studio: StudioPage; library: LibraryPage }> {
  const studio = new StudioPage(page);
  const library = new LibraryPage(page);
  await studio.open();
  await studio.waitReady();
  await library.open();
  await library.useHub();
  return { studio, library };
}
