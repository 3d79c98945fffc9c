// A1111 parameters tests: exact layout, round-trips of awkward prompts/values, and real A1111 text.

import { describe, it, expect } from 'vitest';
import { formatA1111Parameters, parseA1111Fields, parseA1111Parameters } from './a1111Parameters';
import type { A1111Parameters } from './a1111Parameters';

const BASIC: A1111Parameters = {
  prompt: 'a cat',
  negativePrompt: 'blurry',
  steps: 20,
  sampler: 'euler',
  cfgScale: 7,
  seed: 1,
  width: 512,
  height: 512,
  model: 'tiny',
};

describe('formatA1111Parameters', () => {
  it('writes the exact A1111 layout', () => {
    expect(formatA1111Parameters(BASIC)).toBe(
      'a cat\nNegative prompt: blurry\nSteps: 20, Sampler: Euler, CFG scale: 7, Seed: 1, Size: 512x512, Model: tiny',
    );
  });

  it('omits an empty negative prompt, maps sampler names and JSON-quotes values with , : or newlines', () => {
    const text = formatA1111Parameters({
      ...BASIC,
      negativePrompt: '',
      sampler: 'lcm',
      cfgScale: 1.5,
      model: 'sd-turbo, fp16',
      extra: { 'Studio version': '0.1.0', Emphasis: 'a:1.2', Note: 'two\nlines' },
    });
    expect(text).toBe(
      'a cat\nSteps: 20, Sampler: LCM, CFG scale: 1.5, Seed: 1, Size: 512x512, Model: "sd-turbo, fp16", ' +
        'Studio version: 0.1.0, Emphasis: "a:1.2", Note: "two\\nlines"',
    );
    expect(formatA1111Parameters({ ...BASIC, sampler: 'ddim' })).toContain('Sampler: DDIM,');
  });

  it('rejects extra keys that would not parse back or that shadow standard keys', () => {
    for (const key of ['Seed', 'a,b', 'x:y', ' lead', 'trail ', 'k']) {
      expect(() => formatA1111Parameters({ ...BASIC, extra: { [key]: 'v' } })).toThrow(RangeError);
    }
  });
});

describe('parseA1111Parameters', () => {
  const cases: [string, A1111Parameters][] = [
    ['basic', BASIC],
    ['no negative prompt', { ...BASIC, negativePrompt: '' }],
    ['empty prompt', { ...BASIC, prompt: '', negativePrompt: '' }],
    [
      'multi-line prompts and awkward values',
      {
        ...BASIC,
        prompt: 'line one, with comma\n\nline three: colon  \n',
        negativePrompt: ' leading space\nsecond, line',
        sampler: 'ddim',
        cfgScale: 7.25,
        seed: 4294967295,
        width: 768,
        height: 512,
        model: 'my, "model": v2',
        extra: {
          'Schedule type': 'Automatic',
          Empty: '',
          Spaces: '  padded ',
          Quoted: '"starts with a quote"',
          Backslash: 'C:\\models\\x',
          Unicode: '猫 🙂',
          'Hires/Up-scale': '1.5',
        },
      },
    ],
  ];
  for (const [name, params] of cases) {
    it(`round-trips: ${name}`, () => {
      expect(parseA1111Parameters(formatA1111Parameters(params))).toEqual(params);
    });
  }

  it('reads text written by A1111 itself, keeping unknown fields as extra', () => {
    const text =
      'masterpiece, 1girl\nNegative prompt: lowres, bad anatomy\n' +
      'Steps: 28, Sampler: Euler, Schedule type: Karras, CFG scale: 7.0, Seed: 3839012, Size: 512x768, ' +
      'Model hash: 6ce0161689, Model: v1-5-pruned-emaonly, Lora hashes: "add_detail: 7c6bad76eb54", Version: v1.10.1';
    expect(parseA1111Parameters(text)).toEqual({
      prompt: 'masterpiece, 1girl',
      negativePrompt: 'lowres, bad anatomy',
      steps: 28,
      sampler: 'euler',
      cfgScale: 7,
      seed: 3839012,
      width: 512,
      height: 768,
      model: 'v1-5-pruned-emaonly',
      extra: {
        'Schedule type': 'Karras',
        'Model hash': '6ce0161689',
        'Lora hashes': 'add_detail: 7c6bad76eb54',
        Version: 'v1.10.1',
      },
    });
  });

  it('treats a last line with fewer than three fields as prompt text (A1111 rule)', () => {
    expect(parseA1111Fields('just a prompt\nStyle: oil')).toEqual({
      prompt: 'just a prompt\nStyle: oil',
      negativePrompt: '',
      fields: {},
    });
  });

  it('throws SyntaxError for missing fields, bad numbers and samplers this studio cannot run', () => {
    const good = formatA1111Parameters(BASIC);
    expect(() => parseA1111Parameters(good.replace(', Model: tiny', ''))).toThrow(/"Model"/);
    expect(() => parseA1111Parameters(good.replace('Steps: 20', 'Steps: 2.5'))).toThrow(SyntaxError);
    expect(() => parseA1111Parameters(good.replace('Seed: 1', 'Seed: ,'))).toThrow(SyntaxError);
    expect(() => parseA1111Parameters(good.replace('Size: 512x512', 'Size: big'))).toThrow(/Size/);
    expect(() => parseA1111Parameters(good.replace('Sampler: Euler', 'Sampler: Heun'))).toThrow(/Unsupported A1111 sampler/);
    expect(() => parseA1111Parameters('no parameters at all')).toThrow(SyntaxError);
  });
});
