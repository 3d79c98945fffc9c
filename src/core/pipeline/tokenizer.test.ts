// The pad id is a manifest fact: SD 2.x / SD-Turbo pad prompts with 0 ("!"), SD 1.x with the end token.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PromptTokenizer } from './tokenizer';

const dir = 'public/models/tiny-sd/tokenizer';
const json = JSON.parse(readFileSync(`${dir}/tokenizer.json`, 'utf8'));
const config = JSON.parse(readFileSync(`${dir}/tokenizer_config.json`, 'utf8'));

describe('PromptTokenizer padding', () => {
  it('pads with the manifest pad id when it gives one, and names its token for the emphasis windows', async () => {
    const plain = await PromptTokenizer.create(json, config, 77);
    const padded0 = await PromptTokenizer.create(json, config, 77, 0);
    const a = plain.encode(['a cat']).ids;
    const b = padded0.encode(['a cat']).ids;
    const used = a.findIndex((id, i) => i > 0 && id === a[a.length - 1]) + 1; // start, words, end
    expect(Array.from(b.slice(0, used))).toEqual(Array.from(a.slice(0, used)));
    expect(new Set(b.slice(used))).toEqual(new Set([0]));
    expect(a[76]).not.toBe(0);
    expect(padded0.padToken).toBe('!');
    expect(plain.padToken).toBeUndefined();
  });

  it('refuses a pad id outside the vocabulary', async () => {
    await expect(PromptTokenizer.create(json, config, 77, 10_000_000)).rejects.toThrow(
      /pad token id 10000000 is not in the tokenizer's vocabulary/,
    );
  });
});
