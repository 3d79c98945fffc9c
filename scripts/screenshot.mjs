// npm run screenshot: the README's picture of the studio. Serves the built app (run `npx vite build` first), opens
// it in the quiet Chromium on WASM, generates one image with the built-in model and saves the window as a PNG.
// Flags: --prompt TEXT --seed N --steps N --out PATH (default docs/studio.png)
import { parseArgs } from 'node:util';
import { withChromium, withPreview } from './bench/standalone.mjs';

const { values: flags } = parseArgs({
  options: {
    prompt: { type: 'string', default: 'a blue square on the left' },
    seed: { type: 'string', default: '1' },
    steps: { type: 'string', default: '16' },
    out: { type: 'string', default: 'docs/studio.png' },
  },
});

await withPreview({ port: 4198 }, (baseUrl) =>
  withChromium(async (browser) => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(baseUrl);
    await page.getByTestId('model-notice').waitFor({ timeout: 180_000 });
    await page.getByTestId('prompt').fill(flags.prompt);
    await page.getByTestId('seed').fill(flags.seed);
    await page.getByTestId('steps').fill(flags.steps);
    await page.getByTestId('generate').click();
    await page.getByTestId('result-image').waitFor({ timeout: 180_000 });
    await page.getByTestId('generate').and(page.locator(':enabled')).waitFor({ timeout: 180_000 });
    await page.evaluate(() => window.scrollTo(0, 0)); // clicking Generate scrolled it into view
    await page.screenshot({ path: flags.out });
    console.log(`saved ${flags.out}: "${flags.prompt}", seed ${flags.seed}, ${flags.steps} steps`);
  }),
);
