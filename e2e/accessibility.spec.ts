// Accessibility: axe finds no serious or critical violation on the main views, at a laptop and a phone size;
// screenshots of each are attached to the report.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { CheckerPanel } from './checkerPanel';
import { LibraryPage } from './libraryPage';
import { StudioPage } from './studioPage';

const SIZES = { laptop: { width: 1280, height: 720 }, phone: { width: 390, height: 844 } } as const;

async function expectAccessible(page: Page, info: TestInfo, view: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const report = serious.map(
    (v) =>
      `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes
        .slice(0, 5)
        .map((n) => n.target.join(' '))
        .join('\n  ')}`,
  );
  await info.attach(`${view}.png`, { body: await page.screenshot({ fullPage: true }), contentType: 'image/png' });
  expect.soft(report, `${view}: axe violations`).toEqual([]);
}

for (const [sizeName, size] of Object.entries(SIZES)) {
  test(`the studio, Models panel, checker, gallery viewer and step-by-step view are accessible at ${sizeName} size`, async ({
    page,
  }, info) => {
    await page.setViewportSize(size);
    const studio = new StudioPage(page);
    await studio.open();
    await studio.waitReady();
    await studio.fill({ steps: 2, seed: 3 });
    await studio.generate();
    await expectAccessible(page, info, `${sizeName}-studio`);
    expect(await page.evaluate(() => document.documentElement.scrollWidth), 'no sideways scrolling').toBeLessThanOrEqual(size.width);

    // The keyboard reaches Generate, and the focus is visible on it.
    await page.locator('body').click({ position: { x: 1, y: 1 } });
    let reached = false;
    for (let i = 0; i < 60 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.testid === 'generate');
    }
    expect(reached, 'Generate is reachable with Tab').toBe(true);
    expect(await page.getByTestId('generate').evaluate((b) => getComputedStyle(b).outlineStyle)).not.toBe('none');

    await page.locator('body').click({ position: { x: 1, y: 1 } });
    await page.keyboard.press('?');
    await expect(page.getByTestId('shortcut-help')).toContainText('Ctrl+Enter');
    await expectAccessible(page, info, `${sizeName}-shortcuts`);
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('shortcut-help')).toBeHidden();

    await new LibraryPage(page).open();
    await expectAccessible(page, info, `${sizeName}-models`);
    await page.getByTestId('close-library').click();

    await new CheckerPanel(page).open();
    await expectAccessible(page, info, `${sizeName}-checker`);

    await studio
      .galleryItems()
      .first()
      .getByRole('button', { name: /^View:/ })
      .click();
    await expectAccessible(page, info, `${sizeName}-gallery-viewer`);
    await page.keyboard.press('Escape');

    await page.getByTestId('teaching-toggle').check();
    await page.getByTestId('prompt').press('Control+Enter');
    await page.getByTestId('step-once').click();
    await expect(page.getByTestId('paused-state')).toHaveAttribute('data-before-step', '1');
    await expectAccessible(page, info, `${sizeName}-step-by-step`);
    await page.getByTestId('present').click();
    await expectAccessible(page, info, `${sizeName}-presentation`);
  });
}
