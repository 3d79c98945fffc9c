// The transformers.js checker for real in Chromium: the tiny random SmolVLM, installed into the model store, then scored with every network request blocked.
import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { CheckerPanel } from './checkerPanel';
import { StudioPage } from './studioPage';

const vocab = (
  JSON.parse(readFileSync('public/models/tiny-smolvlm/tokenizer.json', 'utf8')) as { model: { vocab: Record<string, number> } }
).model.vocab;
const QUESTIONS = ['Is the left half more red than the right half?', 'Is there a blue dog?'];

test('SmolVLM-architecture checker: P(Yes) from the Yes/No logits, loaded from the model store with no network', async ({
  page,
  context,
  baseURL,
}) => {
  const studio = new StudioPage(page);
  const checker = new CheckerPanel(page);
  // Every request of the page and its workers, so "no model file was fetched" below is observed, not assumed.
  const modelRequests: string[] = [];
  context.on('request', (r) => r.url().includes('/models/tiny-smolvlm/') && modelRequests.push(r.url()));
  await studio.open();
  await studio.waitReady();

  // Install: the built-in test VLM is copied from the app's own files into the model store (IndexedDB), verified.
  await checker.open();
  await checker.chooseModel('tiny-smolvlm-random');
  await expect(checker.installState()).toHaveAttribute('data-installed', 'false');
  await page.getByTestId('checker-install').click();
  await expect(checker.installState()).toHaveAttribute('data-installed', 'true', { timeout: 60_000 });
  expect(modelRequests.some((u) => u.endsWith('onnx/decoder_model_merged.onnx'))).toBe(true); // the install, seen from the worker
  modelRequests.length = 0;

  // A fresh page (nothing in memory) that can reach only the app's own code: no model file, no hub, no CDN.
  const appOrigin = new URL(baseURL!).origin;
  const blocked: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (new URL(url).origin !== appOrigin || url.includes('/models/tiny-smolvlm/')) {
      blocked.push(url);
      return route.abort('internetdisconnected');
    }
    return route.continue();
  });
  await page.reload();
  await studio.waitReady();
  await studio.fill({ prompt: 'a red cat on the left and a blue dog on the right', seed: 42, steps: 2 });
  await studio.generate();
  await checker.open();
  await checker.chooseModel('tiny-smolvlm-random');
  await expect(checker.installState()).toHaveAttribute('data-installed', 'true');
  await checker.setQuestions(QUESTIONS);
  const first = await checker.score();

  // The answer tokens are " Yes" and " No" of this tokenizer, found by tokenising with and without the answer.
  await expect(page.getByTestId('checker-info')).toHaveAttribute('data-yes-id', String(vocab.ĠYes));
  await expect(page.getByTestId('checker-info')).toHaveAttribute('data-no-id', String(vocab.ĠNo));
  await expect(page.getByTestId('checker-info')).toHaveAttribute('data-device', 'wasm');
  for (const s of first) {
    expect([s.yesId, s.noId]).toEqual([String(vocab.ĠYes), String(vocab.ĠNo)]);
    expect(s.pYes).toBeGreaterThan(0);
    expect(s.pYes).toBeLessThan(1);
    // A softmax over the two next-token logits, not a generated word.
    expect(s.pYes).toBeCloseTo(Math.exp(s.logitYes) / (Math.exp(s.logitYes) + Math.exp(s.logitNo)), 9);
  }
  expect(first[0].pYes).not.toBe(first[1].pYes);

  // Another image, the same questions: other logits, other probabilities.
  await studio.fill({ seed: 7 });
  await studio.generate();
  const second = await checker.score();
  expect(second.map((s) => s.question)).toEqual(QUESTIONS);
  expect(second[0].pYes).not.toBe(first[0].pYes);
  expect(second[0].logitYes).not.toBe(first[0].logitYes);
  const loadMs = Number(await page.getByTestId('checker-info').getAttribute('data-load-ms'));
  const scoreMs = Number(await page.getByTestId('checker-scores').getAttribute('data-ms'));
  console.log(
    `tiny VLM in Chromium (WASM): P(Yes) ${first.map((s) => s.pYes.toFixed(4)).join(', ')} (seed 42); ${second.map((s) => s.pYes.toFixed(4)).join(', ')} (seed 7); load from the store ${loadMs.toFixed(0)} ms; ${QUESTIONS.length} questions scored in ${scoreMs.toFixed(0)} ms`,
  );

  // Nothing was fetched for the model: the only blocked requests (if any) were not model files or hub calls.
  expect(modelRequests).toEqual([]);
  expect(blocked.filter((u) => u.includes('tiny-smolvlm') || u.includes('huggingface') || u.includes('jsdelivr'))).toEqual([]);
});
