// A crashed engine worker in a real browser: the studio says what happened, loads its model again on a fresh worker, and generates.
import { expect, test } from '@playwright/test';
import { StudioPage } from './studioPage';

const isEngine = (url: string) => /engine\.worker/.test(url);

test('a crashed engine worker is replaced: the studio says so, loads the model again, and generates', async ({ page }) => {
  const studio = new StudioPage(page);
  await studio.open();
  await studio.waitReady();
  const engine = page.workers().find((w) => isEngine(w.url()));
  expect(engine, 'the engine worker').toBeDefined();
  const gone = new Promise<void>((closed) => engine!.on('close', () => closed()));
  // An exception no handler catches: what a worker reports when it fails outside a request.
  await engine!.evaluate(
    () =>
      void setTimeout(() => {
        throw new Error('simulated crash');
      }),
  );

  const banner = page.getByTestId('error');
  await expect(banner).toContainText('The engine worker crashed (');
  await expect(banner).toContainText('simulated crash');
  await expect(banner).toContainText('The model is being loaded again');
  await gone; // the crashed worker was terminated
  await expect(page.getByTestId('generate')).toBeEnabled();
  await studio.fill({ prompt: 'a red cat', seed: 3, steps: 2 });
  await studio.generate();
  expect(page.workers().filter((w) => isEngine(w.url()))).toHaveLength(1);
});
