// Cold start on WASM: from opening the page (app shell already cached by the service worker) to the built-in model
// ready (its notice shown) and to the first image. Times are the page's own clock (performance.now(), 0 at navigation).

/** Polls the page every frame: resolves with performance.now() once `selector` matches and `ready(el)` holds. */
const whenShown = (page, selector, previousSrc = null) =>
  page.evaluate(
    ([sel, prev]) =>
      new Promise((resolve) => {
        const check = () => {
          const el = document.querySelector(sel);
          if (el && (prev === null || el.getAttribute('src') !== prev)) resolve(performance.now());
          else requestAnimationFrame(check);
        };
        check();
      }),
    [selector, previousSrc],
  );

/** One visit: loads the page, waits for the model, generates once with `steps`; returns both times in ms. */
async function visit(context, baseUrl, steps) {
  const page = await context.newPage();
  await page.goto(baseUrl, { waitUntil: 'commit' });
  const modelReadyMs = await whenShown(page, '[data-testid="model-notice"]');
  await page.getByTestId('steps').fill(String(steps));
  const image = page.getByTestId('result-image');
  const before = (await image.count()) ? await image.getAttribute('src') : ''; // a gallery image shown after reload is not a result
  await page.getByTestId('generate').click();
  const firstImageMs = await whenShown(page, '[data-testid="result-image"]', before);
  const controlled = await page.evaluate(() => Boolean(navigator.serviceWorker?.controller));
  await page.close();
  return { modelReadyMs, firstImageMs, controlled };
}

/**
 * First visit installs the service worker (it precaches the shell, ORT's WASM and the built-in model); the
 * following `repetitions` visits, each a fresh tab in the same profile, are timed; medians are returned.
 */
export async function measureColdStart(browser, baseUrl, { steps, repetitions }) {
  const context = await browser.newContext();
  try {
    const first = await context.newPage();
    await first.goto(baseUrl);
    await first.getByTestId('model-notice').waitFor({ timeout: 180_000 });
    await first.evaluate(() => navigator.serviceWorker.ready);
    await first.close();
    const visits = [];
    for (let i = 0; i < repetitions; i++) visits.push(await visit(context, baseUrl, steps));
    if (!visits.every((v) => v.controlled))
      throw new Error('cold start: a visit was not served by the service worker (app shell not cached)');
    const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    return {
      cold_start_steps: steps,
      cold_start_model_ready_ms: Number(median(visits.map((v) => v.modelReadyMs)).toFixed(0)),
      cold_start_first_image_ms: Number(median(visits.map((v) => v.firstImageMs)).toFixed(0)),
    };
  } finally {
    await context.close();
  }
}
