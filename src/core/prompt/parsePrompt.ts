// Prompt parsing entry point: picks the dialect, parses, and flattens parts into chunks of weighted fragments.
import { parseA1111 } from './a1111Syntax';
import { parseCompel } from './compelConjunction';
import { resolveSyntax } from './detectSyntax';
import type { ComposablePrompt, EmphasisSyntaxOption, ParsedPart, ParsedPrompt, PromptFragment, PromptStructure } from './promptTypes';

export interface ParsePromptOptions {
  /** Default 'auto'. */
  syntax?: EmphasisSyntaxOption;
}

/** Source-level parse (characters, groups, breaks per part): what the chip editor works on. Never throws. */
export function parsePromptStructure(prompt: string, options: ParsePromptOptions = {}): PromptStructure {
  const syntax = resolveSyntax(prompt, options.syntax ?? 'auto');
  return syntax === 'compel' ? parseCompel(prompt) : parseA1111(prompt);
}

/**
 * Parses a prompt into sub-prompts, chunks and weighted fragments. Never throws: malformed syntax becomes
 * diagnostics and the rest still parses. Plain text is one fragment of weight 1.
 */
export function parsePrompt(prompt: string, options: ParsePromptOptions = {}): ParsedPrompt {
  const structure = parsePromptStructure(prompt, options);
  return {
    syntax: structure.syntax,
    combination: structure.combination,
    normalizeWeights: structure.normalizeWeights,
    prompts: structure.parts.map(partToComposable),
    diagnostics: structure.diagnostics,
  };
}

/** Each character's weight: the product of the multipliers of every group that covers it. */
export function partCharWeights(part: ParsedPart): Float64Array {
  const weights = new Float64Array(part.chars.length).fill(1);
  // Inner groups close first, so multiplying in closing order matches A1111's multiply_range order.
  for (const group of part.groups) for (let i = group.first; i < group.last; i++) weights[i] *= group.multiplier;
  return weights;
}

/** Character index ranges [first, last) of the part's chunks (BREAK boundaries). */
export function partChunkRanges(part: ParsedPart): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  let first = 0;
  for (const brk of part.breaks) {
    ranges.push([first, brk.at]);
    first = brk.at;
  }
  ranges.push([first, part.chars.length]);
  return ranges;
}

function partToComposable(part: ParsedPart): ComposablePrompt {
  const weights = partCharWeights(part);
  const chunks = partChunkRanges(part).map(([first, last]) => {
    const fragments: PromptFragment[] = [];
    for (let i = first; i < last; i++) {
      const c = part.chars[i];
      const previous = fragments[fragments.length - 1];
      // The character itself sits at the end of its source range (after the backslash of an escape).
      if (previous && previous.weight === weights[i]) {
        previous.text += c.ch;
        previous.end = c.end;
        previous.offsets.push(c.end - 1);
      } else {
        fragments.push({ text: c.ch, weight: weights[i], start: c.start, end: c.end, offsets: [c.end - 1] });
      }
    }
    return fragments;
  });
  return { weight: part.weight, start: part.start, end: part.end, chunks };
}
