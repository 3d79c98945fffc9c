// Question derivation: objects, attributes, positions, relations and the whole prompt; track templates; linking.
import { describe, expect, it } from 'vitest';
import { customQuestion } from './checkerQuestion';
import { linkQuestionToPrompt } from './linkQuestion';
import { derivePromptQuestions, plainPromptText } from './promptQuestions';
import { QUESTION_TRACKS, trackQuestions } from './trackQuestions';

const texts = (prompt: string) => derivePromptQuestions(prompt).map((q) => `${q.kind}: ${q.text}`);

describe('questions from the prompt', () => {
  it('asks per object, per attribute and per position, then the whole prompt', () => {
    expect(texts('a red cat on the left and a blue dog on the right')).toEqual([
      'object: Is there a cat?',
      'attribute: Is the cat red?',
      'position: Is the cat on the left side of the image?',
      'object: Is there a dog?',
      'attribute: Is the dog blue?',
      'position: Is the dog on the right side of the image?',
      'whole: Does the image show a red cat on the left and a blue dog on the right?',
    ]);
  });

  it('asks about relations between two objects', () => {
    const questions = derivePromptQuestions('a small cat to the left of an old dog');
    expect(questions.map((q) => q.text)).toEqual([
      'Is there a cat?',
      'Is the cat small?',
      'Is there a dog?',
      'Is the dog old?',
      'Is the cat to the left of the dog?',
      'Does the image show a small cat to the left of an old dog?',
    ]);
    const relation = questions.find((q) => q.kind === 'relation')!;
    expect(relation.spans.map((s) => s.text)).toEqual(['cat', 'to the left of', 'dog']);
    expect(derivePromptQuestions('a lamp above a table').map((q) => q.text)).toContain('Is the lamp above the table?');
  });

  it('points each question at its words and its MaskDiffusion object', () => {
    const prompt = 'a red cat, a blue dog';
    const [cat, red, dog] = derivePromptQuestions(prompt);
    expect(prompt.slice(cat.spans[0].start, cat.spans[0].end)).toBe('cat');
    expect(red.spans.map((s) => s.text)).toEqual(['red', 'cat']);
    expect([cat.objectIndices, dog.objectIndices]).toEqual([[0], [1]]);
  });

  it('reads through emphasis syntax, counts and "a photo of"', () => {
    expect(plainPromptText('a (red:1.3) cat, [blurry]')).toBe('a red cat, blurry');
    expect(texts('a photo of two (fluffy:1.2) cats')).toEqual([
      'object: Are there two cats?',
      'attribute: Are the cats fluffy?',
      'whole: Does the image show a photo of two fluffy cats?',
    ]);
    expect(derivePromptQuestions('')).toEqual([]);
  });
});

describe('PRISM-style track question sets', () => {
  it('covers the seven tracks', () => {
    expect(QUESTION_TRACKS.map((t) => t.id)).toEqual([
      'style',
      'text-rendering',
      'composition',
      'affection',
      'entity',
      'imagination',
      'long-text',
    ]);
  });

  it('fills templates from the prompt', () => {
    const prompt = 'a calm watercolor of the Eiffel Tower with a sign that says "OPEN", a red cat on the left';
    expect(trackQuestions('style', prompt).map((q) => q.text)).toEqual([
      'Does the image look like a watercolor?',
      'Is the style consistent across the whole image?',
    ]);
    expect(trackQuestions('text-rendering', prompt).map((q) => q.text)).toEqual([
      'Does the image contain the text "OPEN"?',
      'Is the text "OPEN" spelled correctly?',
      'Is all the text legible?',
    ]);
    expect(trackQuestions('affection', prompt).map((q) => q.text)).toEqual(['Does the image feel calm?']);
    expect(trackQuestions('entity', prompt).map((q) => q.text)).toEqual([
      'Is Eiffel Tower recognisable in the image?',
      'Is OPEN recognisable in the image?',
    ]);
    const composition = trackQuestions('composition', prompt);
    expect(composition.find((q) => q.text === 'Is the cat on the left side of the image?')?.objectIndices).toEqual([1]);
    expect(trackQuestions('long-text', 'A cat sleeps on a sofa. A dog watches the door; rain falls outside').map((q) => q.text)).toEqual([
      'Does the image show A cat sleeps on a sofa?',
      'Does the image show A dog watches the door?',
      'Does the image show rain falls outside?',
    ]);
  });
});

describe('linking a typed question to the prompt', () => {
  it('finds the prompt words it mentions and their objects', () => {
    const linked = linkQuestionToPrompt(
      customQuestion('Is the left half more red than the right half?'),
      'a red cat on the left and a blue dog on the right',
    );
    expect(linked.spans.map((s) => s.text)).toEqual(['red']);
    expect(linked.objectIndices).toEqual([0]);
    expect(linkQuestionToPrompt(customQuestion('Is it sunny?'), 'a red cat').objectIndices).toEqual([]);
  });
});
