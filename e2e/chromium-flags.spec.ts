// The browser the tests and benches run (scripts/chromiumFlags.mjs): Chromium keeps only the last --disable-features and
// the last --enable-features switch of its command line, so the project's must carry every name Playwright's own
// carry, and the browser UI no headless tab shows must be off. Read from the browser itself (chrome://version).
import { expect, test } from '@playwright/test';
import { UNSEEN_BROWSER_UI } from '../scripts/chromiumFlags.mjs';

/** The names of every `--<name>=` switch on the command line, in order. */
function featureSwitches(commandLine: string, name: 'disable-features' | 'enable-features'): string[][] {
  return [...commandLine.matchAll(new RegExp(`--${name}=(\\S*)`, 'g'))].map((m) => m[1].split(',').filter(Boolean));
}

test('the last feature switches keep every feature an earlier one named, and the omnibox popup is off', async ({ page }) => {
  await page.goto('chrome://version');
  const commandLine = (await page.locator('#command_line').textContent()) ?? '';
  for (const name of ['disable-features', 'enable-features'] as const) {
    const switches = featureSwitches(commandLine, name);
    expect(switches.length, `--${name} on ${commandLine}`).toBeGreaterThan(0);
    const applied = switches.at(-1)!;
    const lost = [...new Set(switches.flat())].filter((feature) => !applied.includes(feature));
    expect(lost, `names --${name} loses`).toEqual([]);
  }
  expect(featureSwitches(commandLine, 'disable-features').at(-1)).toEqual(expect.arrayContaining([...UNSEEN_BROWSER_UI]));
});
