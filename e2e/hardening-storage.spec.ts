// Storage integrity in Chromium: a failed update never damages an installed model; two tabs never corrupt one model.
import { expect as baseExpect, test, type Page } from '@playwright/test';
import { TINY_ID, hub, openLibraryOnHub } from './libraryPage';

const expect = baseExpect.configure({ timeout: 30_000 });
const UNET = 'unet/model.onnx';
/** The sha256 an "older release" of the UNet had: any hash other than the shipped file's. */
const OLD_UNET_SHA256 = 'ab'.repeat(32);

test.beforeEach(() => hub.reset());

/**
 * Makes the installed model look like an older release of the same manifest (its UNet had another sha256),
 * as after the studio ships a changed manifest: pressing Download then installs an update.
 */
async function ageInstalledModel(page: Page): Promise<void> {
  await page.evaluate(
    async ({ id, unet, oldSha }) => {
      const db = await new Promise<IDBDatabase>((done, fail) => {
        const open = indexedDB.open('studio-models');
        open.onsuccess = () => done(open.result);
        open.onerror = () => fail(open.error);
      });
      const store = db.transaction('entries', 'readwrite').objectStore('entries');
      const read = <T>(key: IDBValidKey) =>
        new Promise<T>((done) => (store.get(key).onsuccess = (e) => done((e.target as IDBRequest<T>).result)));
      const model = await read<{ manifest: { files: { path: string; sha256?: string }[] } }>(['model', id]);
      model.manifest.files.find((f) => f.path === unet)!.sha256 = oldSha;
      store.put(model, ['model', id]);
      const file = await read<{ attentionPatch: { originalSha256: string } }>(['file', id, unet]);
      file.attentionPatch.originalSha256 = oldSha;
      store.put(file, ['file', id, unet]);
      await new Promise((done) => (store.transaction.oncomplete = done));
      db.close();
    },
    { id: TINY_ID, unet: UNET, oldSha: OLD_UNET_SHA256 },
  );
}

/**
 * The OPFS folders holding model file bytes, and the folders the model records point at (idbModelStore.ts), sorted:
 * equal when no stored copy is left without an owner.
 */
async function opfsBytesFolders(page: Page): Promise<{ onDisk: string[]; recorded: string[] }> {
  return page.evaluate(async () => {
    const root = await navigator.storage.getDirectory();
    const store = await root.getDirectoryHandle('_studio-models');
    const onDisk: string[] = [];
    for await (const name of (store as unknown as { keys(): AsyncIterable<string> }).keys()) onDisk.push(name);
    const db = await new Promise<IDBDatabase>((done, fail) => {
      const open = indexedDB.open('studio-models');
      open.onsuccess = () => done(open.result);
      open.onerror = () => fail(open.error);
    });
    const request = db
      .transaction('entries')
      .objectStore('entries')
      .getAll(IDBKeyRange.bound(['bytes'], ['bytes', []]));
    const locations = await new Promise<{ dir: string }[]>((done) => (request.onsuccess = () => done(request.result)));
    db.close();
    return { onDisk: onDisk.sort(), recorded: locations.map((l) => l.dir).sort() };
  });
}

test('a failed update (an HTML page for the changed file) leaves the installed model usable, also after a reload', async ({ page }) => {
  const { studio, library } = await openLibraryOnHub(page);
  await library.install('fp32');
  await ageInstalledModel(page);
  await page.reload();
  await library.open();
  await library.useHub();
  await expect(library.installed()).toHaveAttribute('data-ready', 'true');

  await hub.setFaults([{ type: 'html', path: UNET }]);
  await library.startDownload('fp32');
  await expect(library.error()).toContainText(`Model file ${UNET} came back as an HTML page`);
  await expect(library.installed()).toHaveAttribute('data-ready', 'true');
  await expect(library.installed()).toHaveAttribute('data-variants', 'fp32');
  await library.use();
  await page.reload();
  await expect(page.getByTestId('model-notice')).toBeVisible({ timeout: 120_000 });
  await library.open();
  await expect(page.getByTestId(`use-${TINY_ID}`)).toHaveText('In use'); // not the built-in model
  await studio.fill({ steps: 2, seed: 3 });
  await studio.generate();

  await hub.reset(); // the update itself, once the hub serves the file: swapped in whole
  await library.useHub();
  await library.startDownload('fp32');
  await expect(page.getByTestId(`install-progress-${TINY_ID}`)).toHaveCount(0, { timeout: 60_000 });
  await expect(library.error()).toHaveCount(0);
  expect((await hub.stats()).files[`test-org/tiny-sd/${UNET}`].requests).toBe(1); // only the changed file
  await expect(library.installed()).toHaveAttribute('data-ready', 'true');
  // The update's files took the old ones' place: the replaced UNet's bytes were removed, and nothing is orphaned.
  const folders = await opfsBytesFolders(page);
  expect(folders.recorded.length).toBeGreaterThanOrEqual(5);
  expect(folders.onDisk).toEqual(folders.recorded);
});

test('two tabs: the second cannot install the model the first is installing, and Delete there leaves nothing half-installed', async ({
  page,
  context,
}) => {
  const a = await openLibraryOnHub(page);
  const other = await context.newPage();
  const b = await openLibraryOnHub(other);
  await hub.setFaults([{ type: 'slow', path: UNET, bytesPerSecond: 500_000, times: 1 }]);
  await a.library.startDownload('fp32');
  await expect(page.getByTestId(`install-progress-${TINY_ID}`)).toBeVisible();

  await b.library.startDownload('fp32');
  await expect(b.library.error()).toContainText('is already being installed or deleted (in this tab or another)');

  await other.reload(); // tab B now lists the partial install and offers Delete
  await b.library.open();
  await other.getByTestId(`delete-${TINY_ID}`).click();
  await expect(b.library.installed()).toHaveCount(0);
  await expect(page.getByTestId(`install-progress-${TINY_ID}`)).toHaveCount(0); // tab A's install was stopped

  await b.library.useHub();
  await b.library.install('fp32');
  await b.library.use();
  await b.studio.fill({ steps: 2, seed: 4 });
  await b.studio.generate();
});
