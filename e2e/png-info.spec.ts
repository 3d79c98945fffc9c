// PNG Info: settings read back from the studio's own PNG, an A1111 PNG and a PNG without metadata.
import { expect, test, type Page } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { StudioPage } from './studioPage';

const fixture = (name: string) => readFile(new URL(`./fixtures/${name}`, import.meta.url));

/** Drops a file on the page the way a person drags one from the desktop (a real DataTransfer with a File). */
async function dropFile(page: Page, name: string, bytes: Buffer, type = 'image/png'): Promise<void> {
  const dataTransfer = await page.evaluateHandle(
    ({ name, bytes, type }) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([new Uint8Array(bytes)], name, { type }));
      return transfer;
    },
    { name, bytes: [...bytes], type },
  );
  await page.dispatchEvent('main', 'dragover', { dataTransfer });
  await page.dispatchEvent('main', 'drop', { dataTransfer });
}

async function formValues(page: Page) {
  return {
    prompt: await page.getByTestId('prompt').inputValue(),
    negative: await page.getByTestId('negative-prompt').inputValue(),
    seed: await page.getByTestId('seed').inputValue(),
    steps: await page.getByTestId('steps').inputValue(),
    guidance: await page.getByTestId('guidance').inputValue(),
    sampler: await page.getByTestId('sampler').inputValue(),
  };
}

test('the studio reads its own PNG back: Use these settings restores the form and regenerates the same bytes', async ({ page }) => {
  const studio = new StudioPage(page);
  await studio.open();
  await studio.waitReady();
  await studio.fill({
    prompt: 'a (yellow star:1.3) above a purple heart',
    negative: 'blurry',
    seed: 321,
    steps: 3,
    guidance: 6,
    sampler: 'ddim',
  });
  const made = await formValues(page);
  await studio.generate();
  const png = await studio.downloadPng();

  await studio.fill({ prompt: 'something else', negative: '', seed: 5, steps: 2, guidance: 2, sampler: 'euler' });
  await dropFile(page, 'studio-321.png', png);
  const panel = page.getByTestId('png-info');
  await expect(panel.getByTestId('png-info-parameters')).toContainText(
    'a (yellow star:1.3) above a purple heart\nNegative prompt: blurry\nSteps: 3, Sampler: DDIM',
  );
  await expect(panel.getByTestId('png-info-fields')).toContainText('Backend');
  await panel.getByTestId('png-info-apply').click();
  await expect(panel).toBeHidden();
  expect(await formValues(page)).toEqual(made);

  await studio.generate();
  expect((await studio.downloadPng()).equals(png)).toBe(true);
});

test('an A1111 PNG fills the form; fields the studio does not use are shown, not dropped', async ({ page }) => {
  // Reading a PNG needs no model: the form is there before the model has loaded.
  await new StudioPage(page).open();
  await page
    .getByTestId('png-info-file')
    .setInputFiles({ name: 'a1111.png', mimeType: 'image/png', buffer: await fixture('a1111-parameters.png') });
  const panel = page.getByTestId('png-info');
  const fields = panel.getByTestId('png-info-fields');
  for (const unused of ['Schedule type', 'Model hash', 'Version']) {
    await expect(fields.getByRole('row', { name: new RegExp(unused) })).toContainText('not used here');
  }
  await expect(panel.getByTestId('png-info-notes')).toContainText('Size 512x512 is not applied');
  await panel.getByTestId('png-info-apply').click();
  expect(await formValues(page)).toEqual({
    prompt: 'masterpiece, (a red cat:1.2) and a blue dog',
    negative: 'blurry, lowres',
    seed: '1234567',
    steps: '20',
    guidance: '7',
    sampler: 'dpmpp_2m',
  });
});

test('a PNG without metadata, and a file that is not a PNG, get a clear message and change nothing', async ({ page }) => {
  await new StudioPage(page).open();
  const before = await formValues(page);
  await dropFile(page, 'plain.png', await fixture('no-metadata.png'));
  const panel = page.getByTestId('png-info');
  await expect(panel.getByTestId('png-info-source')).toHaveText('This PNG carries no generation settings.');
  await expect(panel.getByTestId('png-info-apply')).toBeDisabled();
  await page.keyboard.press('Escape');
  await expect(panel).toBeHidden();

  await dropFile(page, 'fake.png', Buffer.from('<html><body>not an image</body></html>'));
  await expect(panel.getByTestId('png-info-error')).toHaveText(
    "fake.png: This file's metadata cannot be read: Not a PNG file: the signature is missing.",
  );
  await dropFile(page, 'notes.txt', Buffer.from('hello'), 'text/plain');
  await expect(panel.getByTestId('png-info-error')).toHaveText('notes.txt is not a PNG; PNG Info reads PNG images.');
  expect(await formValues(page)).toEqual(before);
});
