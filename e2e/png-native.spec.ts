// encodePngNative in a real browser worker (where the engine runs it): the browser's PNG encoder must give back
// every pixel exactly (after another image of the same size), with the same text chunks as encodePng, and translucent
// pixels must take the fast-png path.
import { expect, test } from '@playwright/test';
import { decode } from 'fast-png';
import { build } from 'vite';
import { readPngText } from '../src/core/image';

/** src/core/image bundled into one classic-worker script that answers encode requests with both encoders. */
async function encoderWorkerScript(): Promise<string> {
  const entry = new URL('../src/core/image/index.ts', import.meta.url).pathname;
  const output = await build({
    configFile: false,
    logLevel: 'silent',
    build: { write: false, minify: false, lib: { entry, formats: ['iife'], name: 'pngImage' } },
  });
  const bundle = (Array.isArray(output) ? output[0] : output) as { output: { code?: string }[] };
  return `${bundle.output[0].code}
const convertToBlob = OffscreenCanvas.prototype.convertToBlob;
self.onmessage = async ({ data: { rgba, width, height, text, failingCanvas } }) => {
  // failingCanvas: the browser's encoder rejects, as it can when a canvas loses its GPU context.
  OffscreenCanvas.prototype.convertToBlob = failingCanvas ? () => Promise.reject(new Error('context lost')) : convertToBlob;
  // Another image of the same size first: the encoder keeps its canvas from one image to the next.
  await pngImage.encodePngNative(new Uint8ClampedArray(rgba.length).fill(255), width, height);
  const native = await pngImage.encodePngNative(rgba, width, height, text);
  const js = pngImage.encodePng(rgba, width, height, text);
  self.postMessage({ native: [...native], js: [...js] });
};`;
}

/** Pseudo-random pixels (a fixed LCG, so a failure is reproducible); alpha 255 unless `translucent`. */
function noise(width: number, height: number, translucent: boolean): number[] {
  let state = 12345;
  return Array.from({ length: width * height * 4 }, (_, i) => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return i % 4 === 3 && !translucent ? 255 : state >>> 24;
  });
}

const chunkTypes = (png: Uint8Array) => {
  const types: string[] = [];
  for (let at = 8; at < png.length; at += 12 + new DataView(png.buffer, png.byteOffset).getUint32(at)) {
    types.push(String.fromCharCode(...png.subarray(at + 4, at + 8)));
  }
  return types;
};

test("the browser's PNG encoder keeps every pixel and the text chunks; translucent or failing, fast-png", async ({ page }) => {
  await page.goto('about:blank');
  const script = await encoderWorkerScript();
  const text = { parameters: 'a red star\nSteps: 16, Seed: 7', Comment: '富士山 🌅' };
  const encode = (width: number, height: number, translucent: boolean, failingCanvas = false) =>
    page.evaluate(
      ({ script, width, height, rgba, text, failingCanvas }) =>
        new Promise<{ native: number[]; js: number[] }>((resolve, reject) => {
          const worker = new Worker(URL.createObjectURL(new Blob([script], { type: 'text/javascript' })));
          worker.onmessage = ({ data }) => resolve(data);
          worker.onerror = (e) => reject(new Error(e.message));
          worker.postMessage({ rgba: new Uint8Array(rgba), width, height, text, failingCanvas });
        }),
      { script, width, height, rgba: noise(width, height, translucent), text, failingCanvas },
    );

  for (const [width, height] of [
    [128, 128],
    [512, 320],
  ]) {
    const { native, js } = await encode(width, height, false);
    const png = new Uint8Array(native);
    expect(png).not.toEqual(new Uint8Array(js)); // the browser's encoder ran, not the fallback
    const decoded = decode(png);
    expect([decoded.width, decoded.height]).toEqual([width, height]);
    // fast-png decodes an opaque RGBA PNG as 4 channels, or as 3 if the browser dropped alpha: compare RGBA.
    const rgba = decoded.channels === 4 ? Array.from(decoded.data) : withOpaqueAlpha(decoded.data);
    expect(rgba).toEqual(noise(width, height, false));
    expect(readPngText(png)).toEqual(text);
    const types = chunkTypes(png);
    expect(types.slice(0, 3)).toEqual(['IHDR', 'tEXt', 'iTXt']);
  }

  const { native, js } = await encode(16, 8, true);
  expect(native).toEqual(js);
  expect(Array.from(decode(new Uint8Array(native)).data)).toEqual(noise(16, 8, true));

  // When the browser's encoder fails, the image still comes out, by fast-png.
  const failed = await encode(32, 16, false, true);
  expect(failed.native).toEqual(failed.js);
});

function withOpaqueAlpha(rgb: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let i = 0; i < rgb.length; i += 3) out.push(rgb[i], rgb[i + 1], rgb[i + 2], 255);
  return out;
}
