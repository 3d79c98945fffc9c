// Serves the random-weights test model (models/tiny/random/, made by models/tiny/make_tiny_model.py) in place of
// the built-in one, for specs whose subject needs a model without learnt behaviour: the checker loop's scores and
// stopping points were pinned on it, and a trained model passes those questions at once.
import { readFile } from 'node:fs/promises';
import type { BrowserContext } from '@playwright/test';

const RANDOM_MODEL_DIR = new URL('../models/tiny/random/', import.meta.url);
const BUILT_IN_PATH = '/models/tiny-sd/';

export async function useRandomBuiltInModel(context: BrowserContext): Promise<void> {
  await context.route(`**${BUILT_IN_PATH}**`, async (route) => {
    const { pathname } = new URL(route.request().url());
    const file = pathname.slice(pathname.indexOf(BUILT_IN_PATH) + BUILT_IN_PATH.length);
    // The folder has no build-time patch index (attention-patch.json): a 404 for it, so the UNet is patched at load.
    const body = await readFile(new URL(file, RANDOM_MODEL_DIR)).catch(() => undefined);
    if (!body) return route.fulfill({ status: 404 });
    await route.fulfill({ body, contentType: file.endsWith('.json') ? 'application/json' : 'application/octet-stream' });
  });
}
