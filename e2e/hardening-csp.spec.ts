// The built app under its Content-Security-Policy (vite preview sends scripts/securityHeaders.ts): it works with no
// violation, an injected inline script is blocked, and the security headers are sent.
import { expect, test, type Page } from '@playwright/test';
import { LibraryPage, hub } from './libraryPage';
import { StudioPage } from './studioPage';

declare global {
  interface Window {
    cspViolations: string[];
    injectedScriptRan?: boolean;
  }
}

/** Collects CSP violations: the page's events, and the console lines Chromium prints for workers too. */
function watchViolations(page: Page): string[] {
  const seen: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) seen.push(message.text());
  });
  void page.addInitScript(() => {
    window.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  return seen;
}

test('the studio generates, installs and loads a model from the hub with the policy enforced and no violation', async ({ page }) => {
  await hub.reset();
  const consoleViolations = watchViolations(page);
  const studio = new StudioPage(page);
  const response = await page.goto('/');
  const headers = response!.headers();
  expect(headers['content-security-policy']).toContain("script-src 'self' 'wasm-unsafe-eval'");
  expect(headers['content-security-policy']).toContain("object-src 'none'");
  expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['cross-origin-resource-policy']).toBe('same-origin');
  await studio.waitReady();
  await studio.fill({ steps: 2, seed: 11 });
  await studio.generate();

  const library = new LibraryPage(page);
  await library.open();
  await library.useHub();
  await library.install('int8');
  await library.use();
  // ORT's loader wrapper (ortModuleCapture.mjs) passes the policy, on either build: graphs went straight into its heap.
  await expect(page.getByTestId('model-notice')).toHaveAttribute('data-graphs-in-ort-heap', /^[1-9]$/);
  await studio.generate();

  expect(await page.evaluate(() => window.cspViolations)).toEqual([]);
  expect(consoleViolations).toEqual([]);
});

test('an injected inline script is blocked and reported', async ({ page }) => {
  const consoleViolations = watchViolations(page);
  const studio = new StudioPage(page);
  await studio.open();
  await studio.waitReady();
  await page.evaluate(() => {
    const script = document.createElement('script');
    script.textContent = 'window.injectedScriptRan = true';
    document.body.append(script);
  });
  await expect.poll(() => page.evaluate(() => window.cspViolations)).toEqual(['script-src-elem inline']);
  expect(await page.evaluate(() => window.injectedScriptRan)).toBeUndefined();
  expect(consoleViolations.join('\n')).toContain('Executing inline script violates the following Content Security Policy directive');
});
