// Questions derived from the prompt: one per object, attribute, position and relation, plus one for the whole prompt.
import { splitSubPrompts } from '../../core/maskdiffusion/subPrompts';
import { newQuestionId, uniqueQuestions, type CheckerQuestion, type PromptSpan } from './checkerQuestion';

const DETERMINERS = new Set('a an the some this that these those his her its their my your our'.split(' '));
const COUNTS = new Set('one two three four five six seven eight nine ten several many'.split(' '));
const FILLER = new Set('of with in at by for from and very is are'.split(' '));

/** Relations between two objects ("a cat to the left of a dog"), as the question will phrase them. */
const RELATIONS: { pattern: RegExp; phrase: string }[] = [
  { pattern: /\b(?:to the left of|on the left of|left of)\b/i, phrase: 'to the left of' },
  { pattern: /\b(?:to the right of|on the right of|right of)\b/i, phrase: 'to the right of' },
  { pattern: /\b(?:on top of|above|over)\b/i, phrase: 'above' },
  { pattern: /\b(?:below|under|underneath|beneath)\b/i, phrase: 'below' },
  { pattern: /\b(?:next to|beside)\b/i, phrase: 'next to' },
  { pattern: /\bin front of\b/i, phrase: 'in front of' },
  { pattern: /\bbehind\b/i, phrase: 'behind' },
];

/** Where one object sits in the frame ("a cat on the left"); "of" after it makes it a relation instead. */
const POSITIONS: { pattern: RegExp; phrase: string }[] = [
  { pattern: /\b(?:on|at|in|to) the left(?: side| half)?\b(?!\s+of\b)/i, phrase: 'on the left side of the image' },
  { pattern: /\b(?:on|at|in|to) the right(?: side| half)?\b(?!\s+of\b)/i, phrase: 'on the right side of the image' },
  { pattern: /\b(?:at|in|on) the top(?: half)?\b(?!\s+of\b)/i, phrase: 'at the top of the image' },
  { pattern: /\b(?:at|in|on) the bottom(?: half)?\b(?!\s+of\b)/i, phrase: 'at the bottom of the image' },
  { pattern: /\bin the (?:centre|center|middle)\b(?!\s+of\b)/i, phrase: 'in the centre of the image' },
];

interface Word extends PromptSpan {
  lower: string;
}

interface ObjectPhrase {
  noun: Word;
  attributes: Word[];
  count?: string;
  position?: { phrase: string; span: PromptSpan };
}

/** Prompt text without A1111/compel emphasis syntax: "(red:1.3) cat" reads "red cat". */
export function plainPromptText(prompt: string): string {
  return prompt
    .replace(/:\s*-?\d+(?:\.\d+)?/g, '')
    .replace(/[()[\]{}]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

function wordsIn(prompt: string, start: number, end: number): Word[] {
  const words: Word[] = [];
  for (const m of prompt.slice(start, end).matchAll(/[\p{L}][\p{L}\p{N}'-]*/gu)) {
    const s = start + m.index;
    words.push({ start: s, end: s + m[0].length, text: m[0], lower: m[0].toLowerCase() });
  }
  return words;
}

function parseObject(prompt: string, start: number, end: number): ObjectPhrase | null {
  let position: ObjectPhrase['position'];
  let words = wordsIn(prompt, start, end);
  for (const p of POSITIONS) {
    const m = p.pattern.exec(prompt.slice(start, end));
    if (!m) continue;
    const span = { start: start + m.index, end: start + m.index + m[0].length, text: m[0] };
    position = { phrase: p.phrase, span };
    words = words.filter((w) => w.end <= span.start || w.start >= span.end);
    break;
  }
  // "a photo of a cat": the object is what follows the last "of".
  const lastOf = words.map((w) => w.lower).lastIndexOf('of');
  if (lastOf >= 0 && lastOf < words.length - 1) words = words.slice(lastOf + 1);
  const count = words.find((w) => COUNTS.has(w.lower))?.lower;
  const content = words.filter((w) => !DETERMINERS.has(w.lower) && !COUNTS.has(w.lower) && !FILLER.has(w.lower));
  if (content.length === 0) return null;
  return { noun: content[content.length - 1], attributes: content.slice(0, -1), count, position };
}

function article(noun: string): string {
  return /^[aeiou]/i.test(noun) ? 'an' : 'a';
}

function objectQuestions(o: ObjectPhrase, objectIndex: number): CheckerQuestion[] {
  const make = (text: string, kind: CheckerQuestion['kind'], spans: PromptSpan[]): CheckerQuestion => ({
    id: newQuestionId(),
    text,
    kind,
    spans,
    objectIndices: [objectIndex],
  });
  const noun = o.noun.text;
  const plural = o.count !== undefined && o.count !== 'one';
  const be = plural ? 'Are' : 'Is';
  const questions = [
    plural ? make(`Are there ${o.count} ${noun}?`, 'object', [o.noun]) : make(`Is there ${article(noun)} ${noun}?`, 'object', [o.noun]),
  ];
  for (const a of o.attributes) questions.push(make(`${be} the ${noun} ${a.text}?`, 'attribute', [a, o.noun]));
  if (o.position) questions.push(make(`${be} the ${noun} ${o.position.phrase}?`, 'position', [o.noun, o.position.span]));
  return questions;
}

/**
 * TIFA / Davidsonian-style decomposition, kept rule-based so it runs instantly and offline:
 * objects come from splitSubPrompts (the same split MaskDiffusion steers), relations from a
 * small phrase list; the last question restates the whole prompt.
 */
export function derivePromptQuestions(prompt: string): CheckerQuestion[] {
  const questions: CheckerQuestion[] = [];
  splitSubPrompts(prompt).forEach((sub, index) => {
    const text = prompt.slice(sub.start, sub.end);
    const relation = RELATIONS.map((r) => ({ ...r, m: r.pattern.exec(text) })).find((r) => r.m);
    if (relation?.m) {
      const at = sub.start + relation.m.index;
      const first = parseObject(prompt, sub.start, at);
      const second = parseObject(prompt, at + relation.m[0].length, sub.end);
      if (first) questions.push(...objectQuestions(first, index));
      if (second) questions.push(...objectQuestions(second, index));
      if (first && second) {
        questions.push({
          id: newQuestionId(),
          text: `Is the ${first.noun.text} ${relation.phrase} the ${second.noun.text}?`,
          kind: 'relation',
          spans: [first.noun, { start: at, end: at + relation.m[0].length, text: relation.m[0] }, second.noun],
          objectIndices: [index],
        });
      }
      return;
    }
    const object = parseObject(prompt, sub.start, sub.end);
    if (object) questions.push(...objectQuestions(object, index));
  });
  const plain = plainPromptText(prompt).replace(/[.!?,;]+$/, '');
  if (plain) {
    questions.push({
      id: newQuestionId(),
      text: `Does the image show ${plain}?`,
      kind: 'whole',
      spans: [{ start: 0, end: prompt.length, text: prompt }],
      objectIndices: splitSubPrompts(prompt).map((_, i) => i),
    });
  }
  return uniqueQuestions(questions);
}
