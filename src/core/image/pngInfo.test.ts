import { describe, expect, it } from 'vitest';
import { formatA1111Parameters } from './a1111Parameters';
import { PNG_INFO_MAX_CHUNK_BYTES, readPngInfo, STUDIO_PARAMETER_KEYS as KEYS } from './pngInfo';
import { encodePng } from './pngText';

const pixels = new Uint8Array(4 * 4 * 4).fill(128);
const png = (text: Record<string, string>) => encodePng(pixels, 4, 4, text);

/** A1111 1.10's infotext (modules/processing.py create_infotext) for an SD 1.5 image with a Karras schedule. */
const A1111_TEXT =
  'masterpiece, (a red cat:1.2) and a blue dog\nNegative prompt: blurry, lowres\n' +
  'Steps: 20, Sampler: DPM++ 2M, Schedule type: Karras, CFG scale: 7, Seed: 1234567, Size: 512x512, ' +
  'Model hash: 6ce0161689, Model: v1-5-pruned-emaonly, Version: v1.10.1';

describe('readPngInfo', () => {
  it('restores every setting the studio writes, MaskDiffusion boxes and emphasis included', () => {
    const parameters = formatA1111Parameters({
      prompt: 'a red cat and a blue dog',
      negativePrompt: 'blurry',
      steps: 6,
      sampler: 'euler_a',
      cfgScale: 5.5,
      seed: 4242,
      width: 128,
      height: 128,
      model: 'Tiny SD',
      extra: {
        [KEYS.variant]: 'fp32',
        [KEYS.backend]: 'wasm',
        [KEYS.maskDiffusion]: 'strength 1.5, reference, masks from boxes',
        [KEYS.maskBoxes]: '0.100 0.200 0.500 0.600; none',
        [KEYS.emphasisMode]: 'lerpFromEmpty',
        [KEYS.promptSyntax]: 'compel',
      },
    });
    const info = readPngInfo(png({ parameters }));
    expect(info.source).toBe('parameters');
    expect(info.settings).toEqual({
      prompt: 'a red cat and a blue dog',
      negativePrompt: 'blurry',
      steps: 6,
      sampler: 'euler_a',
      guidance: 5.5,
      seed: 4242,
      maskDiffusion: { enabled: true, strength: 1.5, variant: 'reference', boxes: [{ x0: 0.1, y0: 0.2, x1: 0.5, y1: 0.6 }, null] },
      emphasis: { mode: 'lerpFromEmpty', syntax: 'compel' },
    });
    expect(info.unknownFields).toEqual({});
  });

  it('reads an A1111 PNG: applies what it can, keeps unknown fields and says what it did not apply', () => {
    const info = readPngInfo(png({ parameters: A1111_TEXT }));
    expect(info.settings).toMatchObject({
      prompt: 'masterpiece, (a red cat:1.2) and a blue dog',
      negativePrompt: 'blurry, lowres',
      steps: 20,
      sampler: 'dpmpp_2m',
      guidance: 7,
      seed: 1234567,
    });
    expect(info.unknownFields).toEqual({ 'Schedule type': 'Karras', 'Model hash': '6ce0161689', Version: 'v1.10.1' });
    expect(info.notes.join('\n')).toMatch(/Size 512x512 is not applied/);
    expect(info.notes.join('\n')).toMatch(/"v1-5-pruned-emaonly"/);
  });

  it('maps an old A1111 sampler label with a schedule suffix and refuses one it does not run', () => {
    const karras = readPngInfo(png({ parameters: 'cat\nSteps: 20, Sampler: DPM++ 2M Karras, CFG scale: 7, Seed: 1, Size: 512x512' }));
    expect(karras.settings.sampler).toBe('dpmpp_2m');
    expect(karras.notes.join('\n')).toMatch(/"Karras" schedule/);
    const unknown = readPngInfo(png({ parameters: 'cat\nSteps: 20, Sampler: UniPC, CFG scale: 7, Seed: 1, Size: 512x512' }));
    expect(unknown.settings.sampler).toBeUndefined();
    expect(unknown.notes.join('\n')).toMatch(/"UniPC" is not one this studio runs/);
  });

  it('does not apply malformed or out-of-range values, and says so', () => {
    const info = readPngInfo(png({ parameters: 'cat\nSteps: many, Sampler: Euler, CFG scale: 99, Seed: -3, Size: 512x512' }));
    expect(info.settings).toEqual({ prompt: 'cat', negativePrompt: '', sampler: 'euler' });
    expect(info.notes.join('\n')).toMatch(/Steps "many"/);
    expect(info.notes.join('\n')).toMatch(/CFG scale "99"/);
    expect(info.notes.join('\n')).toMatch(/Seed "-3"/);
  });

  it('cuts a prompt longer than the studio accepts and says so', () => {
    const info = readPngInfo(png({ parameters: `${'word '.repeat(2000)}\nSteps: 4, Sampler: Euler, CFG scale: 7, Seed: 1` }));
    expect(info.settings.prompt).toHaveLength(4000);
    expect(info.notes.join('\n')).toMatch(/cut to 4000 characters/);
  });

  it('tells a PNG without metadata and a ComfyUI PNG apart, keeping ComfyUI chunks to show', () => {
    expect(readPngInfo(png({})).source).toBe('none');
    const comfy = readPngInfo(png({ prompt: '{"3":{"class_type":"KSampler"}}', workflow: '{"nodes":[]}' }));
    expect(comfy.source).toBe('comfyui');
    expect(comfy.settings).toEqual({});
    expect(comfy.chunks.workflow).toBe('{"nodes":[]}');
  });

  it('lists a huge text chunk without reading it, and still reads the others', () => {
    const info = readPngInfo(
      png({ workflow: 'x'.repeat(PNG_INFO_MAX_CHUNK_BYTES + 1), parameters: 'cat\nSteps: 4, Sampler: Euler, CFG scale: 7, Seed: 1' }),
    );
    expect(info.skipped).toEqual([{ keyword: 'workflow', type: 'tEXt', bytes: PNG_INFO_MAX_CHUNK_BYTES + 10, reason: 'too-large' }]);
    expect(info.chunks.workflow).toBeUndefined();
    expect(info.settings.steps).toBe(4);
    expect(info.notes[0]).toMatch(/"workflow" tEXt chunk .* too large/);
  });

  it('refuses a file that is not a PNG, and one whose text chunk is damaged', () => {
    expect(() => readPngInfo(new TextEncoder().encode('<html>not an image</html>'))).toThrow(/cannot be read: Not a PNG file/);
    const damaged = png({ parameters: 'cat\nSteps: 4, Sampler: Euler, CFG scale: 7' });
    const at = Buffer.from(damaged).indexOf('Steps');
    damaged[at] ^= 0xff;
    expect(() => readPngInfo(damaged)).toThrow(/bad CRC/);
  });
});
