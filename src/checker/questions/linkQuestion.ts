// Links a typed or edited question to the prompt words it mentions, so the loop knows which tokens to steer.
import { splitSubPrompts } from '../../core/maskdiffusion/subPrompts';
import type { CheckerQuestion, PromptSpan } from './checkerQuestion';

/** Words too common to tie a question to a part of the prompt. */
const IGNORED = new Set(
  'the and with does image there this that than more less half side left right top bottom into onto from show shown picture photo'.split(
    ' ',
  ),
);

/**
 * Every prompt word of three or more letters that the question also uses (whole words, any case) becomes a
 * span; the MaskDiffusion objects containing those spans are the question's objects.
 */
export function linkQuestionToPrompt(question: CheckerQuestion, prompt: string): CheckerQuestion {
  const asked = new Set((question.text.toLowerCase().match(/\p{L}{3,}/gu) ?? []).filter((w) => !IGNORED.has(w)));
  const spans: PromptSpan[] = [];
  for (const m of prompt.matchAll(/\p{L}{3,}/gu)) {
    if (asked.has(m[0].toLowerCase())) spans.push({ start: m.index, end: m.index + m[0].length, text: m[0] });
  }
  const objects = splitSubPrompts(prompt);
  const objectIndices = objects.flatMap((o, i) => (spans.some((s) => s.start >= o.start && s.end <= o.end) ? [i] : []));
  return { ...question, spans, objectIndices };
}
