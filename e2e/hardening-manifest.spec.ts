// Manifests added by URL in Chromium: a bad one is refused naming the field and never saved; one saved by an older
// version that is bad cannot blank the studio; an added one can be removed.
import { expect, test, type Page } from '@playwright/test';
import tinyManifest from '../models/manifests/tiny-sd.json' with { type: 'json' };
import { HUB_URL, LibraryPage, hub, openLibraryOnHub } from './libraryPage';

/** A path of the hub's test repo; the 'body' fault serves a manifest there instead of the file. */
const MANIFEST_PATH = 'tokenizer/tokenizer_config.json';
const MANIFEST_URL = `${HUB_URL}/test-org/tiny-sd/resolve/main/${MANIFEST_PATH}`;
const teamManifest = () => ({ ...structuredClone(tinyManifest), id: 'team-model', name: 'Team model' });
/** The manifest: a variant without "requires" (the catalog read requires.length and the page went blank). */
const withoutRequires = () => {
  const m = teamManifest();
  delete (m.variants[0] as { requires?: string[] }).requires;
  return m;
};

test.beforeEach(() => hub.reset());

async function addByUrl(page: Page, manifest: unknown): Promise<void> {
  await hub.setFaults([{ type: 'body', path: MANIFEST_PATH, body: JSON.stringify(manifest), times: 1 }]);
  await page.getByTestId('manifest-url').fill(MANIFEST_URL);
  await page.getByTestId('add-manifest').click();
}

test('a URL manifest with a missing field is refused naming the field, and is not saved', async ({ page }) => {
  await openLibraryOnHub(page);
  await addByUrl(page, withoutRequires());
  await expect(page.getByTestId('library-error')).toContainText('"variants[0].requires" must be a list of strings');
  await expect(page.getByTestId('catalog-team-model')).toHaveCount(0);
  for (const [field, change] of [
    ['files[0].size', (m: ReturnType<typeof teamManifest>) => ((m.files[0] as { size: unknown }).size = '3444118')],
    ['files[0].sha256', (m: ReturnType<typeof teamManifest>) => ((m.files[0] as { sha256: unknown }).sha256 = 'not-hex')],
    ['id', (m: ReturnType<typeof teamManifest>) => (m.id = 'hub:test-org/tiny-sd@main')],
  ] as const) {
    const bad = teamManifest();
    change(bad);
    await addByUrl(page, bad);
    await expect(page.getByTestId('library-error')).toContainText(`"${field}"`);
  }
  await addByUrl(page, { ...teamManifest(), id: tinyManifest.id }); // a shipped model's id
  await expect(page.getByTestId('library-error')).toContainText(`"id" "${tinyManifest.id}" is already the id of another model`);
  await page.reload();
  expect(await page.evaluate(() => localStorage.getItem('studio-library') ?? '')).not.toContain('team-model');
});

test('a bad manifest saved by an older version does not blank the studio: it is dropped with a message', async ({ page }) => {
  await page.addInitScript((manifest) => {
    if (sessionStorage.getItem('seeded')) return;
    sessionStorage.setItem('seeded', '1');
    localStorage.setItem('studio-library', JSON.stringify({ customManifests: [manifest] }));
  }, withoutRequires());
  const { library } = await openLibraryOnHub(page);
  await expect(page.getByTestId('library-error')).toContainText(
    'Removed a model manifest "team-model" ("variants[0].requires" must be a list of strings (may be empty))',
  );
  await expect(library.entry()).toBeVisible(); // the catalog and the rest of the page render
  await expect(page.getByTestId('gallery-item')).toHaveCount(0);
  await expect(page.getByTestId('prompt')).toBeVisible();
});

test('a manifest added by URL is listed and can be removed', async ({ page }) => {
  await openLibraryOnHub(page);
  await addByUrl(page, teamManifest());
  await expect(page.getByTestId('catalog-team-model')).toBeVisible();
  await page.getByTestId('remove-manifest-team-model').click();
  await expect(page.getByTestId('catalog-team-model')).toHaveCount(0);
  await page.reload();
  await new LibraryPage(page).open();
  await expect(page.getByTestId('catalog-team-model')).toHaveCount(0);
});
