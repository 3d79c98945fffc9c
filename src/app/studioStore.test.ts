// The studio store's slices in Node over the real in-process engine (the tiny model's ORT sessions on WASM) and the
// rule checker: generation into the gallery, cancel, step-by-step runs, the checker's feedback loop.
import { readFile } from 'node:fs/promises';
import { decode } from 'fast-png';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servePublic, serveRandomModel, type PublicServer } from '../core/pipeline/publicServer.test-support';
import { memoryGallery } from '../storage/memoryGallery';
import { inProcessServices } from './inProcessServices';
import { batchCells } from './series/seriesPlan';
import type { StudioState } from './slices/types';
import { createStudioStore } from './studioStore';
import { until } from './storeWaits.test-support';

let server: PublicServer;
/** The checker-loop tests run on the random model: the trained one passes their colour questions at once, ending the loop. */
let randomServer: PublicServer;
beforeAll(async () => {
  server = await servePublic();
  randomServer = await serveRandomModel();
});
afterAll(() => Promise.all([server.close(), randomServer.close()]));

/** A store over in-process services with the built-in model loaded, a 2-step prompt and the gallery it saves to. */
async function readyStudio(patch: Partial<StudioState['settings']> = {}, served = server) {
  const gallery = memoryGallery();
  const store = createStudioStore(inProcessServices({ urls: served.engineUrls, gallery }));
  store.getState().setBackendPreference('wasm');
  await until(store, (s) => s.engineStatus !== 'loading' && s.engineStatus !== 'starting');
  expect(store.getState()).toMatchObject({ engineStatus: 'ready', error: null, backend: { ep: 'wasm' } });
  store.getState().updateSettings({ prompt: 'a red circle and a blue square', steps: 2, seed: 11, ...patch });
  return { store, gallery };
}

const bytesOf = async (blob: Blob) => new Uint8Array(await blob.arrayBuffer());

describe('studio store over the in-process engine', () => {
  it('resolves the app root (where bundled checker models live) from the served folders', () => {
    expect(inProcessServices({ urls: server.engineUrls }).appBaseUrl).toBe(server.url);
  });

  it('loads the built-in model, generates an image into the gallery, and gives the same PNG for the same seed', async () => {
    const { store, gallery } = await readyStudio();
    expect(store.getState().model).toMatchObject({ id: 'tiny-sd-random', width: 128, height: 128 });
    const phases: string[] = [];
    const shown: string[] = []; // each progress the view was given (it re-renders for each)
    const stop = store.subscribe((s, before) => {
      if (s.progress) phases.push(`${s.progress.phase}:${s.progress.step}`);
      if (s.progress && s.progress !== before.progress) shown.push(`${s.progress.phase}:${s.progress.step}/${s.progress.totalSteps}`);
    });
    await store.getState().generate();
    stop();
    const first = store.getState().current;
    expect(store.getState()).toMatchObject({ running: false, progress: null, error: null });
    expect(phases).toEqual(expect.arrayContaining(['encode:0', 'denoise:0', 'decode:2']));
    // The engine's first report ("encode", step 0) repeats what the store shows from the click: no new progress.
    expect(shown.filter((p, i) => p === shown[i - 1])).toEqual([]);
    expect(first).toMatchObject({ width: 128, height: 128, settings: { seed: 11, steps: 2 } });
    const png = await bytesOf(first!.png);
    expect(String.fromCharCode(...png.subarray(1, 4))).toBe('PNG');
    expect(store.getState().gallery.map((e) => e.id)).toEqual([...gallery.entries.keys()]);
    expect(gallery.entries.size).toBe(1);

    await store.getState().generate();
    expect(await bytesOf(store.getState().current!.png)).toEqual(png);
    store.getState().updateSettings({ seed: 12 });
    await store.getState().generate();
    expect(await bytesOf(store.getState().current!.png)).not.toEqual(png);
    expect(gallery.entries.size).toBe(3);
  });

  it("shows a new image's pixels before its PNG comes, the PNG's own pixels, until the view has drawn that PNG", async () => {
    const { store } = await readyStudio();
    await store.getState().generate();
    const before = store.getState().current;
    store.getState().pngDrawn(before!.url);
    store.getState().updateSettings({ seed: 12 });
    const whenPixelsCame: { current: unknown; running: boolean }[] = [];
    const stop = store.subscribe((s, was) => {
      if (s.arrivedPixels && !was.arrivedPixels) whenPixelsCame.push({ current: s.current, running: s.running });
    });
    await store.getState().generate();
    stop();
    const { current, arrivedPixels } = store.getState();
    // They came once, while the previous image was still the current one.
    expect(whenPixelsCame).toEqual([{ current: before, running: true }]);
    expect(arrivedPixels?.url).toBe(current!.url);
    const png = decode(await bytesOf(current!.png));
    expect(arrivedPixels!.pixels).toMatchObject({ width: png.width, height: png.height });
    expect(Buffer.from(arrivedPixels!.pixels.rgba).equals(Buffer.from(png.data as Uint8Array))).toBe(true);
    store.getState().pngDrawn(before!.url); // a late load of the previous PNG lets nothing go
    expect(store.getState().arrivedPixels).toBe(arrivedPixels);
    store.getState().pngDrawn(current!.url);
    expect(store.getState().arrivedPixels).toBeNull();
  });

  it('counts every step of a batch, however few progress reports the worker sends', async () => {
    const { store } = await readyStudio();
    await store.getState().runSeries({ kind: 'batch', cells: batchCells(store.getState().settings, 3) });
    expect(store.getState().series).toMatchObject({ finished: true, cancelled: false, stepsDone: 3 * 2 });
    expect(store.getState().series!.images.every((image) => image !== null)).toBe(true);
  });

  it("fills in a loaded model's suggested settings while the person has not changed them, and never over theirs", async () => {
    const manifest = JSON.parse(await readFile('public/models/tiny-sd/manifest.json', 'utf8'));
    const suggested = { ...manifest.defaults, prompt: manifest.examplePrompts[0] };
    const store = createStudioStore(inProcessServices({ urls: server.engineUrls, gallery: memoryGallery() }));
    const loaded = () => until(store, (s) => s.engineStatus === 'ready');
    store.getState().setBackendPreference('wasm');
    await loaded();
    expect(store.getState().settings).toMatchObject(suggested);

    store.getState().updateSettings({ steps: 3, guidance: 2 });
    store.getState().setBackendPreference('auto'); // loads the model again
    await loaded();
    expect(store.getState().settings).toMatchObject({ steps: 3, guidance: 2, prompt: suggested.prompt });

    store.getState().updateSettings({ prompt: 'a blue ring' });
    store.getState().applyModelDefaults(); // the button: the model's sampler, steps and guidance; the prompt stays
    expect(store.getState().settings).toMatchObject({ ...manifest.defaults, prompt: 'a blue ring' });
  });

  it('cancels a running generation: no image, no gallery entry, no error, and the next run works', async () => {
    const { store, gallery } = await readyStudio({ steps: 40 });
    const running = store.getState().generate();
    await until(store, (s) => s.progress?.phase === 'denoise' && s.progress.step >= 1);
    store.getState().cancel();
    await running;
    expect(store.getState()).toMatchObject({ running: false, progress: null, error: null, current: null });
    expect(store.getState().progress).toBeNull();
    expect(gallery.entries.size).toBe(0);
    store.getState().updateSettings({ steps: 2 });
    await store.getState().generate();
    expect(store.getState().current?.settings.steps).toBe(2);
    expect(gallery.entries.size).toBe(1);
  });

  it('runs step by step: starts paused, single-steps with a snapshot per step, resumes, and decodes a step with the VAE', async () => {
    const { store } = await readyStudio({ steps: 3 });
    store.getState().setTeachingMode(true);
    const running = store.getState().generate();
    await until(store, (s) => s.pausedBeforeStep === 0);
    expect(store.getState().timeline).toHaveLength(0);
    store.getState().stepRun();
    await until(store, (s) => s.pausedBeforeStep === 1);
    expect(store.getState().timeline.map((v) => v.index)).toEqual([0]);
    store.getState().resumeRun();
    await running;
    const { timeline, current } = store.getState();
    expect(timeline.map((v) => v.index)).toEqual([0, 1, 2]);
    expect(timeline[0].noisy.length).toBe(timeline[0].width * timeline[0].height * 4);
    expect(current?.settings.steps).toBe(3);
    store.getState().selectStep(1);
    await store.getState().decodeSelectedStep();
    expect(store.getState().decoded?.index).toBe(1);
    expect(store.getState().error).toBeNull();
  });

  it('runs the checker loop with the rule checker: scored rounds from the engine, the best kept, accepted into the gallery', async () => {
    const { store, gallery } = await readyStudio({}, randomServer);
    await store.getState().generate();
    await store.getState().chooseCheckerModel('rules');
    store.getState().deriveCheckerQuestions();
    const questions = store.getState().checkerQuestions.map((q) => q.text);
    expect(questions.length).toBeGreaterThan(0);
    store.getState().setLoopRounds(2);
    await store.getState().runCheckerLoop();
    const { checkerLoop, checkerError, checkerInfo } = store.getState();
    expect(checkerError).toBeNull();
    expect(checkerInfo?.modelId).toBe('rules');
    expect(checkerLoop.running).toBe(false);
    // The random model's images pass none of the colour questions: both rounds run (fixed model and seed).
    expect(checkerLoop.stopReason).toBe('rounds-done');
    const rounds = checkerLoop.rounds;
    expect(rounds.map((r) => r.index)).toEqual([0, 1, 2]);
    for (const round of rounds) expect(round.scores.map((s) => s.question)).toEqual(questions);
    const best = rounds.find((r) => r.index === checkerLoop.bestIndex);
    expect(best?.overall).toBe(Math.max(...rounds.map((r) => r.overall)));
    // Each later round is a new image from the engine, with its settings changed by the loop.
    expect(await bytesOf(rounds[2].png)).not.toEqual(await bytesOf(rounds[0].png));
    expect(rounds[1].changes.length).toBeGreaterThan(0);
    const before = gallery.entries.size;
    await store.getState().acceptLoopRound(2);
    expect(store.getState().checkerLoop.acceptedIndex).toBe(2);
    expect(store.getState().current).toBe(rounds[2].image);
    expect(store.getState().settings.seed).toBe(rounds[2].settings.seed);
    expect(gallery.entries.size).toBe(before + 1);
  });

  it('stops the checker loop on request, keeping the rounds made so far', async () => {
    const { store } = await readyStudio({ steps: 12 }, randomServer);
    await store.getState().generate();
    await store.getState().chooseCheckerModel('rules');
    store.getState().deriveCheckerQuestions();
    store.getState().setLoopRounds(5);
    const loop = store.getState().runCheckerLoop();
    await until(store, (s) => s.checkerLoop.rounds.length >= 1 && s.progress?.phase === 'denoise');
    store.getState().stopCheckerLoop();
    await loop;
    const { checkerLoop, running, checkerError } = store.getState();
    expect({ stopReason: checkerLoop.stopReason, running, checkerError, loopRunning: checkerLoop.running }).toEqual({
      stopReason: 'stopped',
      running: false,
      checkerError: null,
      loopRunning: false,
    });
    expect(checkerLoop.rounds.length).toBeGreaterThanOrEqual(1);
    expect(checkerLoop.rounds.length).toBeLessThan(6);
  });
});
