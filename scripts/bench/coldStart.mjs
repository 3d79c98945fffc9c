// Cold start on WASM: from opening the page (app shell already cached by the service worker) to the built-in model
// ready (its notice shown) and to the first image. Times are the page's own clock (performance.now(), 0 at navigation).

/**
 * Runs in every page of the context before its own scripts: notes on the page's clock when the model notice first
 * appears, when the Generate button is clicked, and when the result image is next shown (its pixels' canvas, or a
 * new result img). Read by the page's own
 * observer, not by polling from Playwright: a poll injected after navigation starts late and reported the model
 * ready up to ~0.5 s after it was shown.
 */
function recordMilestones() {
  const seen = { modelReadyMs: null, clickMs: null, imageMs: null, srcAtClick: null };
  window.__coldStart = seen;
  const resultSrc = () => document.querySelector('[data-testid="result-image"]')?.getAttribute('src') ?? null;
  new MutationObserver(() => {
    if (seen.modelReadyMs === null && document.querySelector('[data-testid="model-notice"]')) seen.modelReadyMs = performance.now();
    // The image is on screen from its pixels (drawn before its PNG is encoded), else from a new result img.
    const shown = document.querySelector('[data-testid="arrived-pixels"]') || resultSrc() !== seen.srcAtClick;
    if (seen.clickMs !== null && seen.imageMs === null && shown) seen.imageMs = performance.now();
  }).observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['src', 'data-testid'] });
  document.addEventListener(
    'click',
    (event) => {
      if (seen.clickMs === null && event.target.closest?.('[data-testid="generate"]')) {
        seen.clickMs = event.timeStamp;
        seen.srcAtClick = resultSrc(); // a gallery image shown after reload is not a result
      }
    },
    true,
  );
}

/**
 * One visit: loads the page, waits for the model, generates once with `steps`. Model ready: when its notice appeared;
 * first image: model ready plus click-to-image. Playwright's reaction (seeing the notice, filling the steps, clicking)
 * is left out of it but reported (clickAfterReadyMs): the engine's warm-up (core/pipeline/warmUp.ts) runs meanwhile,
 * as it does while a person types.
 */
async function visit(context, baseUrl, steps) {
  const page = await context.newPage();
  await page.goto(baseUrl, { waitUntil: 'commit' });
  await page.getByTestId('model-notice').waitFor();
  await page.getByTestId('steps').fill(String(steps));
  await page.getByTestId('generate').click();
  await page.waitForFunction(() => window.__coldStart.imageMs !== null, null, { timeout: 300_000 });
  const seen = await page.evaluate(() => window.__coldStart);
  const controlled = await page.evaluate(() => Boolean(navigator.serviceWorker?.controller));
  await page.close();
  return {
    modelReadyMs: seen.modelReadyMs,
    firstImageMs: seen.modelReadyMs + (seen.imageMs - seen.clickMs),
    clickAfterReadyMs: seen.clickMs - seen.modelReadyMs,
    controlled,
  };
}

/**
 * First visit installs the service worker (it precaches the shell, ORT's WASM and the built-in model); the
 * following `repetitions` visits, each a fresh tab in the same profile, are timed; medians are returned.
 */
export async function measureColdStart(browser, baseUrl, { steps, repetitions }) {
  const context = await browser.newContext();
  await context.addInitScript(recordMilestones);
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
      cold_start_click_after_ready_ms: Number(median(visits.map((v) => v.clickAfterReadyMs)).toFixed(0)),
    };
  } finally {
    await context.close();
  }
}
