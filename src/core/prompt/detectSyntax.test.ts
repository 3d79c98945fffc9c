// Syntax auto-detection: Compel-only constructs select Compel, everything else reads as A1111.
import { describe, expect, it } from 'vitest';
import { detectSyntax } from './detectSyntax';
import { parsePrompt } from './parsePrompt';

describe('detectSyntax', () => {
  it.each([
    '("a", "b").blend(1, 0.8)',
    '("a", "b").and()',
    'a (red cat)1.3',
    'a (red cat).5',
    '(red cat)+',
    '"a cat"--',
    'a cat+',
    'a cat-, a dog',
    'apricots++ tree',
    'a (red cat).attend(2)',
    'a cat.swap(dog)',
  ])('%s is Compel', (prompt) => expect(detectSyntax(prompt)).toBe('compel'));

  it.each([
    'a photo of a cat',
    '(cat:1.3), [dog], ((bird))',
    't-shirt, well-lit, black-and-white',
    'a - b',
    'cat AND dog BREAK fish',
    'smiley \\(x\\)1',
    'word\\+',
  ])('%s is A1111', (prompt) => expect(detectSyntax(prompt)).toBe('a1111'));

  it('auto parsing follows the detection and reports which syntax it used', () => {
    expect(parsePrompt('(cat)').syntax).toBe('a1111');
    expect(parsePrompt('(cat)').prompts[0].chunks[0][0].weight).toBeCloseTo(1.1, 12);
    expect(parsePrompt('(cat) dog+').syntax).toBe('compel');
    expect(parsePrompt('(cat) dog+').prompts[0].chunks[0][0].weight).toBe(1);
  });

  it('an explicit syntax overrides detection', () => {
    expect(parsePrompt('a cat+', { syntax: 'a1111' }).prompts[0].chunks[0]).toMatchObject([{ text: 'a cat+', weight: 1 }]);
  });
});
