// The transformers.js checker on the tiny random SmolVLM: installed from a hub into the store, then scored with the hub gone.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HubServer } from '../../../scripts/hub-server/server.mjs';
import { startHubServer } from '../../../scripts/hub-server/server.mjs';
import { MemoryModelStore } from '../../storage/memoryModelStore';
import { checkerModel, type CheckerModelManifest } from '../checkerModels';
import type { CheckerImage } from '../checkerTypes';
import { installCheckerModel, missingCheckerFiles } from './installCheckerModel';
import { loadVlmChecker } from './loadVlm';
import { yesProbability } from './answerTokens';
import type { VlmChecker } from './vlmChecker';

const TINY_DIR = 'public/models/tiny-smolvlm';
/** The built-in test model, fetched the way a real one is: from a hub, not from the app's files. */
const tiny: CheckerModelManifest = { ...checkerModel('tiny-smolvlm-random')!, source: 'hub' };

function solid(r: number, g: number, b: number, size = 128): CheckerImage {
  const rgba = new Uint8ClampedArray(size * size * 4);
  for (let i = 0; i < size * size; i++) rgba.set([r, g, b, 255], i * 4);
  return { width: size, height: size, rgba };
}

function halves(size = 128): CheckerImage {
  const image = solid(0, 0, 255, size);
  for (let y = 0; y < size; y++) for (let x = 0; x < size / 2; x++) image.rgba.set([255, 0, 0, 255], (y * size + x) * 4);
  return image;
}

describe('VLM checker on the tiny random SmolVLM (transformers.js, onnxruntime-node)', () => {
  let hub: HubServer;
  let checker: VlmChecker;
  const store = new MemoryModelStore();

  beforeAll(async () => {
    hub = await startHubServer({ repos: { [tiny.repo!]: TINY_DIR } });
    const hosts = { hubBase: hub.url };
    const variant = tiny.variants[0];
    expect(await missingCheckerFiles({ store, model: tiny, variant, hosts })).toContain('onnx/decoder_model_merged.onnx');
    await installCheckerModel({ store, model: tiny, variant, hosts, appBaseUrl: 'http://unused.invalid/' });
    expect(await missingCheckerFiles({ store, model: tiny, variant, hosts })).toEqual([]);
    await hub.close(); // everything below reads the store only
    checker = await loadVlmChecker({ store, hosts, model: tiny, variant, device: 'cpu' });
  });
  afterAll(async () => {
    await checker?.dispose();
  });

  it('finds the Yes/No answer ids by tokenising with and without the answer', async () => {
    const tokenizer = JSON.parse(await readFile(`${TINY_DIR}/tokenizer.json`, 'utf8')) as { model: { vocab: Record<string, number> } };
    expect(checker.answerTokens).toEqual({ yes: tokenizer.model.vocab.ĠYes, no: tokenizer.model.vocab.ĠNo });
    expect(checker.promptFor('Is there a cat?')).toBe(
      '<|im_start|>User:<image>Is there a cat? Answer with Yes or No.<end_of_utterance>\nAssistant:',
    );
  });

  it('reads P(Yes) from the next-token logits: a softmax over the two answers, different per image and question', async () => {
    const questions = ['Is the left half more red than the right half?', 'Is there a blue dog?'];
    const red = await checker.score(solid(255, 0, 0), questions);
    const blue = await checker.score(solid(0, 0, 255), questions);
    const split = await checker.score(halves(), questions);
    const all = [...red, ...blue, ...split];
    for (const s of all) {
      expect(s.pYes).toBeGreaterThan(0);
      expect(s.pYes).toBeLessThan(1);
      const e = s.evidence!;
      expect(e.yesTokenId).toBe(checker.answerTokens.yes);
      expect(s.pYes).toBeCloseTo(Math.exp(e.logitYes) / (Math.exp(e.logitYes) + Math.exp(e.logitNo)), 12);
      expect(s.pYes).toBe(yesProbability(e.logitYes, e.logitNo));
    }
    expect(new Set(all.map((s) => s.pYes.toFixed(6))).size).toBe(all.length); // nothing hard-coded or repeated
    console.log(`tiny VLM P(Yes): ${all.map((s) => s.pYes.toFixed(4)).join(' ')}`);
  });

  it("matches transformers.js' own full forward (vision encoder inside), though it encodes the image once", async () => {
    const { AutoModelForVision2Seq, AutoProcessor, RawImage } = await import('@huggingface/transformers');
    const processor = await AutoProcessor.from_pretrained(tiny.repo!);
    const model = await AutoModelForVision2Seq.from_pretrained(tiny.repo!, { dtype: 'fp32', device: 'cpu' });
    const image = halves();
    const question = 'Is there a blue dog?';
    const inputs = await processor(checker.promptFor(question), [new RawImage(image.rgba, 128, 128, 4)]);
    const { logits } = await model(inputs);
    const [, sequence, vocab] = logits.dims as number[];
    const last = (logits.data as Float32Array).subarray((sequence - 1) * vocab);
    const [ours] = await checker.score(image, ['Is the left half more red than the right half?', question]).then((s) => s.slice(1));
    expect(ours.evidence!.logitYes).toBeCloseTo(last[checker.answerTokens.yes], 5);
    expect(ours.evidence!.logitNo).toBeCloseTo(last[checker.answerTokens.no], 5);
    await model.dispose();
  });

  it('cancels between questions', async () => {
    const controller = new AbortController();
    const run = checker.score(solid(9, 9, 9), ['Is it red?', 'Is it blue?', 'Is it green?'], {
      signal: controller.signal,
      onProgress: (p) => p.done === 1 && controller.abort(),
    });
    await expect(run).rejects.toMatchObject({ code: 'cancelled' });
  });
});
